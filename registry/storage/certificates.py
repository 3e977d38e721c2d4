"""The records of one review session (评审批次), found by the idempotency keys their rows
were issued under (``sheet:<key>:<row>`` or ``batch:<key>:<index>``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_
from sqlmodel import Session, col, select

from registry.storage.tables import CredentialRow


def session_records(
    session: Session, prefixes: Sequence[str], issuer_id: int | None
) -> list[CredentialRow]:
    """Every record issued under a row key starting with one of ``prefixes`` (each ends
    with the session key and ``:``), of one issuer or, with ``None``, of any issuer."""
    if not prefixes:
        return []
    key = col(CredentialRow.idempotency_key)
    query = select(CredentialRow).where(
        or_(*(key.startswith(prefix, autoescape=True) for prefix in prefixes))
    )
    if issuer_id is not None:
        query = query.where(CredentialRow.issuer_id == issuer_id)
    return list(session.exec(query).all())


__all__ = ["session_records"]

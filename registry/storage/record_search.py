"""Finding an issuer's records for the clerks' console: by a text in the signed document
(a name, a certificate number), by e-licence identifier, or by a holder's keyed digest."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import String, cast, or_
from sqlmodel import Session, col, select

from registry.storage.tables import CredentialRow, PersonalNumberRow


def records_containing(
    session: Session, text: str, issuer_id: int | None, limit: int
) -> Sequence[CredentialRow]:
    """Records (of one issuer, or all for ``None``) whose signed document holds ``text``
    inside a string value, newest first: a coarse filter the caller narrows down. The
    document is JSON text, with non-ASCII characters escaped or not, so both are tried."""
    escaped = json.dumps(text)[1:-1]
    plain = json.dumps(text, ensure_ascii=False)[1:-1]
    document = cast(col(CredentialRow.document), String)
    query = select(CredentialRow).where(
        or_(document.contains(escaped, autoescape=True), document.contains(plain, autoescape=True))
    )
    if issuer_id is not None:
        query = query.where(CredentialRow.issuer_id == issuer_id)
    query = query.order_by(col(CredentialRow.issued_at).desc()).limit(limit)
    return session.exec(query).all()


def records_of_holder(
    session: Session, digest: str, issuer_id: int | None, limit: int
) -> Sequence[CredentialRow]:
    """Records (of one issuer, or all) whose holder has this keyed ID-number digest, as the
    record's own digest or one of its holder's sealed numbers; newest first."""
    sealed = select(PersonalNumberRow.record_id).where(
        PersonalNumberRow.digest == digest, col(PersonalNumberRow.holder).is_(True)
    )
    query = select(CredentialRow).where(
        or_(col(CredentialRow.id_number_digest) == digest, col(CredentialRow.id).in_(sealed))
    )
    if issuer_id is not None:
        query = query.where(CredentialRow.issuer_id == issuer_id)
    query = query.order_by(col(CredentialRow.issued_at).desc()).limit(limit)
    return session.exec(query).all()


__all__ = ["records_containing", "records_of_holder"]

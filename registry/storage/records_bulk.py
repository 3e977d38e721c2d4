"""Queries that serve many records at once (batch verification)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlmodel import Session, SQLModel, col, select

from registry.storage.tables import CredentialRow

CHUNK = 500  # ids per IN (...) list, well under every database's parameter limit


def existing_records(session: Session, record_ids: Collection[str]) -> set[str]:
    """Which of these record ids the registry holds."""
    ids = sorted(record_ids)
    found: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        query = select(CredentialRow.id).where(
            col(CredentialRow.id).in_(ids[start : start + CHUNK])
        )
        found.update(session.exec(query).all())
    return found


def insert_rows(session: Session, model: type[SQLModel], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many rows of one table with a single Core ``executemany`` (no ORM objects)."""
    if rows:
        table: Table = model.__table__  # type: ignore[attr-defined]
        session.connection().execute(insert(table), [dict(row) for row in rows])

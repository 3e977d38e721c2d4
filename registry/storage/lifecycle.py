"""Queries of the record lifecycle: status changes, their history, status-list bits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, func, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from registry.storage.raw import placeholders, pooled_rows, raw_rows
from registry.storage.tables import CredentialRow, IssuerRow, StatusChangeRow

_CREDENTIAL: Table = CredentialRow.__table__  # type: ignore[attr-defined]
_CHANGE: Table = StatusChangeRow.__table__  # type: ignore[attr-defined]
_FLAGGED = ("suspended", "revoked", "cancelled", "superseded")
_CHUNK = 500  # ids per IN (...) list
_ISSUER: Table = IssuerRow.__table__  # type: ignore[attr-defined]
_STATUS_COLUMNS = (
    _CREDENTIAL.c.status,
    _CREDENTIAL.c.status_reason,
    _CREDENTIAL.c.superseded_by,
    _ISSUER.c.uscc,
    _CREDENTIAL.c.qr_payload,
)
_WITH_ISSUER = _CREDENTIAL.join(_ISSUER, _CREDENTIAL.c.issuer_id == _ISSUER.c.id)
_STATUS_SQL = (
    "SELECT c.status, c.status_reason, c.superseded_by, i.uscc, c.qr_payload "
    "FROM credential c JOIN issuer i ON i.id = c.issuer_id WHERE c.id = ?"
)
_DOCUMENT = sa_select(_CREDENTIAL.c.document).where(_CREDENTIAL.c.id == bindparam("record_id"))
_TYPED_DOCUMENT = (
    sa_select(_CREDENTIAL.c.record_type, _ISSUER.c.uscc, _CREDENTIAL.c.document)
    .select_from(_WITH_ISSUER)
    .where(_CREDENTIAL.c.id == bindparam("record_id"))
)


@dataclass(frozen=True)
class StoredStatus:
    """A record's stored status, the reason code and its successor, if any, with what
    identifies the record as issued: its issuer's USCC and its signed QR payload."""

    status: str
    reason: str | None
    superseded_by: str | None
    issuer_uscc: str
    qr_payload: str


def stored_status(engine: Engine, record_id: str) -> StoredStatus | None:
    """The verify hot path's one read (every scan and partner check): one statement on a
    pooled driver connection; its columns are plain text, so no type processing is lost."""
    rows = pooled_rows(engine, _STATUS_SQL, (record_id,))
    if not rows:
        return None
    row = rows[0]
    return StoredStatus(str(row[0]), row[1], row[2], str(row[3]), str(row[4]))


def stored_document(engine: Engine, record_id: str) -> dict[str, Any] | None:
    """The signed credential the registry issued as this record, or ``None``."""
    with engine.connect() as connection:
        row = connection.execute(_DOCUMENT, {"record_id": record_id}).first()
    return dict(row[0]) if row is not None and isinstance(row[0], dict) else None


def stored_typed_document(engine: Engine, record_id: str) -> tuple[str, str, dict[str, Any]] | None:
    """A record's type, its issuer's USCC and its signed credential, in one prepared Core
    statement (the partner API's hot path), or ``None`` when the registry does not hold it."""
    with engine.connect() as connection:
        row = connection.execute(_TYPED_DOCUMENT, {"record_id": record_id}).first()
    if row is None or not isinstance(row[2], dict):
        return None
    return str(row[0]), str(row[1]), row[2]


def stored_statuses(engine: Engine, record_ids: Collection[str]) -> dict[str, StoredStatus]:
    """The stored status of many records in a few queries (batch verification); records
    the registry does not hold are absent."""
    ids = sorted(set(record_ids))
    found: dict[str, StoredStatus] = {}
    with engine.connect() as connection:
        for start in range(0, len(ids), _CHUNK):
            query = (
                sa_select(_CREDENTIAL.c.id, *_STATUS_COLUMNS)
                .select_from(_WITH_ISSUER)
                .where(_CREDENTIAL.c.id.in_(ids[start : start + _CHUNK]))
            )
            for row in connection.execute(query):
                found[str(row[0])] = StoredStatus(
                    str(row[1]), row[2], row[3], str(row[4]), str(row[5])
                )
    return found


def set_status(
    session: Session,
    record_id: str,
    *,
    expected: str,
    status: str,
    reason: str | None,
    superseded_by: str | None = None,
) -> bool:
    """Change a record's status if it still is ``expected``; false if another writer won.

    The condition makes two concurrent changes of one record serialise on every store:
    the second finds the status changed and changes nothing.
    """
    values: dict[str, str | None] = {"status": status, "status_reason": reason}
    if superseded_by is not None:
        values["superseded_by"] = superseded_by
    statement = (
        update(_CREDENTIAL)
        .where(_CREDENTIAL.c.id == record_id, _CREDENTIAL.c.status == expected)
        .values(**values)
    )
    result = session.connection().execute(statement)
    return bool(result.rowcount == 1)


class StatusChangeRepository:
    """The append-only history of status changes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: StatusChangeRow) -> StatusChangeRow:
        """Record one change."""
        self.session.add(row)
        self.session.flush()
        return row

    def of_record(self, record_id: str) -> Sequence[StatusChangeRow]:
        """Every change of a record, oldest first."""
        query = (
            select(StatusChangeRow)
            .where(StatusChangeRow.record_id == record_id)
            .order_by(col(StatusChangeRow.id))
        )
        return self.session.exec(query).all()


def flagged_indices(session: Session, issuer_id: int) -> list[tuple[int, str]]:
    """The status-list index and status of an issuer's records that are not active.

    Served by the ``(issuer_id, status)`` index: its cost follows the flagged records,
    not the issued ones.
    """
    query = sa_select(_CREDENTIAL.c.status_list_index, _CREDENTIAL.c.status).where(
        _CREDENTIAL.c.issuer_id == issuer_id, _CREDENTIAL.c.status.in_(_FLAGGED)
    )
    return [(int(index), str(status)) for index, status in session.connection().execute(query)]


def highest_status_index(session: Session, issuer_id: int) -> int | None:
    """An issuer's highest status-list index in use (one probe of the unique index)."""
    rows = raw_rows(
        session, "SELECT max(status_list_index) FROM credential WHERE issuer_id = ?", [issuer_id]
    )
    return int(rows[0][0]) if rows and rows[0][0] is not None else None


def latest_change(session: Session, issuer_id: int) -> int | None:
    """The id of an issuer's latest status change (one probe of its index), or ``None``."""
    query = sa_select(func.max(_CHANGE.c.id)).where(_CHANGE.c.issuer_id == issuer_id)
    found = session.connection().execute(query).scalar()
    return int(found) if found is not None else None


def taken_indices(session: Session, issuer_id: int, candidates: Sequence[int]) -> set[int]:
    """Which of ``candidates`` an issuer already uses."""
    if not candidates:
        return set()
    sql = (
        "SELECT status_list_index FROM credential"  # noqa: S608 (only placeholders added)
        f" WHERE issuer_id = ? AND status_list_index IN ({placeholders(len(candidates))})"
    )
    return {int(row[0]) for row in raw_rows(session, sql, [issuer_id, *candidates])}


__all__ = [
    "StatusChangeRepository",
    "StoredStatus",
    "flagged_indices",
    "highest_status_index",
    "latest_change",
    "set_status",
    "stored_document",
    "stored_status",
    "stored_statuses",
    "stored_typed_document",
    "taken_indices",
]

"""Appending events to the transparency log, inside the caller's transaction.

Every use case that issues, amends, changes a status, changes a scope or touches a key
calls ``append_event`` in the same transaction as its own writes, so the log and the
store never disagree. Sequence numbers are allocated under a lock: an advisory
transaction lock on PostgreSQL; SQLite serialises writers itself.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, text
from sqlmodel import Session, select

from registry.core.events import LogEvent
from registry.storage.tables import LogEntryRow

_LOG_LOCK = 0x7265_6769_7374  # arbitrary constant: the advisory lock of the log


def leaf_hash(leaf: bytes) -> bytes:
    """RFC 9162 leaf hash: SHA-256 over 0x00 and the leaf."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def append_event(session: Session, event: LogEvent) -> int:
    """Append one leaf; returns its sequence number (0-based tree index)."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOG_LOCK})
    last = session.exec(select(func.max(LogEntryRow.seq))).one()
    seq = 0 if last is None else int(last) + 1
    leaf = event.leaf()
    session.add(
        LogEntryRow(
            seq=seq,
            leaf=leaf,
            leaf_hash=leaf_hash(leaf),
            kind=event.kind,
            record_id=event.record_id,
            issuer_uscc=event.issuer_uscc,
            created_at=event.at,
        )
    )
    session.flush()
    return seq


__all__ = ["append_event", "leaf_hash"]

"""The store of per-record failed-match counts (``core.match_limits``)."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from registry.core.people.match_limits import MatchLimitState
from registry.storage.repositories import as_utc
from registry.storage.tables import MatchLimitRow

_MATCH_LIMIT: Table = MatchLimitRow.__table__  # type: ignore[attr-defined]


def _state(row: MatchLimitRow) -> MatchLimitState:
    started = as_utc(row.window_started_at)
    assert started is not None
    return MatchLimitState(
        window_started_at=started,
        failures=row.failures,
        locked_until=as_utc(row.locked_until),
        last_tripped_at=as_utc(row.last_tripped_at),
        times_tripped=row.times_tripped,
    )


class MatchLimitRepository:
    """One row per record that has had a failed match."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def state(self, record_id: str) -> MatchLimitState | None:
        """The record's failed-match state, if it ever had a failed match."""
        row = self.session.get(MatchLimitRow, record_id)
        return _state(row) if row is not None else None

    def locked_state(self, record_id: str, blank: MatchLimitState) -> MatchLimitState:
        """The record's state, its row locked until the transaction ends (created as
        ``blank`` first if missing), so that concurrent failures on every worker add up."""
        values = {
            "record_id": record_id,
            "window_started_at": blank.window_started_at,
            "failures": blank.failures,
            "times_tripped": blank.times_tripped,
        }
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(_MATCH_LIMIT).values(**values).on_conflict_do_nothing()
        self.session.connection().execute(statement)
        query = select(MatchLimitRow).where(MatchLimitRow.record_id == record_id)
        row = self.session.exec(query.with_for_update()).one()
        self.session.refresh(row)
        return _state(row)

    def save(self, record_id: str, state: MatchLimitState) -> None:
        """Store the record's new state (in the caller's transaction)."""
        row = self.session.get(MatchLimitRow, record_id)
        assert row is not None
        row.window_started_at = state.window_started_at
        row.failures = state.failures
        row.locked_until = state.locked_until
        row.last_tripped_at = state.last_tripped_at
        row.times_tripped = state.times_tripped
        self.session.add(row)


__all__ = ["MatchLimitRepository"]

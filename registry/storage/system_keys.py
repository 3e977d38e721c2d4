"""The registry's own keys in ``system_key``: the current one per purpose, and creating
it so that of several workers creating it at once exactly one succeeds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from registry.storage.tables import SystemKeyRow

_SYSTEM_KEY: Table = SystemKeyRow.__table__  # type: ignore[attr-defined]
_CURRENT = _SYSTEM_KEY.c.retired_at.is_(None)


class SystemKeyRepository:
    """Queries over the registry's own keys."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def current(self, purpose: str) -> SystemKeyRow | None:
        """The unretired key row for a purpose (the newest, should a store hold several)."""
        statement = (
            select(SystemKeyRow)
            .where(SystemKeyRow.purpose == purpose, col(SystemKeyRow.retired_at).is_(None))
            .order_by(col(SystemKeyRow.id).desc())
            .limit(1)
        )
        return self.session.exec(statement).first()

    def create_unless_current(
        self,
        purpose: str,
        *,
        kid: str,
        public_multikey: str,
        encrypted_private_key: str,
        created_at: datetime,
    ) -> SystemKeyRow:
        """Store this key as the purpose's current one unless another is current already
        (created meanwhile by another worker: the unique index over unretired purposes
        makes this insert a no-op, after waiting for that worker's transaction); the
        current row either way."""
        insert = (
            postgresql.insert
            if self.session.get_bind().dialect.name == "postgresql"
            else sqlite.insert
        )
        statement = (
            insert(_SYSTEM_KEY)
            .values(
                purpose=purpose,
                kid=kid,
                public_multikey=public_multikey,
                encrypted_private_key=encrypted_private_key,
                created_at=created_at,
            )
            .on_conflict_do_nothing(index_elements=["purpose"], index_where=_CURRENT)
        )
        self.session.connection().execute(statement)
        row = self.current(purpose)
        assert row is not None  # inserted now or by the creator that won
        return row


__all__ = ["SystemKeyRepository"]

"""The authority generation: one counter that every change to an issuer, a signing key or
a scope moves forward, in the same transaction as the change.

Database triggers (revision 0014) bump it on every INSERT, UPDATE and DELETE of
``issuer``, ``signing_key`` and ``issuer_scope``, whoever writes (a service, the CLI, the
demo seed, another worker, a hand-written SQL fix), so a process may keep what it read of
those tables across transactions and re-read only when the generation it reads has moved.
The bump takes the counter's row lock: authority changes commit in generation order.
"""

from __future__ import annotations

from sqlmodel import Field, Session, SQLModel

from registry.storage.raw import raw_rows

GENERATION_ROW = 1  # the table's only row
WATCHED_TABLES = ("issuer", "signing_key", "issuer_scope")


class AuthorityGenerationRow(SQLModel, table=True):
    """The one row holding the authority generation."""

    __tablename__ = "authority_generation"

    id: int = Field(primary_key=True)
    generation: int = 0


def authority_generation(session: Session) -> int:
    """The generation as the caller's transaction sees it (one primary-key read on the
    session's own connection)."""
    rows = raw_rows(session, "SELECT generation FROM authority_generation WHERE id = 1")
    return int(rows[0][0]) if rows else 0


__all__ = [
    "GENERATION_ROW",
    "WATCHED_TABLES",
    "AuthorityGenerationRow",
    "authority_generation",
]

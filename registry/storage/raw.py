"""Small reads on a session's own DBAPI connection, inside its transaction.

For hot paths that read a few integers or hashes: Core's per-statement work (compiling,
expanding ``IN`` lists, building result metadata) costs several times the read itself.
Only for columns that need no type processing (integers, bytes, plain text). SQL is
written with ``?`` placeholders and adapted to the driver's style.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session


def raw_rows(session: Session, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
    """Run ``sql`` on the session's connection; its rows (empty for a statement)."""
    connection = session.connection()
    if connection.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, tuple(parameters))
        return list(cursor.fetchall()) if cursor.description else []
    finally:
        cursor.close()


def placeholders(count: int) -> str:
    """``?, ?, ...`` for an ``IN`` list of ``count`` values."""
    return ", ".join("?" * count)


__all__ = ["placeholders", "raw_rows"]

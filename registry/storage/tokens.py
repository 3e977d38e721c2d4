"""The one read a cached bearer token costs each request: is it still in force?"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from registry.storage.personal import read_where_logged
from registry.storage.raw import pooled_rows

_IN_FORCE_SQL = "SELECT 1 FROM api_token WHERE id = ? AND revoked_at IS NULL"


def token_in_force(engine: Engine, token_id: int) -> bool:
    """Whether the token with this row id exists and is not revoked (one indexed read on a
    held driver connection on SQLite: a few microseconds). On SQLite the connection that
    committed the last partner check's access-log row reads it, with its pages fresh."""
    rows = read_where_logged(engine, _IN_FORCE_SQL, (token_id,))
    if rows is None:
        rows = pooled_rows(engine, _IN_FORCE_SQL, (token_id,))
    return bool(rows)


__all__ = ["token_in_force"]

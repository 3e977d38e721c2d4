"""The range of every integer that reaches the store.

Row ids, log positions and tree sizes are kept in SQL ``INTEGER`` columns: 32 bits signed
on PostgreSQL (SQLite keeps 64). A value outside ``0 .. SQL_INTEGER_MAX`` can name no row
and would make PostgreSQL fail the whole statement, so it is refused before any query
(``INTEGER_OUT_OF_RANGE``) or, for a lookup by id, answered as "no such row".
"""

from __future__ import annotations

from dataclasses import replace

from registry.core.errors import FieldProblem, invalid

SQL_INTEGER_MAX = 2**31 - 1


def fits_integer_column(value: int, low: int = 0) -> bool:
    """Whether ``value`` can be stored in (and so looked up by) an ``INTEGER`` column."""
    return low <= value <= SQL_INTEGER_MAX


def require_integer_column(value: int, field: str, low: int = 0) -> int:
    """``value`` itself, or ``INTEGER_OUT_OF_RANGE`` naming ``field`` and the range."""
    if fits_integer_column(value, low):
        return value
    error = invalid(
        "INTEGER_OUT_OF_RANGE",
        f"{field} 必须在 {low} 到 {SQL_INTEGER_MAX} 之间",
        f"{field} must be between {low} and {SQL_INTEGER_MAX}",
    )
    problem = FieldProblem(f"/{field}", error.code, error.message_zh, error.message_en)
    raise replace(error, problems=(problem,))


__all__ = ["SQL_INTEGER_MAX", "fits_integer_column", "require_integer_column"]

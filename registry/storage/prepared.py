"""INSERTs of the issuance hot path, run on the session's own DBAPI connection.

A Core ``execute`` of a cached INSERT still costs a record about a hundred microseconds
(execution context, events, result metadata), several times the INSERT itself. A
``PreparedInsert`` renders the statement once per dialect and converts each value with
its column type's own bind processor (JSON, dates), as Core would, then hands the row to
the driver: the same SQL, the same stored values, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect
from sqlmodel import Session

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Rendered:
    sql: str
    processors: tuple[tuple[str, Processor], ...]
    integrity_error: type[Exception]


class PreparedInsert:
    """An INSERT of every column of ``table`` (each row gives them all); with
    ``skip_taken`` a row whose unique value is taken is skipped (``ON CONFLICT DO
    NOTHING``) and ``add`` says whether it was stored."""

    def __init__(self, table: Table, *, skip_taken: bool = False) -> None:
        self.table = table
        self.skip_taken = skip_taken
        self._rendered: dict[str, _Rendered] = {}

    def _render(self, dialect: Dialect) -> _Rendered:
        found = self._rendered.get(dialect.name)
        if found is not None:
            return found
        columns = list(self.table.c)
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        sql = (
            f"INSERT INTO {self.table.name} ({', '.join(c.name for c in columns)})"  # noqa: S608 (names from the table)
            f" VALUES ({', '.join(mark for _ in columns)})"
        )
        if self.skip_taken:
            sql += " ON CONFLICT DO NOTHING"
            if dialect.name == "postgresql":  # psycopg reports no row count for it
                sql += f" RETURNING {next(iter(self.table.primary_key)).name}"
        processors = tuple(
            (c.name, c.type.dialect_impl(dialect).bind_processor(dialect)) for c in columns
        )
        found = _Rendered(sql, processors, dialect.loaded_dbapi.IntegrityError)
        self._rendered[dialect.name] = found
        return found

    def _parameters(self, rendered: _Rendered, row: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(
            row[name] if process is None else process(row[name])
            for name, process in rendered.processors
        )

    def add(self, session: Session, row: Mapping[str, Any]) -> bool:
        """Insert one row in the session's transaction; False when ``skip_taken`` skipped it."""
        connection = session.connection()
        rendered = self._render(connection.dialect)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(rendered.sql, self._parameters(rendered, row))
            if self.skip_taken and connection.dialect.name == "postgresql":
                return cursor.fetchone() is not None
            return bool(cursor.rowcount == 1)
        finally:
            cursor.close()

    def add_all(self, session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert rows in the session's transaction with one ``executemany``."""
        if not rows:
            return
        connection = session.connection()
        rendered = self._render(connection.dialect)
        cursor = connection.connection.cursor()
        try:
            cursor.executemany(rendered.sql, [self._parameters(rendered, row) for row in rows])
        finally:
            cursor.close()

    def integrity_error(self, session: Session) -> type[Exception]:
        """The driver's ``IntegrityError``: raised by ``add`` and ``add_all`` when a row
        breaks a constraint (``skip_taken`` aside)."""
        return self._render(session.connection().dialect).integrity_error


__all__ = ["PreparedInsert"]

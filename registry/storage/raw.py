"""Small reads on a session's own DBAPI connection, inside its transaction.

For hot paths that read a few integers or hashes: Core's per-statement work (compiling,
expanding ``IN`` lists, building result metadata) costs several times the read itself.
Only for columns that need no type processing (integers, bytes, plain text). SQL is
written with ``?`` placeholders and adapted to the driver's style.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from registry.storage.engine import SQLITE_BUSY_TIMEOUT_MS

_waits_for_lock: ContextVar[bool] = ContextVar("waits_for_lock", default=True)


class WriteLockTakenError(Exception):
    """Another writer holds SQLite's write lock, and the caller asked not to wait."""


@contextmanager
def without_waiting() -> Iterator[None]:
    """Within: a ``committed_rows`` on SQLite that finds the write lock taken raises
    ``WriteLockTakenError`` at once instead of waiting (for work on the event loop, which must
    not block on another writer's transaction; the caller retries in a thread)."""
    token = _waits_for_lock.set(False)
    try:
        yield
    finally:
        _waits_for_lock.reset(token)


def writes_on_this_machine(engine: Engine) -> bool:
    """Whether a commit is a local file write (SQLite in WAL mode, ``synchronous=NORMAL``:
    tens of microseconds, no network round trip, no fsync)."""
    return engine.dialect.name == "sqlite"


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


def pooled_rows(engine: Engine, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
    """Run one read on a pooled DBAPI connection, outside any SQLAlchemy ``Connection``:
    no begin and rollback round, no events, no result metadata. For the verify hot path's
    one-row reads, where that machinery cost several times the read (a single statement
    reads one consistent snapshot by itself). On a SQLite file the read runs on a held
    driver connection (``_held_rows``): the pool's checkout and reset cost more than it."""
    spare = _readers.spare(engine)
    if spare is not None or HeldConnections.suits(engine):
        return _held_rows(engine, spare, sql, tuple(parameters))
    if engine.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(sql, tuple(parameters))
            return list(cursor.fetchall())
        finally:
            cursor.close()
    finally:
        connection.close()  # back to the pool, which ends any transaction the driver began


class HeldConnections:
    """Driver connections of SQLite file stores, detached from the pool and kept per
    engine for a hot path: one per concurrent user, taken off and put back on a list
    (atomic under the GIL), closed when the engine is disposed. They are in autocommit
    mode (the engine's ``connect`` hook sets ``isolation_level=None``), so each statement
    sees the newest committed state (WAL), as a fresh pooled connection would."""

    def __init__(self, setup: str | None = None) -> None:
        self._setup = setup  # a statement run once on each new connection
        self._spare: WeakKeyDictionary[Engine, list[Any]] = WeakKeyDictionary()

    @staticmethod
    def suits(engine: Engine) -> bool:
        """Whether the engine is a SQLite file store (memory stores share one connection)."""
        return engine.dialect.name == "sqlite" and engine.url.database not in (
            None,
            "",
            ":memory:",
        )

    def spare(self, engine: Engine) -> list[Any] | None:
        """The engine's free connections, or ``None`` before its first ``take``."""
        return self._spare.get(engine)

    def take(self, engine: Engine, spare: list[Any] | None = None) -> tuple[Any, list[Any]]:
        """A free connection (a new one when none is free) and the list it goes back on."""
        if spare is None:
            spare = self._spare.get(engine)
        if spare is None:
            spare = self._spare.setdefault(engine, [])
            event.listen(engine, "engine_disposed", self._close)
        try:
            return spare.pop(), spare
        except IndexError:
            pass
        pooled = engine.raw_connection()
        connection = pooled.driver_connection
        pooled.detach()  # ours from now on: closed on the engine's disposal, never pooled again
        assert connection is not None
        if self._setup is not None:
            connection.execute(self._setup)
        return connection, spare

    def _close(self, engine: Engine) -> None:
        spare = self._spare.pop(engine, [])
        while spare:
            spare.pop().close()


# The status read's connections: the pool's checkout and reset cost more than the read.
_readers = HeldConnections()


def _held_rows(
    engine: Engine, spare: list[Any] | None, sql: str, parameters: tuple[Any, ...]
) -> list[Any]:
    connection, spare = _readers.take(engine, spare)
    try:
        rows: list[Any] = connection.execute(sql, parameters).fetchall()
    except BaseException:
        connection.close()
        raise
    spare.append(connection)
    return rows


def committed_rows(engine: Engine, sql: str, parameters: Any) -> list[Any]:
    """Run one writing statement in a transaction of its own on a pooled DBAPI connection,
    and commit it before returning its rows (``RETURNING``). For the partner check's
    access-log row: a Core ``Connection`` (begin, events, result metadata, commit) cost
    several times the insert. SQL and parameters are in the driver's own style. On SQLite
    the transaction takes the write lock up front (``BEGIN IMMEDIATE``), as the engine's
    writing transactions do."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            if engine.dialect.name == "sqlite":
                _begin_immediate(cursor)
            cursor.execute(sql, parameters)
            rows = list(cursor.fetchall()) if cursor.description else []
            connection.commit()
            return rows
        except BaseException:
            connection.rollback()
            raise
        finally:
            cursor.close()
    finally:
        connection.close()  # back to the pool


def _begin_immediate(cursor: Any) -> None:
    if _waits_for_lock.get():
        cursor.execute("BEGIN IMMEDIATE")
        return
    cursor.execute("PRAGMA busy_timeout=0")
    try:
        cursor.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:  # "database is locked"
        raise WriteLockTakenError from error
    finally:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def placeholders(count: int) -> str:
    """``?, ?, ...`` for an ``IN`` list of ``count`` values."""
    return ", ".join("?" * count)


__all__ = [
    "WriteLockTakenError",
    "committed_rows",
    "placeholders",
    "pooled_rows",
    "raw_rows",
    "without_waiting",
    "writes_on_this_machine",
]

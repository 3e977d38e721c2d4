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
    spare = _readers.get(engine)
    if spare is not None or _holds_readers(engine):
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


# SQLite file stores: driver connections detached from the pool and kept for reads, one
# per concurrent reader (taken off and put back on a list: atomic under the GIL). They
# are in autocommit mode (the engine's ``connect`` hook sets ``isolation_level=None``), so
# each statement reads the newest committed state (WAL), as a fresh pooled connection
# would; they are closed when the engine is disposed.
_readers: WeakKeyDictionary[Engine, list[Any]] = WeakKeyDictionary()


def _holds_readers(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


def _held_rows(
    engine: Engine, spare: list[Any] | None, sql: str, parameters: tuple[Any, ...]
) -> list[Any]:
    if spare is None:
        spare = _readers.setdefault(engine, [])
        event.listen(engine, "engine_disposed", _close_readers)
    try:
        connection = spare.pop()
    except IndexError:
        pooled = engine.raw_connection()
        connection = pooled.driver_connection
        pooled.detach()  # ours from now on: closed by ``_close_readers``, never pooled again
    try:
        rows: list[Any] = connection.execute(sql, parameters).fetchall()
    except BaseException:
        connection.close()
        raise
    spare.append(connection)
    return rows


def _close_readers(engine: Engine) -> None:
    spare = _readers.pop(engine, [])
    while spare:
        spare.pop().close()


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

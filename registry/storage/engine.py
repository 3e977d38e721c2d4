"""Engine creation and schema migration for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import select
import stat
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlmodel import create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
WRITE_OPTION = "registry_write"  # execution option of engines whose transactions write
SQLITE_BUSY_TIMEOUT_MS = 5000  # how long a SQLite writer waits for the write lock
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
PING_AFTER_IDLE_SECONDS = 30.0  # a PostgreSQL connection idle longer is pinged at checkout
_RETURNED_AT = "registry_returned_at"  # when a pooled connection last came back


def ensure_private_dir(path: Path) -> None:
    """Create a folder only its owner may enter (0700), whatever the umask; an existing
    folder is left as the operator made it."""
    if path.is_dir():
        return
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    path.chmod(PRIVATE_DIR_MODE)


def _ensure_private_sqlite_file(database: Path) -> None:
    """Create the SQLite file 0600 before SQLite does (SQLite gives its ``-wal`` and
    ``-shm`` files the mode of the database file), and take group and world access away
    from the files of a store made under a looser umask."""
    ensure_private_dir(database.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    for path in (database, *(Path(f"{database}{suffix}") for suffix in _SQLITE_COMPANIONS)):
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            path.chmod(mode & ~0o077)


def normalise_url(url: str) -> str:
    """Pick the psycopg 3 driver for plain ``postgresql://`` URLs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite left alone begins a transaction only before INSERT, UPDATE or DELETE, so
    # earlier reads run outside it, and releasing a savepoint that started it commits.
    # SQLAlchemy begins every transaction itself instead (``_sqlite_begin``).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Begin explicitly: IMMEDIATE (the write lock at once, waiting up to the busy
    timeout) for writing transactions, so a writer never fails to upgrade a read snapshot
    another writer has overtaken; a plain deferred BEGIN for the rest."""
    writing = connection.get_execution_options().get(WRITE_OPTION, False)
    # Straight to the driver: one statement per transaction, not worth Core's machinery.
    connection.connection.driver_connection.execute(  # type: ignore[union-attr]
        "BEGIN IMMEDIATE" if writing else "BEGIN"
    )


def writing_engine(engine: Engine) -> Engine:
    """The engine whose transactions take the write lock up front (on SQLite)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def create_registry_engine(url: str) -> Engine:
    """An engine for the registry's store; SQLite gets WAL and foreign keys."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _ensure_private_sqlite_file(Path(parsed.database))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=10)
    event.listen(engine, "checkin", _note_return)
    event.listen(engine, "checkout", _check_alive)
    return engine


def _note_return(_dbapi_connection: Any, record: Any) -> None:
    record.info[_RETURNED_AT] = time.monotonic()


def _socket_quiet(dbapi_connection: Any) -> bool:
    """Nothing arrived on an idle connection's socket: a server that restarted, ended
    the session or shut down would have sent an error or closed it (then it is readable)."""
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable and not dbapi_connection.closed


def _check_alive(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """A pessimistic disconnect check at checkout, as ``pool_pre_ping`` makes, without its
    round trip for a connection back from use moments ago whose socket is quiet; any other
    is pinged, and one that fails is replaced (the pool retries with a new connection)."""
    returned_at = record.info.get(_RETURNED_AT)
    recent = returned_at is not None and time.monotonic() - returned_at < PING_AFTER_IDLE_SECONDS
    if recent and _socket_quiet(dbapi_connection):
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()  # as the pool's own ping leaves it: no transaction open
    except Exception as error:  # any failure means: not usable
        raise DisconnectionError(str(error)) from error


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revisions (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

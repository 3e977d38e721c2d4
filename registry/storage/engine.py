"""Engine creation and schema migration for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
WRITE_OPTION = "registry_write"  # execution option of engines whose transactions write
SQLITE_BUSY_TIMEOUT_MS = 5000  # how long a SQLite writer waits for the write lock
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


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
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revisions (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

"""Engine creation and schema migration for SQLite (default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
WRITE_OPTION = "registry_write"  # execution option of engines whose transactions write


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
    cursor.execute("PRAGMA busy_timeout=5000")
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
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
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

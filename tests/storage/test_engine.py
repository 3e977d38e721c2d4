"""Engines and migrations on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError

from registry.storage.engine import create_registry_engine, migrate, normalise_url
from tests.support.migrations import differences_from_the_code, store_taken_down_to, table_names


def test_migrations_create_every_table_and_are_idempotent(database_url):
    engine = create_registry_engine(database_url)
    migrate(engine)
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {
        "region",
        "issuer",
        "signing_key",
        "api_token",
        "credential",
        "alembic_version",
    } <= tables
    with engine.connect() as connection:
        versions = connection.execute(text("select version_num from alembic_version")).scalars()
        assert list(versions) == list(_heads())
    engine.dispose()


def test_the_migrations_form_one_line():
    assert len(_heads()) == 1


def _heads() -> tuple[str, ...]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from registry.storage.engine import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return tuple(ScriptDirectory.from_config(config).get_heads())


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    engine = create_registry_engine(f"sqlite:///{tmp_path / 'sub' / 'r.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("pragma journal_mode")).scalar() == "wal"
        assert connection.execute(text("pragma foreign_keys")).scalar() == 1
    engine.dispose()


def test_postgres_urls_get_psycopg3():
    assert normalise_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert normalise_url("postgres://u@h/db").startswith("postgresql+psycopg://")
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_migrations_downgrade_to_nothing_and_back(database_url):
    with store_taken_down_to(database_url, "base") as engine:
        assert table_names(engine) <= {"alembic_version"}
        migrate(engine)
        assert "credential" in table_names(engine)


def test_the_migrations_build_exactly_the_tables_the_code_declares(database_url):
    from registry.storage import (  # noqa: F401
        authority,
        authority_generation,
        catalogues,
        lifecycle,
        personal,
        session_jobs,
        tables,
        transparency,
        trust_lists,
    )

    assert differences_from_the_code(database_url) == []


def _count(engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f"select count(*) from {table}")).scalar_one())


def test_releasing_a_savepoint_does_not_commit_the_transaction(database_url):
    engine = create_registry_engine(database_url)
    migrate(engine)
    before = _count(engine, "region")
    with engine.connect() as connection:
        transaction = connection.begin()
        savepoint = connection.begin_nested()
        connection.execute(
            text("insert into region (code, name_zh, name_en) values ('999999', '测试', 'Test')")
        )
        savepoint.commit()  # RELEASE SAVEPOINT
        transaction.rollback()
    assert _count(engine, "region") == before
    engine.dispose()


def test_sqlite_writing_transactions_take_the_write_lock_at_once(tmp_path):
    from registry.storage.engine import writing_engine

    engine = create_registry_engine(f"sqlite:///{tmp_path / 'r.db'}")
    migrate(engine)
    writer, reader = writing_engine(engine).connect(), engine.connect()
    try:
        writer.begin()
        writer.execute(text("select 1"))  # a read only, yet the write lock is held
        reader.begin()
        reader.exec_driver_sql("pragma busy_timeout = 0")
        with pytest.raises(OperationalError, match="locked"):
            reader.execute(text("delete from region where code = 'none'"))
    finally:
        reader.close()
        writer.close()
        engine.dispose()


@pytest.fixture
def umask_022() -> Iterator[None]:
    """Run a test under the usual umask 022, whatever the test runner's own."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_sqlite_store_is_private_under_umask_022(tmp_path, umask_022):
    database = tmp_path / "data" / "registry.db"
    engine = create_registry_engine(f"sqlite:///{database}")
    migrate(engine)
    with engine.connect() as connection:  # holding a connection keeps -wal and -shm
        connection.execute(text("select count(*) from region"))
        assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{database}{suffix}")
            assert path.exists(), suffix
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, suffix
    engine.dispose()


def test_an_older_world_readable_store_is_made_private(tmp_path, umask_022):
    data = tmp_path / "data"
    data.mkdir()
    database = data / "registry.db"
    engine = create_registry_engine(f"sqlite:///{database}")
    migrate(engine)
    engine.dispose()
    database.chmod(0o644)
    Path(f"{database}-wal").touch(mode=0o644)
    engine = create_registry_engine(f"sqlite:///{database}")
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(Path(f"{database}-wal").stat().st_mode) == 0o600
    engine.dispose()


def _backends_ended(engine) -> None:
    """End every other session of the engine's database from a separate connection, as a
    server restart or an administrator would."""
    import psycopg

    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"SELECT pg_terminate_backend(pid) {others}")
        for _ in range(500):  # until they have exited (and closed their sockets)
            row = admin.execute(f"SELECT count(*) {others}").fetchone()
            if row is not None and row[0] == 0:
                break
            time.sleep(0.01)


def test_a_pooled_connection_the_server_ended_is_replaced_at_checkout(database_url):
    """No ``pool_pre_ping`` round trip for a connection back from use moments ago, but one
    the server has ended (its socket says so) is still never handed out."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's pool")
    engine = create_registry_engine(database_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("select 1")).scalar_one() == 1
        _backends_ended(engine)
        with engine.connect() as connection:
            assert connection.execute(text("select 2")).scalar_one() == 2
    finally:
        engine.dispose()


def test_a_recently_returned_quiet_connection_is_not_pinged(database_url, monkeypatch):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's pool")
    import psycopg

    engine = create_registry_engine(database_url)
    statements: list[str] = []
    original = psycopg.Cursor.execute

    def execute(cursor, query, *args, **kwargs):
        statements.append(str(query))
        return original(cursor, query, *args, **kwargs)

    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        monkeypatch.setattr(psycopg.Cursor, "execute", execute)
        with engine.connect() as connection:
            connection.execute(text("select 3"))
        assert statements == ["select 3"]
    finally:
        engine.dispose()

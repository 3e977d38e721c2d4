"""Stepping a test store through its Alembic revisions, as the migration tests do: up to
one, down to one, migrated to the head and taken down again, or holding a record written
before the revisions that rewrite records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, inspect, text
from sqlmodel import SQLModel

from registry.demo.data import QINGPU_BUREAU
from registry.storage.engine import MIGRATIONS_DIR, create_registry_engine, migrate


def alembic_config(connection: Connection) -> Config:
    """The registry's migrations, run on ``connection`` (inside its transaction)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade_to(engine: Engine, revision: str) -> None:
    """Migrate the store of ``engine`` up to ``revision`` (not to the head)."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade_to(engine: Engine, revision: str) -> None:
    """Take the store of ``engine`` down to ``revision`` (``"base"``: no table at all)."""
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


@contextmanager
def store_taken_down_to(database_url: str, revision: str) -> Iterator[Engine]:
    """An engine on the store at ``database_url``, migrated to the head and then taken down
    to ``revision``; disposed when the block ends."""
    engine = create_registry_engine(database_url)
    try:
        migrate(engine)
        downgrade_to(engine, revision)
        yield engine
    finally:
        engine.dispose()


def differences_from_the_code(database_url: str) -> list[Any]:
    """What the migrated store at ``database_url`` holds otherwise than the SQLModel tables
    declare (types compared too); only the tables whose modules were imported count."""
    engine = create_registry_engine(database_url)
    try:
        migrate(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def table_names(engine: Engine) -> set[str]:
    """The tables the store of ``engine`` holds now."""
    return set(inspect(engine).get_table_names())


def title_record_at_0002(database_url: str, record_id: str) -> Engine:
    """An engine on a store at revision 0002 holding Qingpu's bureau and one title record
    ``record_id`` issued on 2026-11-20, written with that revision's columns."""
    engine = create_registry_engine(database_url)
    upgrade_to(engine, "0002")
    with engine.begin() as connection:
        connection.execute(text("insert into region values ('310118', '青浦区', 'Qingpu')"))
        connection.execute(
            text(
                "insert into issuer (id, uscc, name_zh, name_en, region_code, kind, "
                "record_types, created_at) values (1, :uscc, '青浦', 'Qingpu', '310118', "
                "'hr_bureau', '[]', '2026-11-20 09:30:00')"
            ),
            {"uscc": QINGPU_BUREAU.uscc},
        )
        connection.execute(
            text(
                "insert into credential (id, issuer_id, record_type, issued_at, valid_from, "
                "document, qr_payload, id_number_digest, status, status_list_index, "
                "request_digest) values (:id, 1, 'ProfessionalTitleCredential', "
                "'2026-11-20 09:30:00', '2026-11-20 09:30:00', '{}', 'RC1:', 'x', 'active', "
                "7, '')"
            ),
            {"id": record_id},
        )
    return engine

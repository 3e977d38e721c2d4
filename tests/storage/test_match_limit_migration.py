"""Revision 0010: the ``match_limit`` table matches its SQLModel table exactly, and the
revision goes down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import registry.storage.tables  # noqa: F401  (registers the tables)
from registry.storage.engine import MIGRATIONS_DIR, create_registry_engine, migrate

MINE = "match_limit"


def _touches_mine(diff: object) -> bool:
    items = diff if isinstance(diff, list) else [diff]
    for item in items:
        parts = item if isinstance(item, tuple) else (item,)
        for part in parts:
            table = getattr(part, "table", None)
            if getattr(part, "name", None) == MINE or getattr(table, "name", None) == MINE:
                return True
        if isinstance(item, tuple) and len(item) > 2 and item[2] == MINE:
            return True
    return False


def test_the_table_matches_the_migration(database_url):
    engine = create_registry_engine(database_url)
    migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, SQLModel.metadata) if _touches_mine(d)]
    engine.dispose()
    assert differences == []


def test_the_revision_goes_down_and_up(database_url):
    engine = create_registry_engine(database_url)
    migrate(engine)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
    assert MINE not in inspect(engine).get_table_names()
    migrate(engine)
    assert MINE in inspect(engine).get_table_names()
    engine.dispose()

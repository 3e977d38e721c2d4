"""Revision 0010: the ``match_limit`` table matches its SQLModel table exactly, and the
revision goes down and up again."""

from __future__ import annotations

import registry.storage.tables  # noqa: F401  (registers the tables)
from registry.storage.engine import migrate
from tests.support.migrations import differences_from_the_code, store_taken_down_to, table_names

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
    differences = [d for d in differences_from_the_code(database_url) if _touches_mine(d)]
    assert differences == []


def test_the_revision_goes_down_and_up(database_url):
    with store_taken_down_to(database_url, "0009") as engine:
        assert MINE not in table_names(engine)
        migrate(engine)
        assert MINE in table_names(engine)

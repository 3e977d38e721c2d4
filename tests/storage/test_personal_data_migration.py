"""Revision 0004: its tables and columns match the SQLModel tables exactly, and records
issued before it get their e-licence identifier."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

import registry.storage.tables  # noqa: F401  (registers the tables)
from registry.core.records import elicence
from registry.demo.data import QINGPU_BUREAU
from tests.support.migrations import differences_from_the_code, title_record_at_0002, upgrade_to

MINE = {"personal_number", "record_access", "holder_link"}
MY_COLUMNS = {("credential", "electronic_licence_id"), ("api_token", "statutory_basis")}
RECORD = "3f2b8c1e-5d4a-4b6f-9e7d-0a1b2c3d4e5f"


def _touches_mine(diff: object) -> bool:
    """Whether one autogenerate difference concerns what revision 0004 creates."""
    items = diff if isinstance(diff, list) else [diff]
    for item in items:
        for part in item if isinstance(item, tuple) else (item,):
            table = getattr(part, "table", None)
            name = getattr(part, "name", None)
            if name in MINE or getattr(table, "name", None) in MINE:
                return True
            if table is not None and (table.name, name) in MY_COLUMNS:
                return True
            columns = getattr(part, "columns", ())
            if table is not None and any((table.name, c.name) in MY_COLUMNS for c in columns):
                return True
        # modify_* items are tuples (op, schema, table, column, ...)
        if (
            isinstance(item, tuple)
            and len(item) > 3
            and (item[2] in MINE or (item[2], item[3]) in MY_COLUMNS)
        ):
            return True
    return False


def test_tables_match_the_migration(database_url):
    differences = [d for d in differences_from_the_code(database_url) if _touches_mine(d)]
    assert differences == []


def test_records_issued_before_0004_get_an_elicence_id(database_url):
    engine = title_record_at_0002(database_url, RECORD)
    upgrade_to(engine, "0004")  # revision 0011 turns it into the national form
    with engine.connect() as connection:
        stored = connection.execute(
            text("select electronic_licence_id from credential where id = :id"), {"id": RECORD}
        ).scalar_one()
    engine.dispose()
    parsed = elicence.parse(stored)
    assert parsed.legacy
    assert (parsed.type_code, parsed.issuer_uscc, parsed.version) == ("01", QINGPU_BUREAU.uscc, 1)
    assert parsed.serial == elicence.serial_for(RECORD, date(2026, 11, 20))

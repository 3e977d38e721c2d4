"""Revision 0004: its tables and columns match the SQLModel tables exactly, and records
issued before it get their e-licence identifier."""

from __future__ import annotations

from datetime import date

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

import registry.storage.tables  # noqa: F401  (registers the tables)
from registry.core.records import elicence
from registry.demo.data import QINGPU_BUREAU
from registry.storage.engine import MIGRATIONS_DIR, create_registry_engine, migrate

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
    engine = create_registry_engine(database_url)
    migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, SQLModel.metadata) if _touches_mine(d)]
    engine.dispose()
    assert differences == []


def test_records_issued_before_0004_get_an_elicence_id(database_url):
    engine = create_registry_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
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
            {"id": RECORD},
        )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")  # revision 0011 turns it into the national form
    with engine.connect() as connection:
        stored = connection.execute(
            text("select electronic_licence_id from credential where id = :id"), {"id": RECORD}
        ).scalar_one()
    engine.dispose()
    parsed = elicence.parse(stored)
    assert parsed.legacy
    assert (parsed.type_code, parsed.issuer_uscc, parsed.version) == ("01", QINGPU_BUREAU.uscc, 1)
    assert parsed.serial == elicence.serial_for(RECORD, date(2026, 11, 20))

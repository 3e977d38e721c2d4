"""Revision 0011: records issued before it keep their earlier-form e-licence identifier as
an alternative and get the national form; the column matches its SQLModel table; the
revision goes down and up again."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlmodel import Session

import registry.storage.tables  # noqa: F401  (registers the tables)
from registry.core.records import elicence
from registry.storage.engine import migrate
from registry.storage.personal import record_id_by_elicence_id
from tests.support.migrations import (
    differences_from_the_code,
    downgrade_to,
    title_record_at_0002,
    upgrade_to,
)

RECORD = "3f2b8c1e-5d4a-4b6f-9e7d-0a1b2c3d4e5f"
COLUMN = "legacy_electronic_licence_id"


def _record_issued_at_0010(database_url: str):
    """A database at revision 0010 holding one title record (with its earlier-form id)."""
    engine = title_record_at_0002(database_url, RECORD)
    upgrade_to(engine, "0010")
    return engine


def _ids(engine) -> tuple[str, str | None]:
    with engine.connect() as connection:
        row = connection.execute(
            text(f"select electronic_licence_id, {COLUMN} from credential where id = :id"),
            {"id": RECORD},
        ).one()
    return row[0], row[1]


def test_records_before_0011_get_the_national_form_and_keep_the_earlier(database_url):
    engine = _record_issued_at_0010(database_url)
    before = _ids_before_0011(engine)
    migrate(engine)
    national, earlier = _ids(engine)
    assert earlier == before and elicence.parse(earlier).legacy
    parsed = elicence.parse(national)
    old = elicence.parse(earlier)
    assert not parsed.legacy and parsed.version_text == "001"
    assert parsed.type_code == elicence.type_code_of("ProfessionalTitleCredential")
    assert (parsed.issuer_uscc, parsed.serial) == (old.issuer_uscc, old.serial)
    with Session(engine) as session:  # both forms name the record
        assert record_id_by_elicence_id(session, national) == RECORD
        assert record_id_by_elicence_id(session, earlier) == RECORD
    engine.dispose()


def test_the_revision_goes_down_and_up(database_url):
    engine = _record_issued_at_0010(database_url)
    before = _ids_before_0011(engine)
    migrate(engine)
    national, _ = _ids(engine)
    downgrade_to(engine, "0010")
    assert COLUMN not in {c["name"] for c in inspect(engine).get_columns("credential")}
    assert _ids_before_0011(engine) == before
    migrate(engine)
    assert _ids(engine) == (national, before)
    engine.dispose()


def _ids_before_0011(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(
            text("select electronic_licence_id from credential where id = :id"), {"id": RECORD}
        ).scalar_one()


def test_the_column_matches_the_migration(database_url):
    differences = [d for d in differences_from_the_code(database_url) if COLUMN in repr(d)]
    assert differences == []

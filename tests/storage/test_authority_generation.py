"""The authority generation: every write to issuers, keys and scopes moves it, in the
write's own transaction, whoever writes; other writes leave it alone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from registry.storage.authority_generation import authority_generation


def _generation(registry) -> int:
    with registry.reading() as session:
        return authority_generation(session)


def _moves(registry, sql: str) -> bool:
    before = _generation(registry)
    with registry.transaction() as session:
        session.connection().execute(text(sql))
    return _generation(registry) > before


def test_every_write_to_an_issuer_a_key_or_a_scope_moves_the_generation(registry, demo):
    assert _generation(registry) > 0  # the demo's issuers, keys and scopes moved it
    assert _moves(registry, "UPDATE issuer SET name_en = name_en || ' (renamed)'")
    assert _moves(registry, "UPDATE signing_key SET state = 'retired' WHERE id = 1")
    assert _moves(registry, "UPDATE issuer_scope SET highest_level = NULL WHERE id = 1")
    assert _moves(registry, "DELETE FROM issuer_scope WHERE id = 1")


def test_other_writes_leave_the_generation_alone(registry, demo):
    assert not _moves(registry, "UPDATE credential SET status = status")
    assert not _moves(registry, "UPDATE region SET name_en = name_en")


def test_a_rolled_back_change_leaves_the_generation_alone(registry, demo):
    before = _generation(registry)
    with registry.writing() as connection:
        transaction = connection.begin_nested()
        connection.execute(text("UPDATE signing_key SET state = 'retired'"))
        transaction.rollback()
    assert _generation(registry) == before


def test_an_issuer_added_without_the_services_moves_it_too(registry, demo):
    before = _generation(registry)
    with registry.transaction() as session:
        session.connection().execute(
            text(
                "INSERT INTO issuer (uscc, name_zh, name_en, region_code, kind, record_types,"
                " created_at) SELECT '91310000MA1K000000', 'x', 'x', region_code, kind, '[]',"
                " :at FROM issuer WHERE id = 1"
            ),
            {"at": datetime.now(UTC)},
        )
    assert _generation(registry) > before

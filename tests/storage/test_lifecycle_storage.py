"""The conditional status update: a second writer that read the old status changes nothing."""

from __future__ import annotations

import sqlite3

import pytest

from registry.storage.lifecycle import set_status, stored_status


def test_a_change_applies_only_from_the_status_it_expects(registry, demo):
    record = demo.records[0]
    with registry.transaction() as session:
        assert set_status(session, record, expected="active", status="revoked", reason="x")
    with registry.transaction() as session:  # a writer that still believed "active"
        assert not set_status(session, record, expected="active", status="suspended", reason="y")
    found = stored_status(registry.engine, record)
    assert found is not None
    assert (found.status, found.reason, found.superseded_by) == ("revoked", "x", None)
    assert stored_status(registry.engine, "00000000-0000-4000-8000-000000000000") is None


def test_the_status_read_names_the_issuer_and_the_signed_qr(registry, demo):
    from sqlalchemy import text

    record = demo.records[0]
    with registry.reading() as session:
        expected = session.execute(
            text(
                "SELECT i.uscc, c.qr_payload FROM credential c JOIN issuer i "
                "ON i.id = c.issuer_id WHERE c.id = :r"
            ),
            {"r": record},
        ).one()
    for _ in range(3):  # the pooled connection goes back clean and is read again
        found = stored_status(registry.engine, record)
        assert found is not None
        assert (found.status, found.issuer_uscc, found.qr_payload) == ("active", *expected)


def test_a_held_status_read_sees_each_change_committed_after_it(registry, demo):
    """On a SQLite file the status read keeps its driver connection between reads: each
    read still sees the newest committed status (revocation takes effect at once)."""
    record = demo.records[0]
    assert (found := stored_status(registry.engine, record)) is not None
    assert found.status == "active"
    for expected, status in (
        ("active", "suspended"),
        ("suspended", "active"),
        ("active", "revoked"),
    ):
        with registry.transaction() as session:
            assert set_status(session, record, expected=expected, status=status, reason="r")
        found = stored_status(registry.engine, record)
        assert found is not None and found.status == status


def test_held_readers_close_with_the_registry(settings, demo):
    from registry.services.runtime.context import Registry
    from registry.storage import raw

    opened = Registry.open(settings)
    assert stored_status(opened.engine, demo.records[0]) is not None
    held = list(raw._readers.spare(opened.engine) or [])
    assert len(held) == (1 if opened.engine.dialect.name == "sqlite" else 0)
    opened.close()
    assert raw._readers.spare(opened.engine) is None
    for connection in held:  # closed: no statement runs on it any more
        with pytest.raises(sqlite3.ProgrammingError):
            connection.execute("SELECT 1")

"""The conditional status update: a second writer that read the old status changes nothing."""

from __future__ import annotations

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

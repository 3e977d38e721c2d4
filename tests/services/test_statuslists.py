"""Status list publishing across workers, list growth and index allocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import select

from registry.core.formats.statuslist import (
    MIN_ENTRIES,
    StatusList,
    candidate_indices,
    list_entries,
)
from registry.demo.data import QINGPU_BUREAU
from registry.services.access.tokens import Principal
from registry.services.lifecycle.changes import change_status
from registry.services.lifecycle.statuslists import StatusListPublisher, allocate_status_index
from registry.storage.repositories import IssuerRepository
from registry.storage.tables import CredentialRow

ADMIN = Principal(0, "admin", None, None, "test")
NOW = datetime(2026, 11, 22, 9, 30, 15, tzinfo=UTC)


def _index_of(registry, record_id):
    with registry.reading() as session:
        row = session.get(CredentialRow, record_id)
        assert row is not None
        return row.status_list_index


def _bit(document, index):
    return StatusList.decode(document["credentialSubject"]["encodedList"]).get(index)


def test_every_worker_sees_a_change_made_by_another_at_once(registry, demo):
    first, second = StatusListPublisher(registry), StatusListPublisher(registry)
    record = demo.records[0]
    index = _index_of(registry, record)
    before, before_tag = first.publish(QINGPU_BUREAU.uscc, "revocation", NOW)
    assert second.publish(QINGPU_BUREAU.uscc, "revocation", NOW) == (before, before_tag)
    assert _bit(before, index) == 0
    change_status(registry, ADMIN, record, "revoke", reason="issued_in_error", now=NOW)
    for publisher in (first, second):  # both cached the old list; neither serves it again
        after, tag = publisher.publish(QINGPU_BUREAU.uscc, "revocation", NOW)
        assert _bit(after, index) == 1
        assert tag != before_tag
    assert first.publish(QINGPU_BUREAU.uscc, "revocation", NOW)[1] == tag


def test_same_content_signed_in_the_same_minute_is_the_same_bytes(registry, demo):
    one = StatusListPublisher(registry).publish(QINGPU_BUREAU.uscc, "suspension", NOW)
    later = NOW + timedelta(seconds=40)
    two = StatusListPublisher(registry).publish(QINGPU_BUREAU.uscc, "suspension", later)
    assert one == two
    assert one[0]["validFrom"] == "2026-11-22T09:30:00Z"
    assert one[0]["validUntil"] == "2026-11-29T09:30:00Z"
    next_minute = NOW + timedelta(minutes=1)
    three = StatusListPublisher(registry).publish(QINGPU_BUREAU.uscc, "suspension", next_minute)
    assert three[1] != one[1]


def test_the_list_grows_to_hold_the_highest_index(registry, demo):
    record = demo.records[0]
    with registry.transaction() as session:
        statement = update(CredentialRow).where(CredentialRow.id == record)  # type: ignore[arg-type]
        session.exec(statement.values(status_list_index=MIN_ENTRIES + 5))  # type: ignore[call-overload]
    change_status(registry, ADMIN, record, "suspend", reason="under_investigation", now=NOW)
    document, _ = StatusListPublisher(registry).publish(QINGPU_BUREAU.uscc, "suspension", NOW)
    bits = StatusList.decode(document["credentialSubject"]["encodedList"])
    assert bits.entries == 2 * MIN_ENTRIES
    assert bits.get(MIN_ENTRIES + 5) == 1


def test_list_entries_double_until_the_index_fits():
    assert list_entries(None) == MIN_ENTRIES
    assert list_entries(MIN_ENTRIES - 1) == MIN_ENTRIES
    assert list_entries(MIN_ENTRIES) == 2 * MIN_ENTRIES
    assert list_entries(5 * MIN_ENTRIES) == 8 * MIN_ENTRIES


def test_candidates_fill_the_list_and_then_its_growth_range():
    for _ in range(50):
        candidates = candidate_indices(MIN_ENTRIES - 1)
        assert all(0 <= c < MIN_ENTRIES for c in candidates[:6])
        assert all(MIN_ENTRIES <= c < 2 * MIN_ENTRIES for c in candidates[6:])


def test_allocation_skips_taken_indices(registry, demo):
    with registry.reading() as session:
        issuer = IssuerRepository(session).by_uscc(QINGPU_BUREAU.uscc)
        assert issuer is not None and issuer.id is not None
        query = select(CredentialRow.status_list_index).where(CredentialRow.issuer_id == issuer.id)
        taken = set(session.exec(query).all())
        drawn = {allocate_status_index(session, issuer.id) for _ in range(200)}
    assert taken
    assert not drawn & taken
    assert all(0 <= index < 2 * MIN_ENTRIES for index in drawn)

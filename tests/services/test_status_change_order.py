"""An issuer's status-change ids grow in commit order, so the status-list publisher's
cache key (the latest change id) cannot miss a committed change."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from registry.core.formats.statuslist import StatusList
from registry.services.access.tokens import Principal
from registry.services.lifecycle.changes import (
    StatusChange,
    change_status,
    owned_record,
    record_change,
)
from registry.services.lifecycle.statuslists import StatusListPublisher
from registry.storage import lifecycle as lifecycle_storage
from registry.storage import transparency
from registry.storage.lifecycle import set_status
from registry.storage.repositories import IssuerRepository
from registry.storage.tables import CredentialRow, StatusChangeRow

ADMIN = Principal(0, "admin", None, None, "test")
NOW = datetime(2026, 11, 22, 9, 30, 15, tzinfo=UTC)


def _two_records_of_one_issuer(registry, demo):
    with registry.reading() as session:
        rows = [session.get(CredentialRow, record) for record in demo.records]
    by_issuer: dict[int, list[str]] = {}
    for row in rows:
        assert row is not None
        by_issuer.setdefault(row.issuer_id, []).append(row.id)
    pair = next(ids for ids in by_issuer.values() if len(ids) >= 2)
    return pair[0], pair[1]


def test_the_history_row_is_written_under_the_log_lock(registry, demo, monkeypatch):
    calls: list[str] = []
    lock, add = (
        transparency.LogRepository.lock_for_append,
        lifecycle_storage.StatusChangeRepository.add,
    )

    def locking(self):
        calls.append("lock")
        lock(self)

    def adding(self, row):
        calls.append("history row")
        return add(self, row)

    def locking_edge(self):  # takes the lock with its reads (one round trip on PostgreSQL)
        calls.append("lock")
        return edge(self)

    edge = transparency.LogRepository.right_edge
    monkeypatch.setattr(transparency.LogRepository, "lock_for_append", locking)
    monkeypatch.setattr(transparency.LogRepository, "right_edge", locking_edge)
    monkeypatch.setattr(lifecycle_storage.StatusChangeRepository, "add", adding)
    change_status(
        registry, ADMIN, demo.records[0], "suspend", reason="under_investigation", now=NOW
    )
    assert calls[-1] == "history row" and "lock" in calls[:-1], calls


def _log_lock_waiters(registry) -> int:
    query = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    with registry.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def test_concurrent_changes_of_one_issuer_commit_in_id_order(registry, demo, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the race needs two writers at once: PostgreSQL only")
    waiting_on, holding = _two_records_of_one_issuer(registry, demo)
    with registry.reading() as session:
        issuer_id = session.get(CredentialRow, holding).issuer_id
        uscc = IssuerRepository(session).by_id(issuer_id).uscc
    publisher = StatusListPublisher(registry)
    failures: list[BaseException] = []

    def second_writer() -> None:
        try:
            change_status(registry, ADMIN, waiting_on, "revoke", reason="issued_in_error", now=NOW)
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    with registry.transaction() as session:  # the first writer holds the log's lock...
        transparency.LogRepository(session).lock_for_append()
        thread = threading.Thread(target=second_writer)
        thread.start()
        for _ in range(3000):  # ...until the second one waits for it
            if _log_lock_waiters(registry) or not thread.is_alive():
                break
            time.sleep(0.01)
        assert _log_lock_waiters(registry) == 1
        row, issuer = owned_record(session, ADMIN, holding)
        assert set_status(session, row.id, expected="active", status="suspended", reason=None)
        change = StatusChange(row.id, "suspend", "active", "suspended", None, None, "t", NOW)
        record_change(session, row, issuer, change, ADMIN)
    # the first writer committed; a list published now must be rebuilt after the second
    publisher.publish(uscc, "revocation", NOW)
    thread.join()
    assert not failures
    with registry.reading() as session:
        ids = dict(
            session.exec(
                select(StatusChangeRow.record_id, func.max(StatusChangeRow.id))
                .where(StatusChangeRow.issuer_id == issuer_id)
                .group_by(StatusChangeRow.record_id)
            ).all()
        )
    assert ids[waiting_on] > ids[holding]  # committed second, so the higher id
    with registry.reading() as session:
        index = session.get(CredentialRow, waiting_on).status_list_index
    listed, _ = publisher.publish(uscc, "revocation", NOW)
    assert StatusList.decode(listed["credentialSubject"]["encodedList"]).get(index) == 1

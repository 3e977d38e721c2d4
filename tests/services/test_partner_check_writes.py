"""What a partner check costs the store: the access-log row goes in with one prepared
statement inside the check's own committed transaction (no ORM read first), and a
record's partner facts are read once and then served from memory."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text

from registry.core.records.credential import RecordFacts
from registry.services.access.tokens import Principal
from registry.services.partners import facts as facts_module
from registry.services.partners.checks import (
    PartnerAnswer,
    partner_verify,
    partner_verify_at_once,
)
from registry.services.partners.facts import partner_facts
from registry.services.people.access_log import VERIFY, Caller, log_check
from registry.services.runtime.context import Registry
from registry.services.verification.verifier import Verifier
from registry.storage import personal
from registry.storage.personal import log_access_committed, log_access_if_held
from tests.support.clock import now

JIASHAN = Principal(0, "partner", "嘉善伙伴系统", "330421", "test")
NOT_HELD = "00000000-0000-4000-8000-000000000000"


@contextmanager
def statements(registry: Registry) -> Iterator[list[str]]:
    """Every SQL statement the registry's engine runs meanwhile, in order."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(" ".join(statement.split()).upper())

    event.listen(registry.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(registry.engine, "before_cursor_execute", record)


def logged_rows(registry: Registry, record_id: str) -> int:
    """Access-log rows of a record, read on a fresh connection (only committed rows)."""
    with registry.engine.connect() as connection:
        query = text("SELECT count(*) FROM record_access WHERE record_id = :r")
        return int(connection.execute(query, {"r": record_id}).scalar_one())


def _log(registry: Registry, record_id: str) -> bool:
    return log_check(
        registry,
        Caller.of(JIASHAN),
        record_id,
        action=VERIFY,
        purpose="人才引进",
        outcome="valid",
        region="330421",
        now=now(),
    )


@contextmanager
def held_writer_statements(registry: Registry) -> Iterator[list[str]]:
    """Every statement SQLite's driver runs on the connections the access log keeps for
    its commits (made by a first check of a record not held, which logs nothing)."""
    assert _log(registry, NOT_HELD) is False
    spare = personal._writers.spare(registry.engine)
    assert spare is not None
    held = list(spare)
    seen: list[str] = []
    for connection in held:
        connection.set_trace_callback(lambda sql: seen.append(" ".join(sql.split()).upper()))
    try:
        yield seen
    finally:
        for connection in held:
            connection.set_trace_callback(None)


def test_a_check_is_logged_by_one_insert_committed_before_the_answer(registry, demo):
    record_id = demo.records[0]
    if registry.engine.dialect.name == "sqlite":
        with held_writer_statements(registry) as seen:
            assert _log(registry, record_id) is True
        assert seen[0] == "BEGIN IMMEDIATE" and seen[-1] == "COMMIT", seen
        writes = seen[1:-1]
        assert len(writes) == 1 and writes[0].startswith("INSERT INTO RECORD_ACCESS"), seen
    else:
        assert _log(registry, record_id) is True
    assert logged_rows(registry, record_id) == 1  # committed: seen on a fresh connection


def test_the_row_is_stored_as_through_core(registry, demo):
    """The driver-level write stores every column as SQLAlchemy Core would (on SQLite a
    datetime becomes SQLAlchemy's text form, not the driver's own)."""
    record_id = demo.records[0]
    values = {
        "record_id": record_id,
        "token_id": None,
        "client_name": "嘉善伙伴系统",
        "client_role": "partner",
        "region_code": "330421",
        "action": VERIFY,
        "purpose": "人才引进",
        "outcome": "valid",
        "created_at": now().replace(microsecond=123456),
    }
    with registry.writing() as connection:
        assert log_access_if_held(connection, values)
    assert log_access_committed(registry.engine, values)
    with registry.engine.connect() as connection:
        query = text(
            "SELECT record_id, token_id, client_name, client_role, region_code, action, "
            "purpose, outcome, CAST(created_at AS VARCHAR(64)) FROM record_access "
            "WHERE record_id = :r ORDER BY id"
        )
        through_core, direct = connection.execute(query, {"r": record_id}).all()
    assert tuple(direct) == tuple(through_core)


def test_a_record_not_held_is_not_logged(registry, demo):
    assert _log(registry, NOT_HELD) is False
    assert logged_rows(registry, NOT_HELD) == 0


def test_a_check_off_the_loop_waits_for_another_writer_then_is_logged(registry, demo):
    """The connections kept for the log never wait for the write lock; a check that may
    wait (in a worker thread) then goes through the pool and waits its turn."""
    record_id = demo.records[0]
    taken, release = threading.Event(), threading.Event()

    def other_writer() -> None:
        with registry.writing() as other:
            other.execute(text("SELECT 1"))  # BEGIN IMMEDIATE (SQLite): the lock is taken
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=other_writer)
    holder.start()
    try:
        assert taken.wait(10)
        threading.Timer(0.2, release.set).start()
        assert _log(registry, record_id) is True
    finally:
        release.set()
        holder.join(10)
    assert logged_rows(registry, record_id) == 1


def test_a_partner_verify_is_logged_once(registry, demo):
    verifier = Verifier(registry)
    record_id = demo.records[0]
    with registry.reading() as session:
        payload = session.execute(
            text("SELECT qr_payload FROM credential WHERE id = :r"), {"r": record_id}
        ).scalar_one()
    checked = partner_verify(
        verifier, JIASHAN, purpose="人才引进", qr=payload, credential=None, region=None, now=now()
    )
    assert checked.verification.verified
    assert "partner" in checked.body
    assert logged_rows(registry, record_id) == 1


def _facts_of(registry: Registry, record_id: str) -> RecordFacts:
    verifier = Verifier(registry)
    with registry.reading() as session:
        payload = session.execute(
            text("SELECT qr_payload FROM credential WHERE id = :r"), {"r": record_id}
        ).scalar_one()
    found = verifier.qr(payload, now=now()).facts
    assert found is not None
    return found


def test_partner_facts_are_read_once_and_an_answer_cannot_change_them(registry, demo):
    facts_module._cache.clear()
    facts = _facts_of(registry, demo.records[0])
    with statements(registry) as first:
        answer = partner_facts(registry, facts)
    assert answer is not None and first
    answer["labels"].clear()
    answer[answer["detailsKey"]]["changed"] = True
    with statements(registry) as second:
        again = partner_facts(registry, facts)
    assert second == []
    assert again is not None and again["labels"] and "changed" not in again[again["detailsKey"]]


def test_partner_facts_of_another_issuer_are_refused_even_when_cached(registry, demo):
    facts = _facts_of(registry, demo.records[0])
    assert partner_facts(registry, facts) is not None
    other = RecordFacts(**{**facts.__dict__, "issuer_uscc": "91310000MA1FL8XQ2K"})
    assert partner_facts(registry, other) is None


def _qr_of(registry: Registry, record_id: str) -> str:
    with registry.reading() as session:
        payload: str = session.execute(
            text("SELECT qr_payload FROM credential WHERE id = :r"), {"r": record_id}
        ).scalar_one()
    return payload


def _at_once(registry: Registry, record_id: str, **asked: Any) -> PartnerAnswer | None:
    return partner_verify_at_once(
        Verifier(registry),
        JIASHAN,
        purpose="人才引进",
        qr=asked.get("qr", _qr_of(registry, record_id)),
        credential=asked.get("credential"),
        region=None,
        now=now(),
    )


def test_a_qr_check_on_sqlite_runs_at_once_and_is_logged(registry, demo):
    record_id = demo.records[0]
    checked = _at_once(registry, record_id)
    if registry.engine.dialect.name != "sqlite":
        assert checked is None  # PostgreSQL: a network round trip, so a worker thread
        assert logged_rows(registry, record_id) == 0
        return
    assert checked is not None and checked.verification.verified
    assert logged_rows(registry, record_id) == 1


def test_a_check_does_not_wait_for_another_writer_on_the_loop(registry, demo):
    """While another transaction holds SQLite's write lock, the check is not done at once
    (nothing logged, no wait): the caller runs it in a thread, where it waits its turn."""
    if registry.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock; on PostgreSQL every check runs in a thread")
    record_id = demo.records[0]
    with registry.writing() as other:
        other.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock is taken
        assert _at_once(registry, record_id) is None
    assert logged_rows(registry, record_id) == 0
    assert _at_once(registry, record_id) is not None  # the lock is free again
    assert logged_rows(registry, record_id) == 1


def test_a_credential_check_never_runs_at_once(registry, demo):
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["x"]}
    assert _at_once(registry, demo.records[0], qr=None, credential=credential) is None
    assert logged_rows(registry, demo.records[0]) == 0

"""The log's append lock on SQLite: a writing transaction holds the database write lock
from its BEGIN, so taking the lock costs no statement; any other transaction takes it
with a write before its first read."""

from __future__ import annotations

import sqlite3

import pytest

from registry.storage.transparency import LogRepository


def _statements_of(session) -> list[str]:
    seen: list[str] = []
    session.connection().connection.driver_connection.set_trace_callback(seen.append)
    return seen


def _write_lock_taken(settings) -> bool:
    other = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"), timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    finally:
        other.close()
    return False


def test_a_writing_transaction_takes_the_log_lock_without_a_statement(
    registry, demo, settings, database_url
):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    with registry.transaction() as session:
        seen = _statements_of(session)
        LogRepository(session).lock_for_append()
        assert seen == []
        assert _write_lock_taken(settings)
        session.connection().connection.driver_connection.set_trace_callback(None)


def test_a_reading_session_takes_the_write_lock_for_the_log(registry, demo, settings, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    with registry.reading() as session:
        seen = _statements_of(session)
        assert not _write_lock_taken(settings)
        LogRepository(session).lock_for_append()
        assert seen and _write_lock_taken(settings)
        session.connection().connection.driver_connection.set_trace_callback(None)
        session.rollback()

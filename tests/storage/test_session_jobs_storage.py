"""The ``session_job`` store: a job ends once (a late end of an interrupted job changes
nothing), only a silent running job is interrupted, listings leave reports unread, old
jobs are deleted, and revision 0013 goes down and up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm.exc import DetachedInstanceError

from registry.storage.engine import migrate
from registry.storage.session_jobs import SessionJobRepository, SessionJobRow
from tests.support.migrations import store_taken_down_to, table_names

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
REPORT = {"source": "CSV", "rows": [{"n": 2, "o": "issued", "id": "r1"}]}


def _job(job_id: str, started: datetime, uscc: str | None = "12330421MB0000070P"):
    return SessionJobRow(
        id=job_id,
        issuer_uscc=uscc,
        token_id=1,
        record_type="ProfessionalTitleCredential",
        session_key="k",
        filename="s.csv",
        state="running",
        started_at=started,
        heartbeat_at=started,
    )


def test_a_job_ends_once_and_only_a_silent_one_is_interrupted(registry):
    with registry.transaction() as session:
        jobs = SessionJobRepository(session)
        jobs.add(_job("a", T0))
        jobs.add(_job("b", T0))
    with registry.transaction() as session:
        jobs = SessionJobRepository(session)
        jobs.progress("a", 100, 300, T0 + timedelta(seconds=50))
        assert not jobs.interrupt_if_silent("a", T0 + timedelta(seconds=40), T0, "interrupted", {})
        assert jobs.interrupt_if_silent("b", T0 + timedelta(seconds=40), T0, "interrupted", {})
        assert jobs.finish("a", "done", T0 + timedelta(minutes=1), done=300, report=REPORT)
        assert not jobs.finish("a", "failed", T0 + timedelta(minutes=2))
        assert not jobs.finish("b", "done", T0 + timedelta(minutes=2), done=1, report=REPORT)
    with registry.reading() as session:
        jobs = SessionJobRepository(session)
        a, b = jobs.get("a"), jobs.get("b")
    assert a is not None and b is not None
    assert (a.state, a.done, a.total, a.report) == ("done", 300, 300, REPORT)
    assert a.finished_at == T0 + timedelta(minutes=1)
    assert (b.state, b.report) == ("interrupted", None)


def test_listings_are_newest_first_of_one_organisation_without_reports(registry):
    with registry.transaction() as session:
        jobs = SessionJobRepository(session)
        for n in range(3):
            jobs.add(_job(f"q{n}", T0 + timedelta(minutes=n)))
        jobs.add(_job("other", T0 + timedelta(minutes=5), uscc="91320509MB0000000X"))
        jobs.add(_job("old", T0 - timedelta(days=1)))
        jobs.finish("q2", "done", T0, done=1, report=REPORT)
    with registry.reading() as session:
        listed = SessionJobRepository(session).recent("12330421MB0000070P", 10, since=T0)
        everyone = SessionJobRepository(session).recent(None, 2, since=T0)
    assert [row.id for row in listed] == ["q2", "q1", "q0"]
    assert [row.id for row in everyone] == ["other", "q2"]
    with pytest.raises(DetachedInstanceError):
        _ = listed[0].report  # never loaded
    with registry.transaction() as session:
        assert SessionJobRepository(session).forget_before(T0) == 1
    with registry.reading() as session:
        assert SessionJobRepository(session).get("old") is None


def test_the_revision_goes_down_and_up(database_url):
    with store_taken_down_to(database_url, "0012") as engine:
        assert "session_job" not in table_names(engine)
        migrate(engine)
        assert "session_job" in table_names(engine)

"""Console upload jobs live in the store: a job one worker runs is answered by any other
(progress, every row's outcome, the error of a refused sheet); a job whose worker fell
silent shows interrupted and stays so; old jobs are forgotten; an organisation sees only
its own."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from registry.core.errors import RegistryError
from registry.demo.data import QINGPU_BUREAU, WUJIANG_BUREAU
from registry.services.access.tokens import Principal, authenticate
from registry.services.issuance import session_jobs
from registry.services.issuance.review_sessions import ISSUED, REFUSED
from registry.services.issuance.session_jobs import (
    DONE,
    FAILED,
    INTERRUPTED,
    RUNNING,
    SessionJobs,
)
from registry.services.runtime.context import Registry
from registry.storage.session_jobs import SessionJobRepository
from tests.support.fixtures import bearer
from tests.support.session_sheets import BAD_CHECK_DIGIT, csv_bytes, title_rows

TITLE = "ProfessionalTitleCredential"


@pytest.fixture
def principals(registry, demo) -> dict[str, Principal]:
    return {
        name: authenticate(registry, bearer(demo.tokens[token])["Authorization"])
        for name, token in (
            ("qingpu", f"issuer:{QINGPU_BUREAU.uscc}"),
            ("wujiang", f"issuer:{WUJIANG_BUREAU.uscc}"),
            ("admin", "admin"),
        )
    }


@pytest.fixture
def other_worker(settings) -> Iterator[SessionJobs]:
    """The jobs as a second worker sees them: its own registry on the same store."""
    opened = Registry.open(settings)
    yield SessionJobs(opened)
    opened.close()


def _code(call) -> str:
    with pytest.raises(RegistryError) as raised:
        call()
    return raised.value.code


def test_another_worker_answers_for_a_job_it_does_not_run(registry, principals, other_worker):
    rows = title_rows(3)
    rows[2][1] = BAD_CHECK_DIGIT  # row 3 refused
    mine = SessionJobs(registry)
    started = mine.start(
        principals["qingpu"], TITLE, csv_bytes(rows), "s.csv", session_key="two-workers"
    )
    seen = other_worker.wait(principals["qingpu"], started.job_id, timeout=60)
    assert seen.now.state == DONE and (seen.now.done, seen.now.total) == (3, 3)
    assert seen.now.rows is not None
    assert [(row.number, row.outcome) for row in seen.now.rows] == [
        (2, ISSUED),
        (3, REFUSED),
        (4, ISSUED),
    ]
    refused = seen.now.rows[1]
    assert refused.column == "idNumber" and refused.error is not None
    assert refused.error.problems and refused.error.problems[0].pointer
    issued = seen.now.rows[0]
    assert issued.record_id and issued.verify_url and issued.name
    assert mine.get(principals["qingpu"], started.job_id) == seen  # one truth, whoever reads
    assert [job.job_id for job in other_worker.recent(principals["qingpu"])] == [started.job_id]
    assert other_worker.recent(principals["qingpu"])[0].now.rows is None  # listed unread


def test_a_refused_sheet_is_a_failed_job_with_its_error_everywhere(
    registry, principals, other_worker
):
    started = SessionJobs(registry).start(
        principals["qingpu"], TITLE, b"\x00\x01not a sheet", "x.xlsx", session_key="bad-file"
    )
    seen = other_worker.wait(principals["qingpu"], started.job_id, timeout=60)
    assert seen.now.state == FAILED and seen.now.error is not None and seen.now.rows is None
    assert seen.now.error.code and seen.now.error.message_zh and seen.now.error.message_en


def _running_job(registry, principal, *, silent_for: timedelta) -> str:
    """A job as a worker leaves it when killed mid-sheet: running, last beat long ago."""
    jobs = SessionJobs(registry)
    started = jobs.start(principal, TITLE, csv_bytes(title_rows(1)), "s.csv", session_key="k1")
    jobs.wait(principal, started.job_id, timeout=60)
    long_ago = datetime.now(UTC) - silent_for
    with registry.transaction() as session:
        row = SessionJobRepository(session).get(started.job_id)
        assert row is not None
        row.state, row.heartbeat_at, row.finished_at, row.report = RUNNING, long_ago, None, None
        session.add(row)
    return started.job_id


def test_a_job_whose_worker_fell_silent_shows_interrupted(registry, principals, other_worker):
    silent = session_jobs.STALE_AFTER + timedelta(seconds=5)
    job_id = _running_job(registry, principals["qingpu"], silent_for=silent)
    seen = other_worker.get(principals["qingpu"], job_id)
    assert seen.now.state == INTERRUPTED
    assert seen.now.error is not None and seen.now.error.code == "SESSION_JOB_INTERRUPTED"
    # the worker, back from the dead, cannot turn it into a report no page will show
    with registry.transaction() as session:
        assert not SessionJobRepository(session).finish(job_id, DONE, datetime.now(UTC), done=1)
    assert other_worker.get(principals["qingpu"], job_id).now.state == INTERRUPTED


def test_a_job_beating_recently_is_still_running(registry, principals, other_worker):
    job_id = _running_job(registry, principals["qingpu"], silent_for=timedelta(seconds=1))
    assert other_worker.get(principals["qingpu"], job_id).now.state == RUNNING
    assert other_worker.recent(principals["qingpu"])[0].now.state == RUNNING


def test_only_its_organisation_or_an_admin_sees_a_job(registry, principals, other_worker):
    jobs = SessionJobs(registry)
    started = jobs.start(
        principals["qingpu"], TITLE, csv_bytes(title_rows(1)), "s.csv", session_key="mine"
    )
    jobs.wait(principals["qingpu"], started.job_id, timeout=60)
    wujiang = principals["wujiang"]
    assert _code(lambda: other_worker.get(wujiang, started.job_id)) == "SESSION_JOB_NOT_YOURS"
    assert other_worker.recent(wujiang) == []
    assert other_worker.get(principals["admin"], started.job_id).job_id == started.job_id
    assert _code(lambda: other_worker.get(wujiang, "nope")) == "SESSION_JOB_UNKNOWN"


def test_jobs_older_than_their_time_are_forgotten(registry, principals, monkeypatch):
    jobs = SessionJobs(registry)
    old = jobs.start(
        principals["qingpu"], TITLE, csv_bytes(title_rows(1)), "a.csv", session_key="a"
    )
    jobs.wait(principals["qingpu"], old.job_id, timeout=60)
    with registry.transaction() as session:
        row = SessionJobRepository(session).get(old.job_id)
        assert row is not None
        row.started_at = datetime.now(UTC) - session_jobs.JOB_TTL - timedelta(minutes=1)
        session.add(row)
    assert _code(lambda: jobs.get(principals["qingpu"], old.job_id)) == "SESSION_JOB_UNKNOWN"
    assert jobs.recent(principals["qingpu"]) == []
    new = jobs.start(
        principals["qingpu"], TITLE, csv_bytes(title_rows(1)), "b.csv", session_key="b"
    )
    jobs.wait(principals["qingpu"], new.job_id, timeout=60)
    with registry.reading() as session:  # starting a job deleted the old one, report and all
        assert SessionJobRepository(session).get(old.job_id) is None


def test_a_worker_shutting_down_declares_its_unfinished_jobs_interrupted(
    registry, principals, other_worker, monkeypatch
):
    release = threading.Event()
    real = session_jobs.issue_sheet

    def slow(*args, **kwargs):
        release.wait(60)  # the sheet is still being issued when the worker stops
        return real(*args, **kwargs)

    monkeypatch.setattr(session_jobs, "issue_sheet", slow)
    jobs = SessionJobs(registry)
    qingpu = principals["qingpu"]
    started = jobs.start(qingpu, TITLE, csv_bytes(title_rows(1)), "s.csv", session_key="stop")
    assert other_worker.get(qingpu, started.job_id).now.state == RUNNING
    assert jobs.interrupt_own() == 1
    seen = other_worker.get(qingpu, started.job_id)
    assert seen.now.state == INTERRUPTED and seen.now.error is not None
    assert seen.now.error.code == "SESSION_JOB_INTERRUPTED"
    release.set()  # the thread ends its work; the job stays as the pages were told
    deadline = time.monotonic() + 60
    while jobs._running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not jobs._running
    seen = other_worker.get(qingpu, started.job_id)
    assert seen.now.state == INTERRUPTED and seen.now.rows is None

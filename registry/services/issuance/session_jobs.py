"""Review sessions run in the background for the clerks' console: one job per uploaded
sheet, with progress a page can poll and, once done, every row's outcome.

Jobs live in the store (``session_job``), so every worker answers for every job: the
upload may land on one worker and each poll, page, results CSV or certificates ZIP on
another. The worker running a job beats a heartbeat every ``HEARTBEAT_SECONDS``; a
running job silent for ``STALE_AFTER`` (its worker died or was killed) is shown
interrupted (``SESSION_JOB_INTERRUPTED``). Jobs are kept ``JOB_TTL``. The records issued
are in the store whatever becomes of the job; uploading the same sheet again under the
same session key answers the rows already issued without issuing them twice and issues
the rest (see ``review_sessions``).
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from registry.core.errors import ErrorKind, RegistryError, forbidden, not_found
from registry.services.access.tokens import Principal, require_role
from registry.services.issuance.requests import require_issuer_token
from registry.services.issuance.review_sessions import (
    ROWS_PER_TRANSACTION,
    issue_sheet,
    require_record_type,
    require_session_key,
)
from registry.services.issuance.session_outcomes import (
    JobRow,
    error_from_stored,
    report_from_stored,
    stored_error,
    stored_report,
)
from registry.services.runtime.context import Registry
from registry.storage.session_jobs import SessionJobRepository, SessionJobRow

JOB_TTL = timedelta(hours=12)
HEARTBEAT_SECONDS = 5.0
STALE_AFTER = timedelta(seconds=60)  # twelve heartbeats missed: the worker is gone
FINISH_ATTEMPTS = 3  # storing a job's end, should the store be busy or away a moment
RUNNING, DONE, FAILED, INTERRUPTED = "running", "done", "failed", "interrupted"
RECENT = 10

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobState:
    """A consistent view of a job at one moment (a page renders one, never a mix)."""

    state: str
    done: int
    total: int
    rows: tuple[JobRow, ...] | None  # every row's outcome, once the job is done
    error: RegistryError | None

    def count(self, outcome: str) -> int:
        """Rows with this outcome (0 before the job is done)."""
        return sum(1 for row in self.rows or () if row.outcome == outcome)


@dataclass(frozen=True)
class SessionJob:
    """One uploaded sheet being issued, or issued: who started it and where it is."""

    job_id: str
    issuer_uscc: str | None
    record_type: str
    session_key: str
    filename: str
    started_at: datetime
    now: JobState

    def snapshot(self) -> JobState:
        """Where the job was when it was read."""
        return self.now


def _job(row: SessionJobRow, *, with_rows: bool = True) -> SessionJob:
    stored = row.report if with_rows else None
    report = report_from_stored(stored) if stored is not None else None
    error = error_from_stored(row.error) if row.error is not None else None
    return SessionJob(
        row.id,
        row.issuer_uscc,
        row.record_type,
        row.session_key,
        row.filename,
        row.started_at,
        JobState(row.state, row.done, row.total, report, error),
    )


def _unknown_job() -> RegistryError:
    return not_found(
        "SESSION_JOB_UNKNOWN",
        "找不到该上传任务（任务只保留 12 小时）；已签发的记录不受影响，可用同一批次键重新上传",
        "no such upload (uploads are kept 12 hours); records issued stay issued: upload the "
        "sheet again with the same session key",
    )


def _job_failed() -> RegistryError:
    return RegistryError(
        "SESSION_JOB_FAILED",
        "处理表格时发生内部错误；已签发的记录不受影响，请用同一批次键重新上传",
        "an internal error stopped the upload; records issued stay issued: upload the sheet "
        "again with the same session key",
        ErrorKind.UNAVAILABLE,
    )


def _job_interrupted() -> RegistryError:
    return RegistryError(
        "SESSION_JOB_INTERRUPTED",
        "处理该表格的服务进程已停止，上传中断；已签发的记录不受影响，请用同一批次键重新上传以签发其余各行",
        "the server process issuing this sheet stopped and the upload was interrupted; records "
        "issued stay issued: upload the sheet again with the same session key to issue the rest",
        ErrorKind.UNAVAILABLE,
    )


class SessionJobs:
    """The console's upload jobs, kept in the store and run by the worker that took the
    upload."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._running: set[str] = set()  # the jobs this process runs
        self._lock = threading.Lock()

    def start(
        self,
        principal: Principal,
        record_type: str,
        data: bytes,
        filename: str,
        *,
        session_key: str,
    ) -> SessionJob:
        """Check what can be checked at once (role, type, session key), store the job, then
        issue the sheet in a background thread; the job, running."""
        require_issuer_token(principal)
        require_record_type(record_type, "/recordType")
        require_session_key(session_key)
        now = datetime.now(UTC)
        row = SessionJobRow(
            id=secrets.token_urlsafe(16),
            issuer_uscc=principal.issuer_uscc,
            token_id=principal.token_id,
            record_type=record_type,
            session_key=session_key,
            filename=filename[:255],
            state=RUNNING,
            started_at=now,
            heartbeat_at=now,
        )
        with self.registry.transaction() as session:
            jobs = SessionJobRepository(session)
            jobs.forget_before(now - JOB_TTL)
            jobs.add(row)
        job = _job(row)
        with self._lock:
            self._running.add(job.job_id)
        thread = threading.Thread(
            target=self._run, args=(job, principal, data), name="session-job", daemon=True
        )
        thread.start()
        return job

    def _run(self, job: SessionJob, principal: Principal, data: bytes) -> None:
        stop = threading.Event()
        beating = threading.Thread(
            target=self._beat, args=(job.job_id, stop), name="session-job-heartbeat", daemon=True
        )
        beating.start()
        try:
            report = issue_sheet(
                self.registry,
                principal,
                job.record_type,
                data,
                job.filename,
                session_key=job.session_key,
                now=datetime.now(UTC),
                progress=lambda done, total: self._progress(job.job_id, done, total),
            )
        except RegistryError as error:
            self._finish(job.job_id, FAILED, error=error)
        except Exception as unexpected:  # its message may quote a cell: the type alone
            log.error("a console upload failed: %s", type(unexpected).__name__)
            self._finish(job.job_id, FAILED, error=_job_failed())
        else:
            stored = stored_report(report)
            self._finish(job.job_id, DONE, done=len(report.outcomes), report=stored)
        finally:
            stop.set()
            with self._lock:
                self._running.discard(job.job_id)

    def interrupt_own(self) -> int:
        """Declare interrupted every job this process still runs (it is shutting down: the
        pages say so at once rather than once the heartbeat is missed); how many."""
        with self._lock:
            running = list(self._running)
        if not running:
            return 0
        now, interrupted = datetime.now(UTC), stored_error(_job_interrupted())
        try:
            with self.registry.transaction() as session:
                jobs = SessionJobRepository(session)
                return sum(jobs.finish(i, INTERRUPTED, now, error=interrupted) for i in running)
        except Exception:  # the heartbeat, missed, will tell the pages instead
            log.warning("console uploads could not be declared interrupted", exc_info=True)
            return 0

    def _beat(self, job_id: str, stop: threading.Event) -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            try:
                with self.registry.transaction() as session:
                    SessionJobRepository(session).heartbeat(job_id, datetime.now(UTC))
            except Exception:  # the store is away for a moment: beat again later
                log.warning("a console upload's heartbeat could not be stored", exc_info=True)

    def _progress(self, job_id: str, done: int, total: int) -> None:
        if done % ROWS_PER_TRANSACTION and done != total:
            return  # stored once a transaction of rows, not once a row
        try:
            with self.registry.transaction() as session:
                SessionJobRepository(session).progress(job_id, done, total, datetime.now(UTC))
        except Exception:  # the page shows older progress; the issuing goes on
            log.warning("a console upload's progress could not be stored", exc_info=True)

    def _finish(
        self,
        job_id: str,
        state: str,
        *,
        done: int | None = None,
        error: RegistryError | None = None,
        report: dict[str, object] | None = None,
    ) -> None:
        for attempt in range(1, FINISH_ATTEMPTS + 1):
            try:
                with self.registry.transaction() as session:
                    SessionJobRepository(session).finish(
                        job_id,
                        state,
                        datetime.now(UTC),
                        done=done,
                        error=stored_error(error) if error is not None else None,
                        report=report,
                    )
                return
            except Exception:  # left running, the job is shown interrupted once silent
                log.warning("a console upload's end could not be stored", exc_info=True)
                if attempt < FINISH_ATTEMPTS:
                    time.sleep(HEARTBEAT_SECONDS)

    def _settled(self, row: SessionJobRow, now: datetime) -> SessionJobRow:
        """The row, a running job whose worker fell silent declared interrupted first."""
        if row.state != RUNNING or row.heartbeat_at >= now - STALE_AFTER:
            return row
        with self.registry.transaction() as session:
            jobs = SessionJobRepository(session)
            jobs.interrupt_if_silent(
                row.id, now - STALE_AFTER, now, INTERRUPTED, stored_error(_job_interrupted())
            )
            settled = jobs.get(row.id)
        assert settled is not None
        return settled

    def get(self, principal: Principal, job_id: str) -> SessionJob:
        """A job its own organisation started (any, for an admin), or ``SESSION_JOB_UNKNOWN``."""
        require_role(principal, "issuer")
        now = datetime.now(UTC)
        with self.registry.reading() as session:
            row = SessionJobRepository(session).get(job_id)
        if row is None or now - row.started_at > JOB_TTL:
            raise _unknown_job()
        if principal.role != "admin" and (
            row.issuer_uscc != principal.issuer_uscc or principal.issuer_uscc is None
        ):
            raise forbidden(
                "SESSION_JOB_NOT_YOURS",
                "只能查看本机构的上传任务",
                "only the organisation that uploaded the sheet may see this upload",
            )
        return _job(self._settled(row, now))

    def recent(self, principal: Principal, limit: int = RECENT) -> list[SessionJob]:
        """The organisation's latest jobs (all for an admin), newest first."""
        require_role(principal, "issuer")
        if principal.role != "admin" and principal.issuer_uscc is None:
            return []
        now = datetime.now(UTC)
        uscc = None if principal.role == "admin" else principal.issuer_uscc
        with self.registry.reading() as session:
            rows = SessionJobRepository(session).recent(uscc, limit, since=now - JOB_TTL)
        return [_job(self._settled(row, now), with_rows=False) for row in rows]

    def wait(self, principal: Principal, job_id: str, timeout: float) -> SessionJob:
        """Wait until the job ends (tests and the CLI); the job as it was last read."""
        deadline = time.monotonic() + timeout
        job = self.get(principal, job_id)
        while job.now.state == RUNNING and time.monotonic() < deadline:
            time.sleep(0.05)
            job = self.get(principal, job_id)
        return job


__all__ = [
    "DONE",
    "FAILED",
    "INTERRUPTED",
    "RUNNING",
    "JobState",
    "SessionJob",
    "SessionJobs",
]

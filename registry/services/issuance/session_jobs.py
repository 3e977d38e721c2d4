"""Review sessions run in the background for the clerks' console: one job per uploaded
sheet, with progress a page can poll and, once done, every row's outcome.

Jobs live in the serving process's memory (the recent ``MAX_JOBS``, for ``JOB_TTL``): a
page reload finds its job again by id, but a restart or another worker does not. The
records issued are in the store whatever becomes of the job; uploading the same sheet
again under the same session key answers the rows already issued without issuing them
twice (see ``review_sessions``).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from registry.core.errors import ErrorKind, RegistryError, forbidden, not_found
from registry.services.access.tokens import Principal, require_role
from registry.services.issuance.requests import require_issuer_token
from registry.services.issuance.review_sessions import (
    SessionReport,
    issue_sheet,
    require_record_type,
    require_session_key,
)
from registry.services.runtime.context import Registry

MAX_JOBS = 200
JOB_TTL = timedelta(hours=12)
RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass
class SessionJob:
    """One uploaded sheet being issued: who started it, how far it is, and its report."""

    job_id: str
    issuer_uscc: str | None
    token_id: int
    record_type: str
    session_key: str
    filename: str
    started_at: datetime
    state: str = RUNNING
    done: int = 0
    total: int = 0
    report: SessionReport | None = None
    error: RegistryError | None = None
    finished_at: datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def snapshot(self) -> JobState:
        """Where the job is now, read at once."""
        with self._lock:
            return JobState(self.state, self.done, self.total, self.report, self.error)

    def progress(self, done: int, total: int) -> None:
        """Called by the issuing loop after each row."""
        with self._lock:
            self.done, self.total = done, total


@dataclass(frozen=True)
class JobState:
    """A consistent view of a job at one moment (a page renders one, never a mix)."""

    state: str
    done: int
    total: int
    report: SessionReport | None
    error: RegistryError | None


def _unknown_job() -> RegistryError:
    return not_found(
        "SESSION_JOB_UNKNOWN",
        "找不到该上传任务（任务只保留 12 小时，服务重启后不再保留）；已签发的记录不受影响，"
        "可用同一批次键重新上传",
        "no such upload (uploads are kept 12 hours and not across a restart); records issued "
        "stay issued: upload the sheet again with the same session key",
    )


class SessionJobs:
    """The jobs of one serving process."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._jobs: OrderedDict[str, SessionJob] = OrderedDict()
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
        """Check what can be checked at once (role, type, session key), then issue the
        sheet in a background thread; the job, running."""
        require_issuer_token(principal)
        require_record_type(record_type, "/recordType")
        require_session_key(session_key)
        job = SessionJob(
            secrets.token_urlsafe(16),
            principal.issuer_uscc,
            principal.token_id,
            record_type,
            session_key,
            filename,
            datetime.now(UTC),
        )
        with self._lock:
            self._forget_old(job.started_at)
            self._jobs[job.job_id] = job
        thread = threading.Thread(
            target=self._run, args=(job, principal, data), name="session-job", daemon=True
        )
        thread.start()
        return job

    def _run(self, job: SessionJob, principal: Principal, data: bytes) -> None:
        try:
            report = issue_sheet(
                self.registry,
                principal,
                job.record_type,
                data,
                job.filename,
                session_key=job.session_key,
                now=datetime.now(UTC),
                progress=job.progress,
            )
        except RegistryError as error:
            with job._lock:
                job.error, job.state = error, FAILED
        except Exception:
            with job._lock:
                job.error, job.state = _job_failed(), FAILED
        else:
            with job._lock:
                job.report, job.state = report, DONE
                job.done = job.total = len(report.outcomes)
        finally:
            with job._lock:
                job.finished_at = datetime.now(UTC)

    def _forget_old(self, now: datetime) -> None:
        while len(self._jobs) >= MAX_JOBS:
            self._jobs.popitem(last=False)
        for key in [k for k, j in self._jobs.items() if now - j.started_at > JOB_TTL]:
            del self._jobs[key]

    def get(self, principal: Principal, job_id: str) -> SessionJob:
        """A job its own organisation started (any, for an admin), or ``SESSION_JOB_UNKNOWN``."""
        require_role(principal, "issuer")
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or datetime.now(UTC) - job.started_at > JOB_TTL:
            raise _unknown_job()
        if principal.role != "admin" and (
            job.issuer_uscc != principal.issuer_uscc or principal.issuer_uscc is None
        ):
            raise forbidden(
                "SESSION_JOB_NOT_YOURS",
                "只能查看本机构的上传任务",
                "only the organisation that uploaded the sheet may see this upload",
            )
        return job

    def recent(self, principal: Principal, limit: int = 10) -> list[SessionJob]:
        """The organisation's latest jobs (all for an admin), newest first."""
        require_role(principal, "issuer")
        with self._lock:
            jobs = list(self._jobs.values())
        mine = [
            job
            for job in jobs
            if principal.role == "admin" or job.issuer_uscc == principal.issuer_uscc
        ]
        return list(reversed(mine))[:limit]

    def wait(self, job: SessionJob, timeout: float) -> bool:
        """Wait until the job ends (tests and the CLI); whether it did."""
        deadline = time.monotonic() + timeout
        while job.state == RUNNING and time.monotonic() < deadline:
            time.sleep(0.02)
        return job.state != RUNNING


def _job_failed() -> RegistryError:
    return RegistryError(
        "SESSION_JOB_FAILED",
        "处理表格时发生内部错误；已签发的记录不受影响，请用同一批次键重新上传",
        "an internal error stopped the upload; records issued stay issued: upload the sheet "
        "again with the same session key",
        ErrorKind.UNAVAILABLE,
    )


__all__ = ["DONE", "FAILED", "RUNNING", "JobState", "SessionJob", "SessionJobs"]

"""Console review-session jobs in ``session_job``: who started which upload, how far it
is, its heartbeat, and once ended its report, so that every worker answers for a job
whichever worker runs it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Table, delete, update
from sqlalchemy.orm import defer
from sqlmodel import Field, Session, SQLModel, col, select

from registry.storage.repositories import as_utc

RUNNING = "running"


class SessionJobRow(SQLModel, table=True):
    """One uploaded sheet being issued, or issued: its state, progress and outcome."""

    __tablename__ = "session_job"

    id: str = Field(max_length=32, primary_key=True)
    issuer_uscc: str | None = Field(default=None, max_length=18, index=True)
    token_id: int
    record_type: str = Field(max_length=64)
    session_key: str = Field(max_length=64)
    filename: str = Field(max_length=255)
    state: str = Field(max_length=16)
    done: int = 0
    total: int = 0
    started_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )
    heartbeat_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    finished_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    error: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    report: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


_JOB: Table = SessionJobRow.__table__  # type: ignore[attr-defined]


def _utc(row: SessionJobRow) -> SessionJobRow:
    row.started_at = as_utc(row.started_at) or row.started_at
    row.heartbeat_at = as_utc(row.heartbeat_at) or row.heartbeat_at
    row.finished_at = as_utc(row.finished_at)
    return row


class SessionJobRepository:
    """Queries over the console's upload jobs."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: SessionJobRow) -> None:
        """Store a new job."""
        self.session.add(row)

    def get(self, job_id: str) -> SessionJobRow | None:
        """A job by id."""
        row = self.session.get(SessionJobRow, job_id)
        return _utc(row) if row is not None else None

    def recent(
        self, issuer_uscc: str | None, limit: int, *, since: datetime
    ) -> Sequence[SessionJobRow]:
        """The latest jobs started since a moment of an organisation (of every one for
        ``None``), newest first, without their reports (``report`` is not loaded)."""
        statement = (
            select(SessionJobRow)
            .options(defer(SessionJobRow.report))  # type: ignore[arg-type]
            .where(col(SessionJobRow.started_at) >= since)
        )
        if issuer_uscc is not None:
            statement = statement.where(SessionJobRow.issuer_uscc == issuer_uscc)
        statement = statement.order_by(col(SessionJobRow.started_at).desc()).limit(limit)
        return [_utc(row) for row in self.session.exec(statement).all()]

    def progress(self, job_id: str, done: int, total: int, now: datetime) -> None:
        """Rows done of rows in all, while the job runs (a heartbeat as well)."""
        self.session.connection().execute(
            update(_JOB)
            .where(_JOB.c.id == job_id, _JOB.c.state == RUNNING)
            .values(done=done, total=total, heartbeat_at=now)
        )

    def heartbeat(self, job_id: str, now: datetime) -> None:
        """The job's worker is alive and still running it."""
        self.session.connection().execute(
            update(_JOB)
            .where(_JOB.c.id == job_id, _JOB.c.state == RUNNING)
            .values(heartbeat_at=now)
        )

    def finish(
        self,
        job_id: str,
        state: str,
        now: datetime,
        *,
        done: int | None = None,
        error: dict[str, Any] | None = None,
        report: dict[str, Any] | None = None,
    ) -> bool:
        """End a running job (done or failed) with its report or error; whether it was
        still running (a job already declared interrupted stays so)."""
        values: dict[str, Any] = {"state": state, "finished_at": now, "heartbeat_at": now}
        if done is not None:
            values.update(done=done, total=done)
        if error is not None:
            values["error"] = error
        if report is not None:
            values["report"] = report
        result = self.session.connection().execute(
            update(_JOB).where(_JOB.c.id == job_id, _JOB.c.state == RUNNING).values(**values)
        )
        return bool(result.rowcount)

    def interrupt_if_silent(
        self, job_id: str, silent_since: datetime, now: datetime, state: str, error: dict[str, Any]
    ) -> bool:
        """End a running job whose worker has not beaten since ``silent_since`` (it died
        or was killed) as ``state`` with ``error``; whether it did."""
        result = self.session.connection().execute(
            update(_JOB)
            .where(
                _JOB.c.id == job_id,
                _JOB.c.state == RUNNING,
                _JOB.c.heartbeat_at < silent_since,
            )
            .values(state=state, finished_at=now, error=error)
        )
        return bool(result.rowcount)

    def forget_before(self, started_before: datetime) -> int:
        """Delete the jobs started before a moment (their report with them); how many."""
        result = self.session.connection().execute(
            delete(_JOB).where(_JOB.c.started_at < started_before)
        )
        return int(result.rowcount)


__all__ = ["SessionJobRepository", "SessionJobRow"]

"""Each row's outcome of a review session as the console keeps it in the store (JSON in
``session_job``) and reads it back: what the job page and the results CSV show, and no
more (no ID number, no credential)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from registry.core.errors import ErrorKind, FieldProblem, RegistryError
from registry.services.issuance.review_sessions import RowOutcome, SessionReport


@dataclass(frozen=True)
class JobRow:
    """One row's outcome: its record (id, e-licence id, verify URL, holder's name) when
    issued or replayed, its error and sheet column when refused."""

    number: int
    outcome: str
    record_id: str = ""
    electronic_licence_id: str = ""
    verify_url: str = ""
    name: str = ""
    column: str = ""
    error: RegistryError | None = None


def job_row(row: RowOutcome) -> JobRow:
    """What is kept of a row's outcome."""
    record = row.record
    if record is None:
        return JobRow(row.number, row.outcome, column=row.column or "", error=row.error)
    subject = record.credential.get("credentialSubject") or {}
    name = subject.get("name", "") if isinstance(subject, dict) else ""
    return JobRow(
        row.number,
        row.outcome,
        record.record_id,
        record.electronic_licence_id or "",
        record.qr_url,
        name if isinstance(name, str) else "",
        row.column or "",
        row.error,
    )


def job_rows(outcomes: Iterable[RowOutcome]) -> list[JobRow]:
    """What is kept of every row's outcome, in order."""
    return [job_row(row) for row in outcomes]


def stored_error(error: RegistryError) -> dict[str, Any]:
    """An error as JSON."""
    return {
        "code": error.code,
        "zh": error.message_zh,
        "en": error.message_en,
        "kind": error.kind.value,
        "problems": [[p.pointer, p.code, p.message_zh, p.message_en] for p in error.problems],
    }


def error_from_stored(stored: Mapping[str, Any]) -> RegistryError:
    """An error read back from its JSON."""
    return RegistryError(
        stored["code"],
        stored["zh"],
        stored["en"],
        ErrorKind(stored["kind"]),
        tuple(FieldProblem(*problem) for problem in stored["problems"]),
    )


def stored_report(report: SessionReport) -> dict[str, Any]:
    """A session's report as JSON: the sheet's source and every row."""
    rows = []
    for row in job_rows(report.outcomes):
        stored: dict[str, Any] = {"n": row.number, "o": row.outcome}
        if row.record_id:
            stored.update(
                id=row.record_id, eid=row.electronic_licence_id, url=row.verify_url, name=row.name
            )
        if row.column:
            stored["col"] = row.column
        if row.error is not None:
            stored["err"] = stored_error(row.error)
        rows.append(stored)
    return {"source": report.source, "rows": rows}


def report_from_stored(stored: Mapping[str, Any]) -> tuple[JobRow, ...]:
    """Every row's outcome read back from the report's JSON."""
    rows: Sequence[Mapping[str, Any]] = stored["rows"]
    return tuple(
        JobRow(
            row["n"],
            row["o"],
            row.get("id", ""),
            row.get("eid", ""),
            row.get("url", ""),
            row.get("name", ""),
            row.get("col", ""),
            error_from_stored(row["err"]) if "err" in row else None,
        )
        for row in rows
    )


__all__ = [
    "JobRow",
    "error_from_stored",
    "job_row",
    "job_rows",
    "report_from_stored",
    "stored_error",
    "stored_report",
]

"""The results of a review session, one line per row, as the CLI writes them and the
console offers them for download."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from registry.core.errors import RegistryError
from registry.services.issuance.session_outcomes import JobRow

RESULT_COLUMNS = (
    "row",
    "outcome",
    "record_id",
    "electronic_licence_id",
    "verify_url",
    "error_code",
    "column",
    "pointer",
    "message_zh",
    "message_en",
)


def refusal_reason(error: RegistryError) -> tuple[str, str, str]:
    """The most specific reason of a refusal: its first field problem, else the error."""
    if error.problems:
        problem = error.problems[0]
        return problem.code, problem.message_zh, problem.message_en
    return error.code, error.message_zh, error.message_en


def results_csv(rows: Iterable[JobRow]) -> str:
    """Every row's outcome as CSV: record id and verify URL, or the code, column, field
    pointer and message of its refusal."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    for row in rows:
        error = row.error
        code, zh, en = refusal_reason(error) if error is not None else ("", "", "")
        pointer = error.problems[0].pointer if error is not None and error.problems else ""
        writer.writerow(
            [
                row.number,
                row.outcome,
                row.record_id,
                row.electronic_licence_id,
                row.verify_url,
                code,
                row.column,
                pointer,
                zh,
                en,
            ]
        )
    return out.getvalue()


__all__ = ["RESULT_COLUMNS", "refusal_reason", "results_csv"]

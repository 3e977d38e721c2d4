"""Issuing a whole review session (评审批次): many records of one type, from a spreadsheet
(the CLI) or a list of credentials (the API).

Each row is issued on its own, exactly as ``issue_record`` issues one record: a bad row is
refused with its reasons (before it writes anything) and never stops the others. Rows are
committed ``ROWS_PER_TRANSACTION`` at a time, so a session of tens of thousands of rows
runs in one go; progress is reported after each commit. A run that dies (killed, power cut)
loses at most the rows of the transaction it was in, and running it again resumes. Every row
carries an idempotency key made of the session key and the row's place, so running the
same session again (after fixing the refused rows, say) answers the rows already issued
with the records first issued and issues only the rest. A row already issued but changed
since is refused as ``IDEMPOTENCY_KEY_REUSED``: amend that record instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from registry.core.errors import (
    FieldProblem,
    RegistryError,
    invalid,
    malformed,
    too_large,
)
from registry.core.records.sheetrows import (
    Column,
    column_of,
    credential_of_row,
    read_columns,
    template_columns,
)
from registry.core.recordtypes import RECORD_TYPES
from registry.services.access.tokens import Principal
from registry.services.issuance.issue import IssuedRecord, issue_record
from registry.services.issuance.requests import (
    BATCH_ITEM_PREFIX,
    SHEET_ROW_PREFIX,
    require_issuer_token,
)
from registry.services.issuance.stored import expect_new_keys, leaves_at_end
from registry.services.runtime.context import Registry
from registry.services.runtime.spreadsheets import (
    file_too_large,
    read_table,
    template_workbook,
    unreadable_file,
)

MAX_SHEET_BYTES = 32 * 1024 * 1024
MAX_SHEET_ROWS = 50_000
ROWS_PER_TRANSACTION = 100
MAX_SHEET_COLUMNS = 64
MAX_BATCH_ITEMS = 1000
SESSION_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
Progress = Callable[[int, int], None]  # (rows done, rows in all)

ISSUED, REPLAYED, REFUSED = "issued", "replayed", "refused"
NUMBER_KINDS = ("integer", "number", "boolean")  # columns a template leaves as numbers


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row: issued now, issued before (replayed), or refused."""

    number: int  # the spreadsheet row (header is row 1) or the API item's index
    outcome: str
    record: IssuedRecord | None = None
    error: RegistryError | None = None
    column: str | None = None  # the sheet column the first problem falls in, if known


@dataclass(frozen=True)
class SessionReport:
    """Every row's outcome, in order."""

    session_key: str
    outcomes: list[RowOutcome] = field(default_factory=list)
    source: str = ""  # what the file was read as: "XLSX", "CSV (GB18030/GBK)"...

    def count(self, outcome: str) -> int:
        """Rows with this outcome."""
        return sum(1 for row in self.outcomes if row.outcome == outcome)


def require_session_key(value: str, pointer: str = "/sessionKey") -> str:
    """A session key: 1-64 letters, digits, ``.``, ``_`` or ``-``, starting with a letter or
    digit (for example ``2026-senior-engineers-1``)."""
    if not SESSION_KEY.fullmatch(value):
        zh = "批次键须为 1-64 个字母、数字、点、下划线或连字符，并以字母或数字开头"
        en = (
            "a session key is 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
        raise invalid(
            "SESSION_KEY_INVALID", zh, en, (FieldProblem(pointer, "SESSION_KEY_INVALID", zh, en),)
        )
    return value


def require_record_type(value: str, pointer: str = "/type") -> str:
    """One of the registry's record types."""
    if value not in RECORD_TYPES:
        zh = "不支持的记录类型"
        en = f"unsupported record type (supported: {', '.join(RECORD_TYPES)})"
        raise invalid(
            "RECORD_TYPE_UNSUPPORTED",
            zh,
            en,
            (FieldProblem(pointer, "RECORD_TYPE_UNSUPPORTED", zh, en),),
        )
    return value


_sheet_unreadable = unreadable_file("SHEET_FILE_UNREADABLE", "评审批次表格", "review-session sheet")


def sheet_too_large() -> RegistryError:
    """The error for a sheet file over ``MAX_SHEET_BYTES``."""
    return file_too_large(
        "SHEET_FILE_TOO_LARGE", "评审批次表格", "review-session sheet", MAX_SHEET_BYTES
    )


def _too_many(limit: int, what_zh: str, what_en: str) -> RegistryError:
    return too_large(
        "SESSION_TOO_LARGE",
        f"一个评审批次至多 {limit} {what_zh}",
        f"a review session holds at most {limit:,} {what_en}",
    )


@dataclass(frozen=True)
class Sheet:
    """A sheet's checked columns, its non-empty rows (with their row numbers) and what
    the file was read as (``XLSX``, ``CSV (UTF-8)``, ``CSV (GB18030/GBK)``...)."""

    columns: tuple[Column, ...]
    rows: list[tuple[int, list[str]]]
    source: str


def open_sheet(data: bytes, filename: str, record_type: str) -> Sheet:
    """The sheet, read and its header checked; nothing is issued yet."""
    if len(data) > MAX_SHEET_BYTES:
        raise sheet_too_large()
    table = read_table(
        data, filename, _sheet_unreadable, max_columns=MAX_SHEET_COLUMNS, gb18030=True
    )
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(table.rows, start=1):
        if header is None:
            header = cells
        elif any(cell.strip() for cell in cells):
            if len(rows) >= MAX_SHEET_ROWS:
                raise _too_many(MAX_SHEET_ROWS, "行", "rows")
            rows.append((number, cells))
    if header is None or not rows:
        raise invalid(
            "SHEET_EMPTY",
            "表格没有表头或没有数据行",
            "the sheet has no header or no rows",
        )
    columns = read_columns(record_type, header, [cells for _, cells in rows])
    return Sheet(columns, rows, table.source)


def read_sheet(
    data: bytes, filename: str, record_type: str
) -> tuple[tuple[Column, ...], list[tuple[int, list[str]]]]:
    """The checked columns and the non-empty rows (with their row numbers) of a sheet."""
    sheet = open_sheet(data, filename, record_type)
    return sheet.columns, sheet.rows


def sheet_template(record_type: str) -> bytes:
    """The XLSX template of a review session of this type: every column it may have, each
    explained, and the columns of text (ID numbers among them) formatted as text."""
    require_record_type(record_type)
    described = template_columns(record_type)
    kinds = read_columns(record_type, [name for name, _ in described])
    return template_workbook(
        record_type,
        [
            (name, description, column.kind not in NUMBER_KINDS)
            for (name, description), column in zip(described, kinds, strict=True)
        ],
    )


def _issue_one(
    registry: Registry,
    principal: Principal,
    credential: Any,
    key: str,
    now: datetime,
    *,
    within: Session | None = None,
) -> tuple[str, IssuedRecord | None, RegistryError | None]:
    if not isinstance(credential, Mapping):  # answered as POST /credentials/issue would
        zh, en = "credential 必须是 JSON 对象", "credential must be a JSON object"
        problem = FieldProblem("/credential", "REQUEST_INVALID", zh, en)
        return REFUSED, None, replace(malformed("REQUEST_INVALID", zh, en), problems=(problem,))
    try:
        issued = issue_record(
            registry, principal, credential, now=now, session_row_key=key, within=within
        )
    except RegistryError as error:
        return REFUSED, None, error
    return (REPLAYED if issued.replayed else ISSUED), issued, None


def issue_sheet(
    registry: Registry,
    principal: Principal,
    record_type: str,
    data: bytes,
    filename: str,
    *,
    session_key: str,
    now: datetime,
    progress: Progress | None = None,
) -> SessionReport:
    """Issue every row of a review-session sheet (CSV or XLSX) as a record of
    ``record_type``. A file that cannot be read, or a wrong header, refuses the whole
    sheet before anything is issued; after that each row stands alone."""
    issuer_uscc = require_issuer_token(principal)
    require_record_type(record_type)
    require_session_key(session_key)
    sheet = open_sheet(data, filename, record_type)
    columns, rows = sheet.columns, sheet.rows
    report = SessionReport(session_key, source=sheet.source)
    for start in range(0, len(rows), ROWS_PER_TRANSACTION):
        chunk: list[RowOutcome] = []
        with registry.transaction() as session, leaves_at_end(session):
            part = rows[start : start + ROWS_PER_TRANSACTION]
            keys = [f"{SHEET_ROW_PREFIX}{session_key}:{number}" for number, _ in part]
            expect_new_keys(session, issuer_uscc, keys)
            for (number, cells), key in zip(part, keys, strict=True):
                try:
                    credential: Any = credential_of_row(record_type, columns, cells)
                except RegistryError as unreadable:
                    chunk.append(_refused(number, unreadable, columns))
                    continue
                outcome, issued, error = _issue_one(
                    registry, principal, credential, key, now, within=session
                )
                chunk.append(
                    _refused(number, error, columns)
                    if error is not None
                    else RowOutcome(number, outcome, issued)
                )
        report.outcomes.extend(chunk)  # committed: only now are these rows issued
        if progress is not None:
            for done in range(start + 1, start + len(chunk) + 1):
                progress(done, len(rows))
    return report


def _refused(number: int, error: RegistryError, columns: Sequence[Column] = ()) -> RowOutcome:
    pointer = error.problems[0].pointer if error.problems else ""
    column = column_of(columns, pointer) if pointer else None
    return RowOutcome(number, REFUSED, error=error, column=column)


def issue_items(
    registry: Registry,
    principal: Principal,
    credentials: Sequence[Any],
    *,
    session_key: str,
    now: datetime,
) -> SessionReport:
    """Issue up to ``MAX_BATCH_ITEMS`` credentials (each as ``POST /credentials/issue``
    takes one), numbered by their index from 0."""
    require_issuer_token(principal)
    require_session_key(session_key)
    if len(credentials) > MAX_BATCH_ITEMS:
        raise _too_many(MAX_BATCH_ITEMS, "项", "items")
    report = SessionReport(session_key)
    for index, credential in enumerate(credentials):
        key = f"{BATCH_ITEM_PREFIX}{session_key}:{index}"
        outcome, issued, error = _issue_one(registry, principal, credential, key, now)
        report.outcomes.append(
            _refused(index, error) if error is not None else RowOutcome(index, outcome, issued)
        )
    return report


__all__ = [
    "ISSUED",
    "MAX_BATCH_ITEMS",
    "MAX_SHEET_BYTES",
    "REFUSED",
    "REPLAYED",
    "ROWS_PER_TRANSACTION",
    "RowOutcome",
    "SessionReport",
    "Sheet",
    "issue_items",
    "issue_sheet",
    "open_sheet",
    "read_sheet",
    "require_record_type",
    "require_session_key",
    "sheet_template",
    "sheet_too_large",
]

"""``registry batch``: issue a whole review session (评审批次) from a spreadsheet."""

from __future__ import annotations

import csv
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from registry.cli.invocation import fail, opened_registry
from registry.core.errors import RegistryError
from registry.core.records.sheetrows import template_columns
from registry.core.recordtypes import RECORD_TYPES
from registry.services.access.tokens import Principal
from registry.services.issuance.review_sessions import (
    MAX_SHEET_BYTES,
    REFUSED,
    REPLAYED,
    issue_sheet,
    sheet_template,
    sheet_too_large,
)
from registry.services.issuance.session_outcomes import job_rows
from registry.services.issuance.session_results import refusal_reason, results_csv

PROGRESS_EVERY = 100
EXIT_ROWS_REFUSED = 3


@click.group()
def batch() -> None:
    """Review sessions (评审批次): issue many records of one type from a spreadsheet."""


@batch.command("issue")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--type",
    "record_type",
    required=True,
    type=click.Choice(list(RECORD_TYPES)),
    help="The record type every row is issued as.",
)
@click.option(
    "--session",
    "session_key",
    required=True,
    help="The session's key, e.g. 2026-senior-engineers-1: running the same file again "
    "with it issues only the rows not yet issued.",
)
@click.option("--issuer", "issuer_uscc", required=True, help="USCC of the issuing organisation.")
@click.option(
    "--results",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write one line per row [default: FILE with .results.csv].",
)
def batch_issue(
    file: Path, record_type: str, session_key: str, issuer_uscc: str, results: Path | None
) -> None:
    """Issue every row of FILE (CSV in UTF-8 or GBK/GB18030, or XLSX: first sheet) as a
    record.

    Row 1 names the fields: paths into credentialSubject such as name, idNumber,
    professionalTitle.series (`registry batch template TYPE` writes them), plus validFrom
    and validUntil. Lists take `;` between items; lists of objects take JSON. A bad row is
    refused with its column and reason and never stops the others.

    Writes the results file (row, outcome issued/replayed/refused, record id, e-licence id,
    verify URL, or the error code, column and message). Exit status 0 when every row is
    issued, 3 when any row is refused (fix those rows and run again with the same
    --session), 2 when the file or its header is refused as a whole (nothing issued),
    including a sheet over 50,000 rows (SESSION_TOO_LARGE) or 32 MB (SHEET_FILE_TOO_LARGE).

    Rows are committed 100 at a time, with a progress line on standard error after each
    100. A run that is interrupted (killed, a lost connection) is resumed by running the
    same command again: rows already issued are replayed, not issued twice.
    """
    if file.stat().st_size > MAX_SHEET_BYTES:
        fail(sheet_too_large())
    data = file.read_bytes()
    target = results or file.with_name(file.name + ".results.csv")

    def progress(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == total:
            click.echo(f"[{done}/{total}] rows done / 已处理", err=True)

    principal = Principal(0, "issuer", issuer_uscc, None, "cli")
    with opened_registry() as registry:
        try:
            report = issue_sheet(
                registry,
                principal,
                record_type,
                data,
                file.name,
                session_key=session_key,
                now=datetime.now(UTC),
                progress=progress,
            )
        except RegistryError as error:
            fail(error)
    target.write_text(results_csv(job_rows(report.outcomes)), encoding="utf-8")
    refused = report.count(REFUSED)
    replayed = report.count(REPLAYED)
    issued = len(report.outcomes) - refused - replayed
    click.echo(
        f"issued {issued}, already issued {replayed}, refused {refused} / "
        f"新签发 {issued}，此前已签发 {replayed}，拒绝 {refused}; results: {target}"
    )
    click.echo(f"read as / 读取为: {report.source}", err=True)
    if refused:
        for row in report.outcomes:
            if row.outcome == REFUSED and row.error is not None:
                where = f" ({row.column})" if row.column else ""
                code, zh, en = refusal_reason(row.error)
                click.echo(f"  row {row.number}{where}: {code} {zh} / {en}", err=True)
        sys.exit(EXIT_ROWS_REFUSED)


@batch.command("template")
@click.argument("record_type", type=click.Choice(list(RECORD_TYPES)))
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (.xlsx: a workbook whose header cells explain each field, its text "
    "columns, such as ID numbers, formatted as text) "
    "[default: the CSV header on standard output].",
)
def batch_template(record_type: str, output: Path | None) -> None:
    """The header row of a review-session sheet for RECORD_TYPE: every field it may set."""
    columns = [column for column, _ in template_columns(record_type)]
    if output is not None and output.suffix.lower() == ".xlsx":
        output.write_bytes(sheet_template(record_type))
        click.echo(f"template written / 模板已写入: {output}", err=True)
        return
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(columns)
    if output is None:
        click.echo(out.getvalue(), nl=False)
    else:
        output.write_text(out.getvalue(), encoding="utf-8-sig")
        click.echo(f"template written / 模板已写入: {output}", err=True)


COMMANDS: tuple[click.Command, ...] = (batch,)

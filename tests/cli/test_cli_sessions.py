"""``registry batch issue`` and ``template``: a review session from a sheet, the results
file, progress, exit statuses; and ``registry issue`` in a process of its own."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import openpyxl

from features.steps.command import environment, registry_command
from registry.cli import sessions
from registry.cli.main import cli
from registry.core.records.schemas import schema_document
from registry.demo.data import QINGPU_BUREAU
from tests.support.privacy import assert_no_id_numbers_in_output
from tests.support.session_sheets import BAD_CHECK_DIGIT, csv_bytes, many_title_rows, title_rows

TITLE = "ProfessionalTitleCredential"


def _batch(runner, path, *extra):
    arguments = ["batch", "issue", str(path), "--type", TITLE, "--issuer", QINGPU_BUREAU.uscc]
    return runner.invoke(cli, [*arguments, "--session", "qp-2026-1", *extra])


def _results(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_a_session_with_a_bad_row_exits_3_and_names_it_in_the_results(runner, demo, tmp_path):
    rows = title_rows(3)
    rows[2][1] = BAD_CHECK_DIGIT
    sheet = tmp_path / "评审批次.csv"
    sheet.write_bytes(csv_bytes(rows))
    result = _batch(runner, sheet)
    assert result.exit_code == sessions.EXIT_ROWS_REFUSED, result.output
    assert "issued 2, already issued 0, refused 1" in result.stdout
    assert "[3/3] rows done" in result.stderr
    assert "row 3 (idNumber): ID_NUMBER_INVALID" in result.stderr
    lines = _results(tmp_path / "评审批次.csv.results.csv")
    assert [(line["row"], line["outcome"]) for line in lines] == [
        ("2", "issued"),
        ("3", "refused"),
        ("4", "issued"),
    ]
    assert lines[1]["error_code"] == "ID_NUMBER_INVALID"
    assert lines[1]["column"] == "idNumber"
    assert lines[0]["verify_url"].startswith("http") and "#RC1:" in lines[0]["verify_url"]
    assert lines[0]["electronic_licence_id"].startswith("1.2.156.3005.2.")


def test_fixed_and_run_again_it_exits_0_and_replays_the_rest(runner, demo, tmp_path):
    rows = title_rows(2)
    good = rows[1][1]
    rows[1][1] = BAD_CHECK_DIGIT
    sheet = tmp_path / "s.csv"
    sheet.write_bytes(csv_bytes(rows))
    assert _batch(runner, sheet).exit_code == sessions.EXIT_ROWS_REFUSED
    rows[1][1] = good
    sheet.write_bytes(csv_bytes(rows))
    out = tmp_path / "out.csv"
    result = _batch(runner, sheet, "--results", str(out))
    assert result.exit_code == 0, result.output
    assert [line["outcome"] for line in _results(out)] == ["issued", "replayed"]


def test_a_wrong_header_exits_2_and_issues_nothing(runner, demo, tmp_path):
    rows = title_rows(1)
    rows[0][0] = "姓名"
    sheet = tmp_path / "s.csv"
    sheet.write_bytes(csv_bytes(rows))
    result = _batch(runner, sheet)
    assert result.exit_code == 2
    assert "SHEET_COLUMNS_INVALID" in result.stderr
    assert "/columns/0: COLUMN_UNKNOWN" in result.stderr
    assert not (tmp_path / "s.csv.results.csv").exists()


def test_the_csv_template_is_a_header_the_session_accepts(runner, demo, tmp_path):
    result = runner.invoke(cli, ["batch", "template", TITLE])
    assert result.exit_code == 0
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header[:3] == ["name", "idNumber", "professionalTitle.series"]
    sheet = tmp_path / "s.csv"
    example = schema_document(TITLE)["examples"][0]["credentialSubject"]
    title = example["professionalTitle"]
    cells = {"name": example["name"], "idNumber": title_rows(1)[1][1]}
    cells |= {f"professionalTitle.{name}": value for name, value in title.items()}
    sheet.write_bytes(csv_bytes([header, [cells.get(column, "") for column in header]]))
    assert _batch(runner, sheet).exit_code == 0


def test_the_xlsx_template_explains_each_column(runner, tmp_path):
    target = tmp_path / "template.xlsx"
    result = runner.invoke(cli, ["batch", "template", TITLE, "--output", str(target)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert sheet.cell(row=1, column=1).value == "name"
    comment = sheet.cell(row=1, column=1).comment
    assert comment is not None and comment.text.startswith("姓名")


def test_help_names_the_columns_and_the_exit_statuses(runner):
    result = runner.invoke(cli, ["batch", "issue", "--help"])
    assert result.exit_code == 0
    assert "professionalTitle.series" in result.stdout
    assert "3 when any row is refused" in result.stdout


def test_registry_issue_works_in_a_process_of_its_own(settings, demo, tmp_path):
    """A fresh process has run no ORM query before issuing: the stored rows it builds from
    Core results must still read (this crashed with an AttributeError)."""
    request = tmp_path / "one.json"
    request.write_text(json.dumps(schema_document(TITLE)["examples"][0]), encoding="utf-8")
    completed = subprocess.run(
        [*registry_command(), "issue", str(request), "--issuer", QINGPU_BUREAU.uscc],
        env=environment(settings),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert_no_id_numbers_in_output(completed.stdout + completed.stderr)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["type"][-1] == TITLE


def test_a_session_over_the_row_limit_exits_2_as_the_readme_says(runner, demo, tmp_path):
    from registry.services.issuance import review_sessions

    assert f"{review_sessions.MAX_SHEET_ROWS:,} rows" in runner.invoke(
        cli, ["batch", "issue", "--help"]
    ).stdout.replace("\n", " ")
    sheet = tmp_path / "s.csv"
    sheet.write_bytes(csv_bytes(title_rows(3)))
    original = review_sessions.MAX_SHEET_ROWS
    review_sessions.MAX_SHEET_ROWS = 2
    try:
        result = _batch(runner, sheet)
    finally:
        review_sessions.MAX_SHEET_ROWS = original
    assert result.exit_code == 2, result.output
    assert "SESSION_TOO_LARGE" in result.stderr
    assert not (tmp_path / "s.csv.results.csv").exists()


def test_a_killed_session_run_again_resumes_without_issuing_a_row_twice(settings, demo, tmp_path):
    """SIGKILL once the first 100 rows are committed; the rerun replays what was committed
    (at least those 100), issues the rest, and every row ends up as exactly one record."""
    import signal

    from sqlalchemy import create_engine, text

    from registry.storage.engine import normalise_url

    rows = 300
    sheet = tmp_path / "big.csv"
    sheet.write_bytes(csv_bytes(many_title_rows(rows)))
    command = [
        *registry_command(), "batch", "issue", str(sheet), "--type", TITLE,
        "--issuer", QINGPU_BUREAU.uscc, "--session", "qp-kill-1",
    ]  # fmt: skip
    with subprocess.Popen(
        command, env=environment(settings), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    ) as first:
        assert first.stderr is not None
        seen = b""
        while b"[100/300]" not in seen:
            line = first.stderr.readline()
            assert line, seen.decode("utf-8", "replace")
            seen += line
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=60)
    assert first.returncode == -signal.SIGKILL
    assert not (tmp_path / "big.csv.results.csv").exists()
    second = subprocess.run(
        command,
        env=environment(settings),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert second.returncode == 0, second.stderr
    assert "[300/300] rows done" in second.stderr
    outcomes = [line["outcome"] for line in _results(tmp_path / "big.csv.results.csv")]
    assert len(outcomes) == rows
    assert outcomes.count("replayed") >= 100
    assert set(outcomes) <= {"issued", "replayed"}
    engine = create_engine(normalise_url(settings.database_url))
    try:
        with engine.connect() as connection:
            stored = connection.execute(
                text("SELECT count(*) FROM credential WHERE idempotency_key LIKE :k"),
                {"k": "sheet:qp-kill-1:%"},
            ).scalar_one()
    finally:
        engine.dispose()
    assert stored == rows

"""``registry certificate``: one record's sealed PDF, a review session's PDFs into a folder
or a ZIP with index.csv, and clean refusals."""

from __future__ import annotations

import csv
import io
import zipfile

from registry.cli.main import cli
from registry.demo.data import DEMO_PEOPLE, QINGPU_BUREAU, WUJIANG_BUREAU
from tests.support.pdf import pdf_text, seal_status
from tests.support.session_sheets import BAD_CHECK_DIGIT, csv_bytes, title_rows

TITLE = "ProfessionalTitleCredential"


def test_one_record_prints_to_a_sealed_pdf(runner, demo, tmp_path):
    target = tmp_path / "wang.pdf"
    result = runner.invoke(cli, ["certificate", demo.records[0], "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert str(target) in result.stdout
    assert DEMO_PEOPLE[0].name in pdf_text(target.read_bytes())
    assert seal_status(target.read_bytes()).intact

    other = runner.invoke(
        cli, ["certificate", demo.records[0], "-o", str(target), "--issuer", WUJIANG_BUREAU.uscc]
    )
    assert other.exit_code == 1 and "RECORD_NOT_YOURS" in other.stderr
    neither = runner.invoke(cli, ["certificate", "--output", str(target)])
    assert neither.exit_code == 2 and "either RECORD or --session" in neither.output


def test_a_session_prints_into_a_folder_and_a_zip(runner, demo, tmp_path):
    rows = title_rows(3)
    rows[2][1] = BAD_CHECK_DIGIT  # refused at issuance: no record, no certificate
    sheet = tmp_path / "session.csv"
    sheet.write_bytes(csv_bytes(rows))
    issued = runner.invoke(
        cli,
        ["batch", "issue", str(sheet), "--type", TITLE, "--issuer", QINGPU_BUREAU.uscc,
         "--session", "qp-print-1"],
    )  # fmt: skip
    assert issued.exit_code == 3, issued.output

    folder = tmp_path / "printed"
    result = runner.invoke(cli, ["certificate", "--session", "qp-print-1", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    assert "printed 2, not printed 0" in result.stdout and "[2/2]" in result.stderr
    index = list(csv.DictReader(io.StringIO((folder / "index.csv").read_text("utf-8-sig"))))
    assert [line["row"] for line in index] == ["2", "4"]
    assert all((folder / line["file"]).is_file() for line in index)

    archive_path = tmp_path / "printed.zip"
    zipped = runner.invoke(cli, ["certificate", "--session", "qp-print-1", "-o", str(archive_path)])
    assert zipped.exit_code == 0, zipped.output
    with zipfile.ZipFile(archive_path) as archive:
        assert sorted(archive.namelist()) == sorted(["index.csv", *(i["file"] for i in index)])

    unknown = runner.invoke(cli, ["certificate", "--session", "never-run", "-o", str(folder)])
    assert unknown.exit_code == 2 and "REVIEW_SESSION_UNKNOWN" in unknown.stderr

"""Review-session sheets as clerks make them: ID numbers in number cells, CSV saved as GBK
by Excel on Chinese Windows, dates in Chinese forms, a wrong code answered with the
allowed values, and the XLSX template's text columns."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from registry.demo.data import QINGPU_BUREAU
from registry.services.access.tokens import Principal
from registry.services.issuance.review_sessions import (
    ISSUED,
    REFUSED,
    issue_sheet,
    sheet_template,
)
from registry.services.runtime.spreadsheets import CSV_GB18030, CSV_UTF8_BOM, XLSX, cell_text
from tests.support.clock import now
from tests.support.session_sheets import csv_bytes, sheet_xlsx, title_rows

TITLE = "ProfessionalTitleCredential"
BUREAU = Principal(1, "issuer", QINGPU_BUREAU.uscc, None, "test")
ID, LEVEL, OBTAINED_ON = 1, 4, 7  # columns of tests.support.session_sheets.TITLE_HEADER


def _issue(registry, data: bytes, name: str = "session.csv", key: str = "qp-sheet-1"):
    return issue_sheet(registry, BUREAU, TITLE, data, name, session_key=key, now=now())


def _with_cell_value(workbook: bytes, cell: str, value: str) -> bytes:
    """The workbook with one number cell's stored value replaced (openpyxl itself writes
    big whole numbers in a lossy exponent form, as office suites do)."""
    sheet_path = "xl/worksheets/sheet1.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == sheet_path:
                data = re.sub(
                    rf'(<c r="{cell}" t="n"><v>)[^<]*(</v>)'.encode(),
                    rb"\g<1>" + value.encode() + rb"\g<2>",
                    data,
                )
            target.writestr(item, data)
    return out.getvalue()


def test_an_exact_whole_number_id_cell_is_read_as_its_digits(registry, demo):
    rows: list[list[object]] = [list(row) for row in title_rows(1)]
    digits = str(rows[1][ID])
    rows[1][ID] = int(digits)  # a number cell, its 18 digits stored exactly below
    report = _issue(registry, _with_cell_value(sheet_xlsx(rows), "B2", digits), "session.xlsx")
    assert report.source == XLSX
    assert [row.outcome for row in report.outcomes] == [ISSUED], report.outcomes[0].error
    record = report.outcomes[0].record
    assert record is not None
    assert record.credential["credentialSubject"]["idNumber"].endswith(digits[-4:])


def test_an_id_number_cut_short_in_a_floating_point_cell_is_refused_as_such(registry, demo):
    rows: list[list[object]] = [list(row) for row in title_rows(2)]
    rows[1][ID] = float(str(rows[1][ID]))  # what an office suite stores for a number cell
    report = _issue(registry, sheet_xlsx(rows), name="session.xlsx")
    assert [row.outcome for row in report.outcomes] == [REFUSED, ISSUED]
    refused = report.outcomes[0]
    assert refused.column == "idNumber"
    assert refused.error is not None
    assert "format the column as text" in refused.error.problems[0].message_en


def test_the_float_limit_of_exact_whole_numbers():
    assert cell_text(float(2**53 - 1)) == str(2**53 - 1)
    assert type(cell_text(float(2**53))).__name__ == "InexactNumber"
    assert type(cell_text(2**60)) is str  # an int cell is exact


def test_a_gbk_csv_is_read_and_named(registry, demo):
    data = csv_bytes(title_rows(2)).decode("utf-8-sig").encode("gbk")
    report = _issue(registry, data)
    assert report.source == CSV_GB18030
    assert report.count(ISSUED) == 2
    record = report.outcomes[0].record
    assert record is not None
    assert record.credential["credentialSubject"]["name"] == "测试人员1"


def test_a_utf8_csv_is_named_as_such(registry, demo):
    assert _issue(registry, csv_bytes(title_rows(1))).source == CSV_UTF8_BOM


@pytest.mark.parametrize("typed", ["2026/11/20", "2026.11.20", "2026年11月20日"])
def test_a_date_in_a_chinese_form_is_issued_as_iso(registry, demo, typed):
    rows = title_rows(1)
    rows[1][OBTAINED_ON] = typed
    report = _issue(registry, csv_bytes(rows), key=f"qp-date-{len(typed)}")
    record = report.outcomes[0].record
    assert record is not None, report.outcomes[0].error
    title = record.credential["credentialSubject"]["professionalTitle"]
    assert title["obtainedOn"] == "2026-11-20"


def test_a_wrong_level_is_refused_with_the_allowed_levels(registry, demo):
    rows = title_rows(1)
    rows[1][LEVEL] = "高级"
    (row,) = _issue(registry, csv_bytes(rows)).outcomes
    assert row.outcome == REFUSED and row.column == "professionalTitle.level"
    assert row.error is not None
    message = row.error.problems[0].message_en
    assert "allowed: " in message and "副高级" in message and "正高级" in message


def test_the_template_formats_text_columns_as_text():
    workbook = openpyxl.load_workbook(io.BytesIO(sheet_template(TITLE)))
    sheet = workbook.worksheets[0]
    header = {cell.value: cell.column_letter for cell in sheet[1]}
    assert sheet[f"{header['idNumber']}2"].number_format == "@"
    assert sheet.column_dimensions[header["idNumber"]].number_format == "@"
    assert sheet[f"{header['professionalTitle.obtainedOn']}2"].number_format == "@"
    assert sheet[1][0].comment is not None  # the header explains its field


def test_the_template_leaves_number_columns_as_numbers():
    workbook = openpyxl.load_workbook(io.BytesIO(sheet_template("ContinuingEducationCredential")))
    sheet = workbook.worksheets[0]
    header = {cell.value: cell.column_letter for cell in sheet[1]}
    assert sheet[f"{header['continuingEducation.generalHours']}2"].number_format == "General"
    assert sheet[f"{header['idNumber']}2"].number_format == "@"

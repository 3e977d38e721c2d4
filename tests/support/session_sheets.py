"""Review-session sheets for tests: title rows for Qingpu holders with valid ID numbers
(or with two rows that must be refused), as CSV or XLSX bytes."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from registry.demo.data import QINGPU, demo_id_number
from tests.support.catalogue_files import xlsx_bytes

TITLE_HEADER = [
    "name",
    "idNumber",
    "professionalTitle.series",
    "professionalTitle.specialty",
    "professionalTitle.level",
    "professionalTitle.titleName",
    "professionalTitle.obtainedBy",
    "professionalTitle.obtainedOn",
    "professionalTitle.approvalNumber",
    "professionalTitle.certificateNumber",
]
BAD_CHECK_DIGIT = "310118199001039999"  # the check character of this number is wrong


def title_row(number: int) -> list[str]:
    """A valid intermediate engineer title for the ``number``-th holder of a session."""
    return [
        f"测试人员{number}",
        demo_id_number(QINGPU, f"199001{number:02d}", 900 + number),
        "工程技术",
        "电气工程",
        "中级",
        "工程师",
        "评审",
        "2026-11-20",
        "青人社职〔2026〕12号",
        f"QP-2026-{number:04d}",
    ]


def title_rows(count: int) -> list[list[str]]:
    """The header and ``count`` valid rows."""
    return [list(TITLE_HEADER)] + [title_row(number) for number in range(1, count + 1)]


def sheet_with_bad_rows() -> list[list[str]]:
    """Four title rows of which rows 3 and 5 are refused: see ``BAD_ROWS_OUTCOMES``."""
    rows = title_rows(4)
    rows[2][1] = BAD_CHECK_DIGIT  # row 3: the ID number's check character
    rows[4][4] = "特级"  # row 5: a level that is not in the code list
    return rows


BAD_ROWS_OUTCOMES = [("2", "issued"), ("3", "refused"), ("4", "issued"), ("5", "refused")]


def many_title_rows(count: int) -> list[list[str]]:
    """The header and ``count`` valid rows with distinct holders (any number of them: the
    birth dates walk forward one day a row)."""
    rows = [list(TITLE_HEADER)]
    for number in range(1, count + 1):
        row = title_row(1)
        birth = (date(1960, 1, 1) + timedelta(days=number)).strftime("%Y%m%d")
        row[0] = f"测试人员{number}"
        row[1] = demo_id_number(QINGPU, birth, 990 + number % 10)
        row[9] = f"QP-2026-{number:06d}"
        rows.append(row)
    return rows


def csv_bytes(rows: list[list[str]]) -> bytes:
    """The rows as a UTF-8 CSV file (with a BOM, as spreadsheet programs save it)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def sheet_xlsx(rows: list[list[object]]) -> bytes:
    """The rows as an XLSX workbook."""
    return xlsx_bytes(rows, sheet_title="评审批次")

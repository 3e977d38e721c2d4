"""Catalogue files for tests: the CSV fixtures beside this module, and XLSX copies of them
written with openpyxl (as an office suite would save them)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

CATALOGUES = Path(__file__).parent / "catalogues"
CSV_2024 = CATALOGUES / "foreign_qualifications_2024.csv"  # English headers, no BOM
CSV_2025_ZH = CATALOGUES / "foreign_qualifications_2025_zh.csv"  # Chinese headers, BOM
BAD_ROWS = CATALOGUES / "bad_rows.csv"


def csv_rows(path: Path) -> list[list[str]]:
    """The cells of a CSV fixture."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def xlsx_bytes(rows: list[list[object]], *, sheet_title: str = "目录") -> bytes:
    """An XLSX workbook whose first sheet holds ``rows``."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_from_csv(path: Path) -> bytes:
    """An XLSX copy of a CSV fixture; empty cells stay empty, item numbers stay text."""
    return xlsx_bytes([[cell if cell != "" else None for cell in row] for row in csv_rows(path)])

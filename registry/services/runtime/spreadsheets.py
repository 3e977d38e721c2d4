"""Reading the rows of CSV and XLSX (first sheet) files, for catalogue imports and review
sessions. Each caller names its own error for a file that cannot be read, so its code says
which file was meant.

A CSV is read as UTF-8 (with or without a BOM) and, for review-session sheets, failing
that as GB18030, the superset of the GBK that Excel on Chinese Windows saves; which one is
told (``Table.source``). An
XLSX number cell too long to be exact in a spreadsheet's floating point (an 18-digit ID
number typed into a number cell) is marked ``InexactNumber`` for the reader to refuse.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from registry.core.errors import FieldProblem, RegistryError, invalid, too_large
from registry.core.records.sheetrows import InexactNumber

XLSX_MAGIC = b"PK\x03\x04"
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024  # an XLSX expanding past this is refused unread
Unreadable = Callable[[str, str], RegistryError]  # (zh, en) reason -> the caller's error
TEXT_FORMAT = "@"  # a spreadsheet's "text" number format
TEMPLATE_TEXT_ROWS = 1000
EXACT_FLOAT_LIMIT = 2**53  # from here on a double no longer holds every whole number
XLSX, CSV_UTF8, CSV_UTF8_BOM, CSV_GB18030 = (
    "XLSX",
    "CSV (UTF-8)",
    "CSV (UTF-8 with BOM)",
    "CSV (GB18030/GBK)",
)


@dataclass(frozen=True)
class Table:
    """The rows of a file, and what it was read as (``XLSX``, ``CSV (UTF-8)``...)."""

    rows: Iterator[list[str]]
    source: str


def unreadable_file(code: str, file_zh: str, file_en: str) -> Unreadable:
    """The error a caller gives for its kind of file when it cannot be read (``/file``)."""

    def unreadable(zh: str, en: str) -> RegistryError:
        return invalid(
            code,
            f"无法读取{file_zh}：{zh}",
            f"the {file_en} cannot be read: {en}",
            (FieldProblem("/file", code, zh, en),),
        )

    return unreadable


def file_too_large(code: str, file_zh: str, file_en: str, max_bytes: int) -> RegistryError:
    """The error for a caller's kind of file over its size limit."""
    megabytes = max_bytes // (1024 * 1024)
    return too_large(
        code, f"{file_zh}不能超过 {megabytes} MB", f"a {file_en} is at most {megabytes} MB"
    )


def is_xlsx(data: bytes, filename: str) -> bool:
    """Whether a file is an XLSX workbook (by its bytes, else by its name)."""
    return data.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm"))


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: whole numbers without ``.0``, dates as ISO 8601
    (a date-time at midnight as its date). A whole number stored as a floating-point value
    of 2**53 or more may have lost digits: it comes back as ``InexactNumber``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= EXACT_FLOAT_LIMIT:
            return InexactNumber(int(value))
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_text(data: bytes, unreadable: Unreadable, *, gb18030: bool = False) -> tuple[str, str]:
    """A CSV file's text and its encoding: UTF-8 (with or without a BOM), else, when
    ``gb18030`` allows it, GB18030 (which includes GBK)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return text, CSV_UTF8_BOM if data.startswith(b"\xef\xbb\xbf") else CSV_UTF8
    if not gb18030:
        raise unreadable("CSV 文件必须是 UTF-8 编码", "a CSV file must be UTF-8")
    try:
        return data.decode("gb18030"), CSV_GB18030
    except UnicodeDecodeError:
        raise unreadable(
            "CSV 文件须为 UTF-8 或 GBK/GB18030 编码",
            "a CSV file must be UTF-8 or GBK/GB18030",
        ) from None


def _csv_rows(text: str, unreadable: Unreadable) -> Iterator[list[str]]:
    try:
        yield from csv.reader(io.StringIO(text, newline=""), strict=True)
    except csv.Error:
        raise unreadable("CSV 格式错误", "the CSV is malformed") from None


def csv_rows(data: bytes, unreadable: Unreadable) -> Iterator[list[str]]:
    """The rows of a UTF-8 CSV file, as lists of cell texts."""
    text, _ = csv_text(data, unreadable)
    return _csv_rows(text, unreadable)


def xlsx_rows(data: bytes, unreadable: Unreadable, *, max_columns: int) -> Iterator[list[str]]:
    """The rows of an XLSX workbook's first sheet, as lists of cell texts (at most
    ``max_columns`` each); a workbook that would expand past ``MAX_UNZIPPED_BYTES`` is
    refused before it is opened."""
    import openpyxl  # imported here: only XLSX files pay for it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise unreadable("不是有效的 XLSX 文件", "not a valid XLSX file") from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise unreadable("XLSX 解压后过大", "the XLSX expands too much")
    with warnings.catch_warnings():
        # openpyxl warns (UserWarning) about features it drops (styles, extensions): none
        # carry data here. Other warnings, and warnings from elsewhere, still show.
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types on damaged files
            raise unreadable("不是有效的 XLSX 文件", "not a valid XLSX file") from None
        try:
            sheet = workbook.worksheets[0]
            for values in sheet.iter_rows(max_col=max_columns, values_only=True):
                yield [cell_text(value) for value in values]
        except Exception:
            raise unreadable("XLSX 内容损坏", "the XLSX content is damaged") from None
        finally:
            workbook.close()


def template_workbook(title: str, columns: Sequence[tuple[str, str, bool]]) -> bytes:
    """An XLSX workbook with one header row: each column's name, its description as the
    header cell's comment and, for a column of text (``True``: ID numbers, certificate
    numbers, dates typed as text), the text format ``@`` on the column and on its first
    ``TEMPLATE_TEXT_ROWS`` cells, so that a spreadsheet keeps every digit typed there."""
    import openpyxl  # imported here: only XLSX files pay for it
    from openpyxl.comments import Comment

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    for index, (name, description, text) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        if description:
            cell.comment = Comment(description, "registry")
        dimension = sheet.column_dimensions[cell.column_letter]
        dimension.width = max(14, len(name) + 2)
        if text:
            dimension.number_format = TEXT_FORMAT
            for row in range(2, TEMPLATE_TEXT_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = TEXT_FORMAT
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_table(
    data: bytes, filename: str, unreadable: Unreadable, *, max_columns: int, gb18030: bool
) -> Table:
    """The rows of a CSV or XLSX file (told apart by ``is_xlsx``) and what it was read as;
    a CSV in another encoding (GB18030 unless ``gb18030``) is refused here, before any row
    is read."""
    if is_xlsx(data, filename):
        return Table(xlsx_rows(data, unreadable, max_columns=max_columns), XLSX)
    text, encoding = csv_text(data, unreadable, gb18030=gb18030)
    return Table(_csv_rows(text, unreadable), encoding)


def table_rows(
    data: bytes, filename: str, unreadable: Unreadable, *, max_columns: int
) -> Iterator[list[str]]:
    """The rows of a CSV (UTF-8) or XLSX file (told apart by ``is_xlsx``)."""
    return read_table(data, filename, unreadable, max_columns=max_columns, gb18030=False).rows


__all__ = [
    "CSV_GB18030",
    "CSV_UTF8",
    "CSV_UTF8_BOM",
    "XLSX",
    "XLSX_MAGIC",
    "Table",
    "cell_text",
    "csv_rows",
    "csv_text",
    "file_too_large",
    "is_xlsx",
    "read_table",
    "table_rows",
    "template_workbook",
    "unreadable_file",
    "xlsx_rows",
]

"""Reading the rows of CSV (UTF-8, BOM tolerated) and XLSX (first sheet) files, for
catalogue imports and review sessions. Each caller names its own error for a file that
cannot be read, so its code says which file was meant."""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time

from registry.core.errors import FieldProblem, RegistryError, invalid, too_large

XLSX_MAGIC = b"PK\x03\x04"
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024  # an XLSX expanding past this is refused unread
Unreadable = Callable[[str, str], RegistryError]  # (zh, en) reason -> the caller's error


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
    (a date-time at midnight as its date)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_rows(data: bytes, unreadable: Unreadable) -> Iterator[list[str]]:
    """The rows of a UTF-8 CSV file, as lists of cell texts."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise unreadable("CSV 文件必须是 UTF-8 编码", "a CSV file must be UTF-8") from None
    try:
        yield from csv.reader(io.StringIO(text, newline=""), strict=True)
    except csv.Error:
        raise unreadable("CSV 格式错误", "the CSV is malformed") from None


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
        # openpyxl warns about features it drops (styles, extensions): none carry data here
        warnings.simplefilter("ignore")
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


def table_rows(
    data: bytes, filename: str, unreadable: Unreadable, *, max_columns: int
) -> Iterator[list[str]]:
    """The rows of a CSV or XLSX file (told apart by ``is_xlsx``)."""
    if is_xlsx(data, filename):
        return xlsx_rows(data, unreadable, max_columns=max_columns)
    return csv_rows(data, unreadable)


__all__ = [
    "XLSX_MAGIC",
    "cell_text",
    "csv_rows",
    "file_too_large",
    "is_xlsx",
    "table_rows",
    "unreadable_file",
    "xlsx_rows",
]

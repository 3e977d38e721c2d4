"""Qualification-equivalence catalogues (比照认定目录): their identifiers and the checking
of an imported table, row by row.

A catalogue maps foreign professional qualifications to a domestic title series, level and
specialty. Each import is a new version; a table is taken whole or not at all, so every
problem of every row is reported at once, named by row number (as a spreadsheet shows it,
the header being row 1) and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from registry.core.codes import code_list
from registry.core.errors import FieldProblem, RegistryError, invalid

CATALOGUE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$")
ITEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
MAX_ROWS = 5000
MAX_PROBLEMS = 100  # a file with more problems than this is reported in part
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Column:
    """A catalogue column: its key, bilingual label, accepted headers and limits."""

    key: str
    zh: str
    en: str
    max_length: int
    required: bool = True
    code_list: str | None = None

    @property
    def headers(self) -> tuple[str, ...]:
        """Header texts accepted for this column (compared without case or spaces)."""
        return (self.key, self.zh, self.en)


COLUMNS = (
    Column("item", "条目编号", "item number", 32),
    Column("foreignQualification", "境外职业资格", "foreign qualification", 256),
    Column("awardingBody", "颁证机构", "awarding body", 256),
    Column("country", "国家或地区", "country", 64),
    Column("series", "对应职称系列", "mapped series", 32, code_list="title-series"),
    Column("level", "对应级别", "mapped level", 16, code_list="title-levels"),
    Column("specialty", "对应专业", "mapped specialty", 32, False, "specialties"),
    Column("industry", "行业", "industry", 32, code_list="industries"),
)


def _fold(text: str) -> str:
    return "".join(text.split()).lower()


_BY_HEADER = {_fold(header): column for column in COLUMNS for header in column.headers}


@dataclass(frozen=True)
class CatalogueItem:
    """One item: a foreign qualification and the domestic series, level and specialty."""

    item: str
    foreign_qualification: str
    awarding_body: str
    country: str
    series: str
    level: str
    specialty: str | None
    industry: str


@dataclass(frozen=True)
class TableRow:
    """A row as read from a file: its spreadsheet row number and its cells as text."""

    number: int
    cells: tuple[str, ...]


def require_catalogue_id(value: str, pointer: str = "/catalogue") -> str:
    """A catalogue id: 1-32 letters, digits, ``_`` or ``-``, starting with a letter or digit."""
    if not CATALOGUE_ID.match(value):
        raise _one(
            pointer,
            "CATALOGUE_ID_INVALID",
            "目录编号只能由字母、数字、下划线或连字符组成（至多 32 个字符）",
            "a catalogue id is 1-32 letters, digits, '_' or '-'",
        )
    return value


def require_version(value: str, pointer: str = "/version") -> str:
    """A version label: 1-16 letters, digits, ``.``, ``_`` or ``-`` (e.g. ``2025.1``)."""
    if not VERSION.match(value):
        raise _one(
            pointer,
            "CATALOGUE_VERSION_INVALID",
            "目录版本只能由字母、数字、点、下划线或连字符组成（至多 16 个字符）",
            "a catalogue version is 1-16 letters, digits, '.', '_' or '-'",
        )
    return value


def _one(pointer: str, code: str, zh: str, en: str) -> RegistryError:
    return invalid(code, zh, en, (FieldProblem(pointer, code, zh, en),))


class _Problems:
    """Collects the problems of a table, up to ``MAX_PROBLEMS``."""

    def __init__(self) -> None:
        self.found: list[FieldProblem] = []
        self.count = 0

    def add(self, row: int, column: Column | None, code: str, zh: str, en: str) -> None:
        self.count += 1
        if len(self.found) >= MAX_PROBLEMS:
            return
        if column is None:
            self.found.append(
                FieldProblem(f"/rows/{row}", code, f"第 {row} 行：{zh}", f"row {row}: {en}")
            )
            return
        self.found.append(
            FieldProblem(
                f"/rows/{row}/{column.key}",
                code,
                f"第 {row} 行“{column.zh}”列：{zh}",
                f"row {row}, column {column.key}: {en}",
            )
        )

    def raise_if_any(self) -> None:
        if not self.found:
            return
        more = self.count - len(self.found)
        raise invalid(
            "CATALOGUE_ROWS_INVALID",
            f"目录文件有 {self.count} 处错误，未导入任何条目"
            + (f"（仅列出前 {len(self.found)} 处）" if more else ""),
            f"the catalogue file has {self.count} problem(s); nothing was imported"
            + (f" (the first {len(self.found)} are listed)" if more else ""),
            tuple(self.found),
        )


def header_columns(header: Sequence[str]) -> tuple[Column | None, ...]:
    """Which column each header cell names; every required column must be present once."""
    problems = _Problems()
    found: list[Column | None] = []
    seen: set[str] = set()
    for text in header:
        if not text.strip():
            found.append(None)
            continue
        column = _BY_HEADER.get(_fold(text))
        if column is None:
            problems.add(
                1,
                None,
                "CATALOGUE_COLUMN_UNKNOWN",
                f"未知的列“{text[:40]}”，可用的列为："
                + "、".join(f"{c.zh}（{c.key}）" for c in COLUMNS),
                f"unknown column {text[:40]!r}; the columns are: "
                + ", ".join(c.key for c in COLUMNS),
            )
        elif column.key in seen:
            problems.add(1, column, "CATALOGUE_COLUMN_REPEATED", "列重复", "column repeated")
        else:
            seen.add(column.key)
        found.append(column)
    for column in COLUMNS:
        if column.required and column.key not in seen:
            problems.add(
                1, column, "CATALOGUE_COLUMN_MISSING", "缺少必需的列", "required column missing"
            )
    problems.raise_if_any()
    return tuple(found)


def _cell(cells: tuple[str, ...], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _check_cell(row: int, column: Column, value: str, problems: _Problems) -> bool:
    if not value:
        if column.required:
            problems.add(row, column, "CATALOGUE_CELL_MISSING", "不能为空", "must not be empty")
        return not column.required
    if len(value) > column.max_length or _CONTROL.search(value):
        problems.add(
            row,
            column,
            "CATALOGUE_CELL_INVALID",
            f"不能超过 {column.max_length} 个字符，也不能含控制字符",
            f"at most {column.max_length} characters and no control characters",
        )
        return False
    if column.key == "item" and not ITEM.match(value):
        problems.add(
            row,
            column,
            "CATALOGUE_ITEM_INVALID",
            "条目编号只能由字母、数字、点、下划线或连字符组成",
            "an item number is letters, digits, '.', '_' or '-'",
        )
        return False
    if column.code_list and value not in code_list(column.code_list):
        problems.add(
            row,
            column,
            "CODE_UNKNOWN",
            f"不在代码表 {column.code_list} 中",
            f"not in the code list {column.code_list}",
        )
        return False
    return True


def catalogue_items(header: Sequence[str], rows: Iterable[TableRow]) -> tuple[CatalogueItem, ...]:
    """Check a whole table and return its items, or raise with every problem found.

    Blank rows are skipped. Raises ``CATALOGUE_ROWS_INVALID`` (each problem pointing at
    ``/rows/<row>/<column>``), ``CATALOGUE_EMPTY`` or ``CATALOGUE_TOO_LARGE``.
    """
    columns = header_columns(header)
    index = {column.key: i for i, column in enumerate(columns) if column is not None}
    problems = _Problems()
    items: list[CatalogueItem] = []
    first_row: dict[str, int] = {}
    by_key = {column.key: column for column in COLUMNS}
    data_rows = 0
    for row in rows:
        if not any(cell.strip() for cell in row.cells):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise invalid(
                "CATALOGUE_TOO_LARGE",
                f"目录条目不能超过 {MAX_ROWS} 条",
                f"a catalogue version holds at most {MAX_ROWS} items",
            )
        values = {key: _cell(row.cells, i) for key, i in index.items()}
        checked = {
            column.key: _check_cell(row.number, column, values.get(column.key, ""), problems)
            for column in COLUMNS
        }
        item = values.get("item", "")
        if checked["item"]:
            if item in first_row:
                problems.add(
                    row.number,
                    by_key["item"],
                    "CATALOGUE_ITEM_DUPLICATE",
                    f"条目编号与第 {first_row[item]} 行重复",
                    f"the item number repeats row {first_row[item]}",
                )
                continue
            first_row[item] = row.number
        if not all(checked.values()):
            continue
        series, specialty = values["series"], values.get("specialty") or None
        if specialty is not None:
            belongs = code_list("specialties").by_code(specialty).extra.get("series")
            if belongs and belongs != series:
                problems.add(
                    row.number,
                    by_key["specialty"],
                    "CATALOGUE_SPECIALTY_SERIES_MISMATCH",
                    f"专业不属于职称系列“{series}”",
                    f"the specialty does not belong to the series {series!r}",
                )
                continue
        items.append(
            CatalogueItem(
                item=item,
                foreign_qualification=values["foreignQualification"],
                awarding_body=values["awardingBody"],
                country=values["country"],
                series=series,
                level=values["level"],
                specialty=specialty,
                industry=values["industry"],
            )
        )
    problems.raise_if_any()
    if not items:
        raise invalid(
            "CATALOGUE_EMPTY", "目录文件没有任何条目", "the catalogue file holds no items"
        )
    return tuple(items)


__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "CatalogueItem",
    "Column",
    "TableRow",
    "catalogue_items",
    "header_columns",
    "require_catalogue_id",
    "require_version",
]

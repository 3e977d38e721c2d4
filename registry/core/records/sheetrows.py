"""Review-session spreadsheets: columns named by paths into a record type's schema, and
each row turned into an issuance request of that type.

A column header is a path into ``credentialSubject`` with dots between levels
(``name``, ``idNumber``, ``professionalTitle.series``); ``validFrom`` and ``validUntil``
name the credential's own validity. The schema types each cell: integers and numbers are
parsed, a list of plain values is written with ``;`` between items, and a list of objects
(supervisors, dependants, courses) or any object is written as JSON in its cell. An empty
cell leaves its field out. Header problems are reported for the whole file at once, and
a cell problem names the row's field by its JSON pointer, never the cell's value.

Cells are read as clerks type them: a date field takes 2026-11-20, 2026/11/20, 2026.11.20
or 2026年11月20日 (and an office suite's date cell); ``validFrom`` and ``validUntil`` take
such a date as the start and the end of that day in China time. A text field holding a
number that has lost digits (an ID number typed into a number cell, or shown as
3.10118E+17) is refused with the advice to format the column as text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from registry.core.errors import FieldProblem, RegistryError, invalid
from registry.core.records.schemas import schema_document

SUBJECT_PREFIX = "credentialSubject."
CREDENTIAL_COLUMNS = ("validFrom", "validUntil")  # credential-level fields a sheet may set
LIST_SEPARATOR = re.compile(r"[;；]")
MAX_HEADER_SHOWN = 64  # header texts are echoed in errors, cut to this length
SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+")
CHINESE_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
DAY_START, DAY_END = "T00:00:00+08:00", "T23:59:59+08:00"  # China time
DATE_FORMS = (
    "2026-11-20、2026/11/20、2026.11.20 或 2026年11月20日",
    "2026-11-20, 2026/11/20, 2026.11.20 or 2026年11月20日",
)


class InexactNumber(str):
    """The text of a spreadsheet number cell that may have lost digits (a whole number
    stored in floating point past 2**53): a text field refuses it."""

    __slots__ = ()


@dataclass(frozen=True)
class Column:
    """One column of a review-session sheet: where it lands and how its cells are read."""

    index: int  # 0-based position in the sheet
    header: str
    path: tuple[str, ...]  # from the credential's root, e.g. ("credentialSubject", "name")
    kind: str  # "string", "integer", "number", "boolean", "list", "json"
    item_kind: str = "string"  # for "list": the kind of each item
    form: str | None = None  # a string's schema format: "date" or "date-time"


def _resolve(document: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow local ``$ref`` links (``#/$defs/...``) to the schema they name."""
    seen = 0
    while "$ref" in node and seen < 8:
        reference = str(node["$ref"])
        if not reference.startswith("#/$defs/"):
            break
        node = document["$defs"][reference.removeprefix("#/$defs/")]
        seen += 1
    return node


def _kind(document: Mapping[str, Any], node: Mapping[str, Any]) -> tuple[str, str]:
    """The kind of a schema node's cells, and of its items for a list."""
    declared = node.get("type")
    if declared == "array":
        items = _resolve(document, node.get("items", {}))
        item_type = items.get("type")
        if item_type == "object" or "properties" in items:
            return "json", "string"
        return "list", item_type if item_type in ("integer", "number") else "string"
    if declared == "object" or "properties" in node:
        return "json", "string"
    if declared in ("integer", "number", "boolean"):
        return str(declared), "string"
    return "string", "string"


def _node_at(document: Mapping[str, Any], path: Sequence[str]) -> Mapping[str, Any] | None:
    node: Mapping[str, Any] = document
    for part in path:
        node = _resolve(document, node)
        properties = node.get("properties")
        if not isinstance(properties, Mapping) or part not in properties:
            return None
        node = properties[part]
    return _resolve(document, node)


def _path_of(header: str) -> tuple[str, ...]:
    text = header.strip()
    if text in CREDENTIAL_COLUMNS:
        return (text,)
    return ("credentialSubject", *text.removeprefix(SUBJECT_PREFIX).split("."))


def _shown(header: str) -> str:
    return header if len(header) <= MAX_HEADER_SHOWN else header[:MAX_HEADER_SHOWN] + "…"


def _column_problem(index: int, code: str, zh: str, en: str) -> FieldProblem:
    return FieldProblem(f"/columns/{index}", code, zh, en)


def read_columns(
    record_type: str, header: Sequence[str], rows: Sequence[Sequence[str]] = ()
) -> tuple[Column, ...]:
    """The sheet's columns, checked against the type's schema; every problem at once as
    ``SHEET_COLUMNS_INVALID`` (pointers ``/columns/<0-based index>``).

    A column without a header is ignored while every cell in it is empty."""
    document = schema_document(record_type)
    columns: list[Column] = []
    problems: list[FieldProblem] = []
    seen: dict[tuple[str, ...], int] = {}
    for index, raw in enumerate(header):
        text = raw.strip()
        if not text:
            if any(index < len(row) and row[index].strip() for row in rows):
                problems.append(
                    _column_problem(
                        index,
                        "COLUMN_UNNAMED",
                        "没有列名的列中有数据",
                        "a column without a header holds data",
                    )
                )
            continue
        path = _path_of(text)
        node = _node_at(document, path)
        if node is None or any(not part for part in path):
            problems.append(
                _column_problem(
                    index,
                    "COLUMN_UNKNOWN",
                    f"该记录类型没有字段 {_shown(text)}",
                    f"the record type has no field {_shown(text)}",
                )
            )
            continue
        clash = next(
            (other for other in seen if other[: len(path)] == path or path[: len(other)] == other),
            None,
        )
        if clash is not None:
            problems.append(
                _column_problem(
                    index,
                    "COLUMN_DUPLICATE",
                    f"列 {_shown(text)} 与第 {seen[clash] + 1} 列重复或重叠",
                    f"column {_shown(text)} repeats or overlaps column {seen[clash] + 1}",
                )
            )
            continue
        seen[path] = index
        kind, item_kind = _kind(document, node)
        form = node.get("format") if kind == "string" else None
        columns.append(Column(index, text, path, kind, item_kind, form))
    if problems:
        raise invalid(
            "SHEET_COLUMNS_INVALID",
            "表头有误：列名须为记录字段的路径（如 professionalTitle.series）",
            "the header is wrong: each column names a field path "
            "(for example professionalTitle.series)",
            tuple(problems),
        )
    return tuple(columns)


def _cell_problem(column: Column, zh: str, en: str) -> RegistryError:
    pointer = "/credential/" + "/".join(column.path)
    return invalid(
        "SHEET_CELL_INVALID",
        f"单元格无法读取：{zh}",
        f"a cell cannot be read: {en}",
        (FieldProblem(pointer, "SHEET_CELL_INVALID", zh, en),),
    )


def _scalar(column: Column, kind: str, text: str) -> object:
    if kind == "integer":
        if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
            return int(text.split(".", maxsplit=1)[0])
        raise _cell_problem(column, "应为整数", "expected a whole number")
    if kind == "number":
        try:
            value = float(text)
        except ValueError:
            raise _cell_problem(column, "应为数字", "expected a number") from None
        if not math.isfinite(value):
            raise _cell_problem(column, "应为数字", "expected a number")
        return int(value) if value.is_integer() else value
    if kind == "boolean":
        truth = {"true": True, "是": True, "1": True, "false": False, "否": False, "0": False}
        if text.lower() in truth:
            return truth[text.lower()]
        raise _cell_problem(column, "应为 是/否（true/false）", "expected true or false")
    return text


def _lost_digits(column: Column) -> RegistryError:
    return _cell_problem(
        column,
        "这是数字格式的单元格，长数字（如身份证号码）已丢失末几位；请把该列设为“文本”格式后重新输入",
        "this is a number cell, and a long number (such as an ID number) has lost its last "
        "digits: format the column as text and type the value again",
    )


def _date(column: Column, text: str) -> str:
    """A date typed as clerks type it, as ISO 8601 (and a day's start or end in China
    time for ``validFrom`` / ``validUntil``)."""
    if column.form == "date-time" and ISO_DATE_TIME.fullmatch(text):
        return text
    found = CHINESE_DATE.fullmatch(text)
    day: date | None = None
    if found is not None:
        try:
            day = date(int(found[1]), int(found[2]), int(found[3]))
        except ValueError:
            day = None
    if day is None:
        if column.form == "date-time":
            raise _cell_problem(
                column,
                f"应为日期（如 {DATE_FORMS[0]}）或带时区的时间（如 2026-11-20T09:00:00+08:00）",
                f"expected a date (such as {DATE_FORMS[1]}) or a date and time with its "
                "offset (such as 2026-11-20T09:00:00+08:00)",
            )
        raise _cell_problem(
            column, f"应为日期，如 {DATE_FORMS[0]}", f"expected a date such as {DATE_FORMS[1]}"
        )
    if column.form == "date-time":
        return day.isoformat() + (DAY_END if column.path[-1] == "validUntil" else DAY_START)
    return day.isoformat()


def _text(column: Column, text: str) -> str:
    if SCIENTIFIC.fullmatch(text):
        raise _lost_digits(column)
    if column.form in ("date", "date-time"):
        return _date(column, text)
    return text


def _value(column: Column, text: str) -> object:
    if column.kind == "json" or (column.kind == "list" and text.startswith("[")):
        try:
            return json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            raise _cell_problem(column, "应为 JSON", "expected JSON") from None
    if column.kind == "list":
        items = [item.strip() for item in LIST_SEPARATOR.split(text)]
        return [_scalar(column, column.item_kind, item) for item in items if item]
    if column.kind == "string":
        return _text(column, text)
    return _scalar(column, column.kind, text)


def credential_of_row(
    record_type: str, columns: Sequence[Column], cells: Sequence[str]
) -> dict[str, Any]:
    """The issuance request (a credential without proof) one row describes; raises
    ``SHEET_CELL_INVALID`` with the field's pointer for a cell that cannot be read."""
    credential: dict[str, Any] = {
        "type": ["VerifiableCredential", record_type],
        "credentialSubject": {},
    }
    for column in columns:
        cell = cells[column.index] if column.index < len(cells) else ""
        text = cell.strip()
        if not text:
            continue
        if isinstance(cell, InexactNumber) and column.kind in ("string", "list"):
            raise _lost_digits(column)
        target = credential
        for part in column.path[:-1]:
            target = target.setdefault(part, {})
        target[column.path[-1]] = _value(column, text)
    return credential


def column_of(columns: Sequence[Column], pointer: str) -> str | None:
    """The header of the column a problem's pointer (``/credential/...``) falls in."""
    parts = tuple(pointer.removeprefix("/credential/").split("/"))
    for column in columns:
        if parts[: len(column.path)] == column.path:
            return column.header
    return None


def _leaves(
    document: Mapping[str, Any], node: Mapping[str, Any], path: tuple[str, ...]
) -> Iterator[tuple[str, str]]:
    node = _resolve(document, node)
    kind, _ = _kind(document, node)
    properties = node.get("properties")
    if kind == "json" and isinstance(properties, Mapping):
        for name, child in properties.items():
            yield from _leaves(document, child, (*path, name))
        return
    yield ".".join(path), str(node.get("description", ""))


def template_columns(record_type: str) -> list[tuple[str, str]]:
    """Every column a sheet of this type may have, in schema order, with the schema's
    description of each: the subject's fields, then ``validFrom`` and ``validUntil``."""
    document = schema_document(record_type)
    subject = document["properties"]["credentialSubject"]
    columns = [
        (path, description)
        for name, child in _resolve(document, subject).get("properties", {}).items()
        for path, description in _leaves(document, child, (name,))
    ]
    for name in CREDENTIAL_COLUMNS:
        node = _resolve(document, document["properties"][name])
        columns.append((name, str(node.get("description", ""))))
    return columns


__all__ = [
    "Column",
    "InexactNumber",
    "column_of",
    "credential_of_row",
    "read_columns",
    "template_columns",
]

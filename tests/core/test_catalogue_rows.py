"""Checking an imported catalogue table: headers, every cell, duplicates, and all problems
reported at once with their row and column."""

from __future__ import annotations

from dataclasses import astuple

import pytest

from registry.core.errors import RegistryError
from registry.core.qualifications.catalogues import (
    COLUMNS,
    MAX_ROWS,
    CatalogueItem,
    TableRow,
    catalogue_items,
    header_columns,
    require_catalogue_id,
    require_version,
)
from tests.support.catalogue_files import BAD_ROWS, CSV_2024, csv_rows

HEADER = [column.key for column in COLUMNS]
GOOD = ["ENG-001", "Chartered Engineer (CEng)", "Engineering Council", "英国", "工程技术", "副高级", "机械工程", "先进制造"]  # fmt: skip


def _rows(*cells: list[str], start: int = 2) -> list[TableRow]:
    return [TableRow(start + i, tuple(row)) for i, row in enumerate(cells)]


def _refused(header: list[str], rows: list[TableRow]) -> RegistryError:
    with pytest.raises(RegistryError) as caught:
        catalogue_items(header, rows)
    return caught.value


def test_a_good_table_gives_its_items_in_order():
    rows = csv_rows(CSV_2024)
    items = catalogue_items(rows[0], _rows(*rows[1:]))
    assert [item.item for item in items] == ["ENG-001", "ENG-002", "IT-001", "FIN-001"]
    assert items[0] == CatalogueItem(
        "ENG-001",
        "Chartered Engineer (CEng)",
        "Engineering Council",
        "英国",
        "工程技术",
        "副高级",
        "机械工程",
        "先进制造",
    )
    assert items[2].awarding_body == "BCS, The Chartered Institute for IT"  # quoted comma
    assert items[3].specialty is None  # an empty optional cell


def test_headers_may_be_chinese_english_or_keys_in_any_order_and_case():
    header = [
        "行业",
        "Item Number",
        "境外职业资格",
        "AWARDINGBODY",
        "国家或地区",
        "series",
        "对应级别",
    ]
    columns = header_columns(header)
    assert [c.key if c else None for c in columns] == [
        "industry",
        "item",
        "foreignQualification",
        "awardingBody",
        "country",
        "series",
        "level",
    ]
    row = ["先进制造", "X-1", "Q", "Body", "德国", "工程技术", "中级"]
    (item,) = catalogue_items(header, _rows(row))
    assert (item.item, item.industry, item.specialty) == ("X-1", "先进制造", None)


def test_every_bad_row_is_reported_with_row_and_column():
    rows = csv_rows(BAD_ROWS)
    error = _refused(rows[0], _rows(*rows[1:]))
    assert error.code == "CATALOGUE_ROWS_INVALID"
    assert "5" in error.message_zh and "nothing was imported" in error.message_en
    found = {(p.pointer, p.code) for p in error.problems}
    assert found == {
        ("/rows/2/level", "CODE_UNKNOWN"),
        ("/rows/3/awardingBody", "CATALOGUE_CELL_MISSING"),
        ("/rows/4/item", "CATALOGUE_ITEM_DUPLICATE"),
        ("/rows/5/specialty", "CATALOGUE_SPECIALTY_SERIES_MISMATCH"),
        ("/rows/6/industry", "CODE_UNKNOWN"),
    }
    duplicate = next(p for p in error.problems if p.code == "CATALOGUE_ITEM_DUPLICATE")
    assert duplicate.message_zh.startswith("第 4 行“条目编号”列")
    assert duplicate.message_en == "row 4, column item: the item number repeats row 2"


def test_missing_unknown_and_repeated_columns_point_at_the_header_row():
    error = _refused(["item", "备注", "item"], [])
    found = {(p.pointer, p.code) for p in error.problems}
    assert ("/rows/1", "CATALOGUE_COLUMN_UNKNOWN") in found
    assert ("/rows/1/item", "CATALOGUE_COLUMN_REPEATED") in found
    missing = {p for p, code in found if code == "CATALOGUE_COLUMN_MISSING"}
    assert missing == {f"/rows/1/{c.key}" for c in COLUMNS if c.required and c.key != "item"}
    assert "/rows/1/specialty" not in missing  # optional


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("item", "ENG 001", "CATALOGUE_ITEM_INVALID"),
        ("item", "条目1", "CATALOGUE_ITEM_INVALID"),
        ("country", "x" * 65, "CATALOGUE_CELL_INVALID"),
        ("foreignQualification", "line\nbreak", "CATALOGUE_CELL_INVALID"),
        ("series", "炼丹", "CODE_UNKNOWN"),
        ("specialty", "炼丹", "CODE_UNKNOWN"),
        ("level", "", "CATALOGUE_CELL_MISSING"),
    ],
)
def test_one_bad_cell(column, value, code):
    row = list(GOOD)
    row[HEADER.index(column)] = value
    error = _refused(HEADER, _rows(row, start=7))
    assert [(p.pointer, p.code) for p in error.problems] == [(f"/rows/7/{column}", code)]
    assert value not in error.problems[0].message_en or value == ""


def test_blank_rows_are_skipped_and_a_table_without_items_is_refused():
    blank = [""] * len(HEADER)
    (item,) = catalogue_items(HEADER, _rows(blank, GOOD, ["  "] * 3))
    assert item.item == "ENG-001"
    assert _refused(HEADER, _rows(blank)).code == "CATALOGUE_EMPTY"


def test_short_rows_count_missing_cells_as_empty():
    error = _refused(HEADER, _rows(GOOD[:3]))
    pointers = {p.pointer for p in error.problems}
    assert pointers == {"/rows/2/country", "/rows/2/series", "/rows/2/level", "/rows/2/industry"}


def test_problems_are_capped_but_counted():
    rows = _rows(*([[f"I{i}", "", "", "", "", "", "", ""] for i in range(60)]))
    error = _refused(HEADER, rows)
    assert len(error.problems) == 100
    assert "360" in error.message_en
    assert "the first 100" in error.message_en


def test_more_than_max_rows_is_refused():
    rows = _rows(*([[f"I{i}", *GOOD[1:]] for i in range(MAX_ROWS + 1)]))
    assert _refused(HEADER, rows).code == "CATALOGUE_TOO_LARGE"


@pytest.mark.parametrize("value", ["SH-FQ", "demo_1", "A"])
def test_good_catalogue_ids(value):
    assert require_catalogue_id(value) == value


@pytest.mark.parametrize("value", ["", "-x", "a b", "目录", "x" * 33, "a/b"])
def test_bad_catalogue_ids(value):
    with pytest.raises(RegistryError) as caught:
        require_catalogue_id(value)
    assert caught.value.code == "CATALOGUE_ID_INVALID"
    assert caught.value.problems[0].pointer == "/catalogue"


@pytest.mark.parametrize("value", ["", ".1", "2025 1", "v" * 17])
def test_bad_versions(value):
    with pytest.raises(RegistryError) as caught:
        require_version(value)
    assert caught.value.code == "CATALOGUE_VERSION_INVALID"


LIMITS = {"item": 32, "foreignQualification": 256, "awardingBody": 256, "country": 64, "series": 32, "level": 16, "specialty": 32, "industry": 32}  # fmt: skip


@pytest.mark.parametrize("key", list(LIMITS))
def test_a_cell_one_character_too_long_is_refused_with_its_limit(key):
    index = HEADER.index(key)
    assert COLUMNS[index].max_length == LIMITS[key]
    row = [*GOOD]
    row[index] = "X" * (LIMITS[key] + 1)
    error = _refused(HEADER, _rows(row))
    [problem] = error.problems
    assert problem.code == "CATALOGUE_CELL_INVALID"
    assert f"at most {LIMITS[key]} characters" in problem.message_en


@pytest.mark.parametrize("key", ["item", "foreignQualification", "awardingBody", "country"])
def test_a_free_text_cell_at_its_limit_is_read(key):
    index = HEADER.index(key)
    row = [*GOOD]
    row[index] = "X" * LIMITS[key]
    [item] = catalogue_items(HEADER, _rows(row))
    assert "X" * LIMITS[key] in astuple(item)


def test_exactly_max_rows_are_read():
    rows = _rows(*([[f"I{i}", *GOOD[1:]] for i in range(MAX_ROWS)]))
    assert len(catalogue_items(HEADER, rows)) == MAX_ROWS


def test_a_message_listing_every_problem_does_not_say_it_lists_the_first():
    row = [*GOOD]
    row[HEADER.index("country")] = ""
    error = _refused(HEADER, _rows(row))
    assert error.message_en == "the catalogue file has 1 problem(s); nothing was imported"
    assert error.message_zh == "目录文件有 1 处错误，未导入任何条目"

"""Importing catalogue versions from CSV and XLSX on both stores: new versions only, whole
files or nothing, and the files' own failures."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest

from registry.core.errors import ErrorKind, RegistryError
from registry.services.access.tokens import Principal
from registry.services.qualifications import catalogues as service
from registry.services.qualifications.catalogues import (
    catalogue_version,
    import_by_principal,
    import_catalogue_version,
    list_catalogues,
    read_table,
)
from tests.support.catalogue_files import BAD_ROWS, CSV_2024, CSV_2025_ZH, xlsx_bytes, xlsx_from_csv

NOW = datetime(2025, 1, 6, 9, 30, tzinfo=UTC)
NAMES = {"name_zh": "测试境外职业资格目录", "name_en": "Test foreign qualification catalogue"}


def _import(registry, data: bytes, version: str, source: str = "f.csv", **kwargs):
    options = {**NAMES, **kwargs}
    return import_catalogue_version(
        registry, "T-FQ", version, data, source_name=source, imported_by="test", now=NOW, **options
    )


def _refused(call) -> RegistryError:
    with pytest.raises(RegistryError) as caught:
        call()
    return caught.value


def test_csv_then_xlsx_make_two_versions_and_the_first_stays_as_it_was(registry):
    first = _import(registry, CSV_2024.read_bytes(), "2024.1")
    assert (first.catalogue, first.version, first.item_count) == ("T-FQ", "2024.1", 4)
    second = _import(registry, xlsx_from_csv(CSV_2025_ZH), "2025.1", "目录.xlsx")
    assert second.item_count == 5  # the blank row is skipped

    old = catalogue_version(registry, "T-FQ", "2024.1")
    new = catalogue_version(registry, "T-FQ", "2025.1")
    assert [i.item for i in old.items] == ["ENG-001", "ENG-002", "IT-001", "FIN-001"]
    assert [i.item for i in new.items] == ["ENG-001", "ENG-002", "IT-001", "IT-002", "ACC-001"]
    assert old.source_digest != new.source_digest
    assert old.imported_at == NOW
    (summary,) = list_catalogues(registry)
    assert [v.version for v in summary.versions] == ["2024.1", "2025.1"]


def test_the_same_version_twice_is_a_conflict_and_stores_nothing(registry):
    _import(registry, CSV_2024.read_bytes(), "2024.1")
    error = _refused(lambda: _import(registry, CSV_2025_ZH.read_bytes(), "2024.1"))
    assert (error.code, error.kind) == ("CATALOGUE_VERSION_EXISTS", ErrorKind.CONFLICT)
    assert len(catalogue_version(registry, "T-FQ", "2024.1").items) == 4


@pytest.mark.parametrize("as_xlsx", [False, True], ids=["csv", "xlsx"])
def test_a_file_with_bad_rows_is_refused_whole(registry, as_xlsx):
    data = xlsx_from_csv(BAD_ROWS) if as_xlsx else BAD_ROWS.read_bytes()
    error = _refused(lambda: _import(registry, data, "1"))
    assert error.code == "CATALOGUE_ROWS_INVALID"
    assert "/rows/4/item" in {p.pointer for p in error.problems}
    assert list_catalogues(registry) == []


def test_a_new_catalogue_needs_names_a_later_version_does_not(registry):
    error = _refused(lambda: _import(registry, CSV_2024.read_bytes(), "1", name_zh=None))
    assert error.code == "CATALOGUE_NAME_REQUIRED"
    assert [p.pointer for p in error.problems] == ["/nameZh"]
    assert list_catalogues(registry) == []
    _import(registry, CSV_2024.read_bytes(), "1")
    later = _import(registry, CSV_2024.read_bytes(), "2", name_zh=None, name_en=None)
    assert later.name_zh == NAMES["name_zh"]


def test_bad_ids_are_refused_before_reading(registry):
    assert _refused(lambda: import_catalogue_version(
        registry, "bad id", "1", b"", source_name="x", imported_by="t", now=NOW
    )).code == "CATALOGUE_ID_INVALID"  # fmt: skip
    assert _refused(lambda: _import(registry, b"", "v 1")).code == "CATALOGUE_VERSION_INVALID"


def test_xlsx_numbers_become_item_text():
    header = ["item", "foreignQualification", "awardingBody", "country", "series", "level", "industry"]  # fmt: skip
    data = xlsx_bytes([header, [17, "Q", "Body", "德国", "工程技术", "中级", "先进制造"]])
    _, rows = read_table(data, "x.xlsx")
    assert rows[0].cells[0] == "17"


def test_progress_reports_rows_read(monkeypatch):
    monkeypatch.setattr(service, "PROGRESS_EVERY", 2)
    seen: list[int] = []
    read_table(CSV_2025_ZH.read_bytes(), "f.csv", seen.append)
    assert seen == [2, 4, 6, 7]  # every 2 rows, then the total (header included)


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        ("条目编号\n".encode("gb18030"), "f.csv", "CATALOGUE_FILE_UNREADABLE"),
        (b'item\n"unterminated\n', "f.csv", "CATALOGUE_FILE_UNREADABLE"),
        (b"PK\x03\x04 not really a zip", "f.xlsx", "CATALOGUE_FILE_UNREADABLE"),
        (b"", "f.csv", "CATALOGUE_EMPTY"),
    ],
    ids=["not-utf8", "bad-quote", "not-a-zip", "empty"],
)
def test_unreadable_files(data, name, code):
    error = _refused(lambda: read_table(data, name))
    assert error.code == code
    assert error.kind == ErrorKind.INVALID


def test_a_zip_that_is_not_a_workbook_is_unreadable():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert _refused(lambda: read_table(buffer.getvalue(), "f.xlsx")).code == (
        "CATALOGUE_FILE_UNREADABLE"
    )


def test_an_xlsx_that_expands_too_far_is_refused_unread(monkeypatch):
    from registry.services.runtime import spreadsheets

    monkeypatch.setattr(spreadsheets, "MAX_UNZIPPED_BYTES", 1000)
    error = _refused(lambda: read_table(xlsx_from_csv(CSV_2024), "f.xlsx"))
    assert error.code == "CATALOGUE_FILE_UNREADABLE"
    assert "expands" in error.message_en


def test_files_over_the_limit_are_too_large(monkeypatch):
    monkeypatch.setattr(service, "MAX_FILE_BYTES", 10)
    error = _refused(lambda: read_table(CSV_2024.read_bytes(), "f.csv"))
    assert (error.code, error.kind) == ("CATALOGUE_FILE_TOO_LARGE", ErrorKind.TOO_LARGE)


def test_too_many_lines_are_refused_while_reading(monkeypatch):
    monkeypatch.setattr(service, "MAX_LINES", 3)
    assert _refused(lambda: read_table(CSV_2024.read_bytes(), "f.csv")).code == (
        "CATALOGUE_TOO_LARGE"
    )


def test_only_administrators_import(registry):
    partner = Principal(1, "partner", None, "320509", "p")
    error = _refused(lambda: import_by_principal(
        registry, partner, "T-FQ", "1", CSV_2024.read_bytes(), source_name="f.csv", now=NOW
    ))  # fmt: skip
    assert error.code == "ROLE_FORBIDDEN"


def test_an_unknown_version_is_not_found(registry):
    error = _refused(lambda: catalogue_version(registry, "T-FQ", "9"))
    assert (error.code, error.kind) == ("CATALOGUE_VERSION_UNKNOWN", ErrorKind.NOT_FOUND)

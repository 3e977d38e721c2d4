"""``registry catalogue import`` and ``list``: CSV and XLSX, progress, and refusals."""

from __future__ import annotations

from registry.cli.main import cli
from registry.services.qualifications import catalogues as service
from registry.services.qualifications.catalogues import catalogue_version, list_catalogues
from tests.support.catalogue_files import BAD_ROWS, CSV_2024, CSV_2025_ZH, xlsx_from_csv

NAMES = ["--name-zh", "测试境外职业资格目录", "--name-en", "Test catalogue"]


def _import(runner, path, version, *extra):
    arguments = ["catalogue", "import", str(path), "--catalogue", "T-FQ", "--version", version]
    return runner.invoke(cli, [*arguments, *extra])


def test_import_csv_then_xlsx_with_progress(runner, registry, tmp_path, monkeypatch):
    monkeypatch.setattr(service, "PROGRESS_EVERY", 2)
    first = _import(runner, CSV_2024, "2024.1", *NAMES)
    assert first.exit_code == 0, first.output
    assert "imported T-FQ 2024.1: 4 items" in first.stdout
    assert "rows read / 已读取行数: 2" in first.stderr
    assert "rows read / 已读取行数: 5" in first.stderr  # the total, header included

    workbook = tmp_path / "目录 2025.xlsx"
    workbook.write_bytes(xlsx_from_csv(CSV_2025_ZH))
    second = _import(runner, workbook, "2025.1")
    assert second.exit_code == 0, second.output
    assert "5 items" in second.stdout
    assert [i.item for i in catalogue_version(registry, "T-FQ", "2025.1").items][-1] == "ACC-001"

    listed = runner.invoke(cli, ["catalogue", "list"])
    assert listed.exit_code == 0
    lines = [line.split("\t") for line in listed.stdout.splitlines()[1:]]
    assert [(c, v, n) for c, v, n, *_ in lines] == [
        ("T-FQ", "2024.1", "4"),
        ("T-FQ", "2025.1", "5"),
    ]


def test_bad_rows_exit_2_with_row_and_column_and_store_nothing(runner, registry):
    result = _import(runner, BAD_ROWS, "1", *NAMES)
    assert result.exit_code == 2
    assert "CATALOGUE_ROWS_INVALID" in result.stderr
    assert "/rows/4/item: CATALOGUE_ITEM_DUPLICATE 第 4 行“条目编号”列" in result.stderr
    assert "row 4, column item: the item number repeats row 2" in result.stderr
    assert "Traceback" not in result.output
    assert list_catalogues(registry) == []


def test_an_existing_version_is_refused(runner, registry):
    assert _import(runner, CSV_2024, "1", *NAMES).exit_code == 0
    again = _import(runner, CSV_2025_ZH, "1")
    assert again.exit_code == 1
    assert "CATALOGUE_VERSION_EXISTS" in again.stderr


def test_a_new_catalogue_without_names_is_refused(runner, registry):
    result = _import(runner, CSV_2024, "1")
    assert result.exit_code == 2
    assert "CATALOGUE_NAME_REQUIRED" in result.stderr

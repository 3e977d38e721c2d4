"""Reading XLSX sheets (registry/services/runtime/spreadsheets.py): openpyxl's notes about
what it drops (UserWarning from openpyxl) are kept quiet; any other warning still shows."""

from __future__ import annotations

import io
import warnings

import openpyxl
import pytest

from registry.core.errors import invalid
from registry.services.runtime.spreadsheets import xlsx_rows


def _sheet() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "单位"])
    workbook.active.append(["王建国", "青浦区"])
    saved = io.BytesIO()
    workbook.save(saved)
    return saved.getvalue()


def _read_warning(
    monkeypatch, category: type[Warning], module: str
) -> tuple[list[list[str]], list[str]]:
    """The sheet's rows, read while opening it raises ``category`` as ``module`` would, and
    the warnings that showed (as in production, where warnings are not errors)."""
    load = openpyxl.load_workbook

    def noisy(*args, **kwargs):
        warnings.warn_explicit("a note about a dropped feature", category, "x.py", 1, module)
        return load(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", noisy)
    unreadable = lambda zh, en: invalid("SHEET_UNREADABLE", zh, en)  # noqa: E731
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        rows = list(xlsx_rows(_sheet(), unreadable, max_columns=2))
    return rows, [f"{w.category.__name__}: {w.message}" for w in shown]


def test_openpyxls_notes_are_quiet(monkeypatch) -> None:
    rows, shown = _read_warning(monkeypatch, UserWarning, "openpyxl.styles.stylesheet")
    assert rows == [["姓名", "单位"], ["王建国", "青浦区"]]
    assert shown == []


@pytest.mark.parametrize(
    ("category", "module"),
    [(DeprecationWarning, "openpyxl.reader.excel"), (UserWarning, "et_xmlfile.xmlfile")],
    ids=["other-category", "other-module"],
)
def test_other_warnings_still_show(monkeypatch, category: type[Warning], module: str) -> None:
    rows, shown = _read_warning(monkeypatch, category, module)
    assert len(rows) == 2
    assert shown == [f"{category.__name__}: a note about a dropped feature"]

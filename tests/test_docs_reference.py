"""The generated reference pages in docs/reference/ match what the code says today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = Path(sys.executable).parent / "registry"


@pytest.mark.parametrize("page", ["cli", "errors", "settings"])
def test_reference_page_is_up_to_date(page: str) -> None:
    if not REGISTRY.exists():
        pytest.skip("the `registry` command is not installed beside this Python")
    generated = subprocess.run(
        [str(REGISTRY), "docs", page],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={"PATH": str(REGISTRY.parent), "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
    ).stdout
    committed = (ROOT / "docs" / "reference" / f"{page}.md").read_text(encoding="utf-8")
    assert generated == committed, (
        f"docs/reference/{page}.md is out of date: run "
        f"`registry docs {page} --output docs/reference/{page}.md`"
    )


def test_error_codes_are_found_in_the_code() -> None:
    from registry.cli.docs import error_entries

    codes = {entry.code: entry.status for entry in error_entries()}
    # One of each way a code is raised: an error constructor, a module's helper, a helper
    # of another module, a status table, and a field problem inside another error.
    assert codes["CATALOGUE_VERSION_EXISTS"] == 409
    assert codes["PERMIT_VALIDITY_OUT_OF_RANGE"] == 422
    assert codes["SHEET_FILE_TOO_LARGE"] == 413
    assert codes["RATE_LIMITED"] == 429
    assert "FIELD_TOO_LONG" in codes
    assert "SIGNATURE_VALID" not in codes  # a check code: its own table


def test_command_page_shows_what_help_prints() -> None:
    if not REGISTRY.exists():
        pytest.skip("the `registry` command is not installed beside this Python")
    printed = subprocess.run(
        [str(REGISTRY), "batch", "template", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={"PATH": str(REGISTRY.parent), "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"},
    ).stdout
    page = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert f"## `registry batch template`\n\n```text\n{printed}```" in page

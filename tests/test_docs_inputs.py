"""``docs/reference/inputs.md`` states the code's ranges: the same bounds and codes as
``timefmt``, ``ranges`` and the CE-hours rule, every code in the error reference, and
every batch request's unit (the behaviour of each is tested beside its endpoint:
``tests/http/test_calendar_edges_api.py``, ``test_integer_ranges_api.py``,
``test_batch_api.py``, ``test_issue_batch_api.py``, ``tests/cli/test_cli_sessions.py``)."""

from __future__ import annotations

import re
from pathlib import Path

from registry.core.formats.ranges import SQL_INTEGER_MAX
from registry.core.formats.timefmt import EARLIEST_INSTANT, LATEST_INSTANT, format_instant
from registry.services.issuance.review_sessions import MAX_BATCH_ITEMS
from registry.services.partners.ce_hours import FIRST_YEAR, LAST_YEAR

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGE = (DOCS / "reference" / "inputs.md").read_text(encoding="utf-8")


def test_the_page_states_the_code_s_bounds():
    assert format_instant(EARLIEST_INSTANT) in PAGE
    assert format_instant(LATEST_INSTANT) in PAGE
    assert f"0 to {SQL_INTEGER_MAX}" in PAGE and f"1 to {SQL_INTEGER_MAX}" in PAGE
    assert f"{FIRST_YEAR} to {LAST_YEAR}" in PAGE
    assert f"at most {MAX_BATCH_ITEMS:,}" in PAGE


def test_every_code_on_the_page_is_in_the_error_reference():
    errors = (DOCS / "reference" / "errors.md").read_text(encoding="utf-8")
    codes = set(re.findall(r"`([A-Z][A-Z0-9_]{3,})`", PAGE)) - {"SCOPE_ID", "TOKEN_ID", "INTEGER"}
    assert "DATETIME_OUT_OF_RANGE" in codes and "AGREEMENT_END_IN_PAST" in codes
    missing = sorted(code for code in codes if f"`{code}`" not in errors)
    assert not missing


def test_every_batch_request_has_its_unit():
    section = PAGE.split("## Batches: all-or-nothing or per item", 1)[1]
    for request, unit in (
        ("`POST /credentials/issue/batch`", "**per item**"),
        ("`registry batch issue`", "**per row**"),
        ("`POST /api/v1/verify/batch`", "**per item**"),
        ("every other request", "**all-or-nothing**"),
    ):
        line = next(line for line in section.splitlines() if line.startswith(f"| {request}"))
        assert unit in line

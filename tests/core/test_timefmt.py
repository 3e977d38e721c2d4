"""Timestamps as the registry writes them (registry/core/formats/timefmt)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from registry.core.formats.timefmt import format_instant, utc


@pytest.fixture
def local_zone_utc_plus_8(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time zone set to UTC+8, so that "naive means UTC" differs from
    "naive means local time" even on a machine that runs in UTC."""
    monkeypatch.setenv("TZ", "CST-8")  # POSIX form: needs no zone database
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("local_zone_utc_plus_8")
def test_a_naive_datetime_is_taken_as_utc_not_local_time() -> None:
    naive = datetime(2025, 1, 2, 3, 4, 5)
    assert utc(naive) == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert format_instant(naive) == "2025-01-02T03:04:05Z"

"""Timestamps as the registry writes them (registry/core/formats/timefmt)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from registry.core.errors import RegistryError
from registry.core.formats.timefmt import (
    EARLIEST_INSTANT,
    LATEST_INSTANT,
    format_instant,
    parse_instant,
    utc,
)


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


@pytest.mark.parametrize(
    "text",
    ["0001-01-01T00:00:00Z", "9999-12-31T15:59:59.999999Z", "9999-12-31T23:59:59.999999+08:00"],
    ids=["earliest", "latest-utc", "latest-china"],
)
def test_the_first_and_last_instants_are_accepted(text: str) -> None:
    parsed = parse_instant(text, "validFrom")
    assert parsed in (EARLIEST_INSTANT, LATEST_INSTANT)


@pytest.mark.parametrize(
    "text",
    ["0001-01-01T00:00:00+00:01", "9999-12-31T16:00:00Z"],
    ids=["a-minute-before-earliest", "a-microsecond-after-latest"],
)
def test_one_step_outside_the_range_is_refused(text: str) -> None:
    with pytest.raises(RegistryError) as refused:
        parse_instant(text, "validFrom")
    assert refused.value.code == "DATETIME_OUT_OF_RANGE"
    assert refused.value.message_en.startswith("validFrom is outside the accepted range")

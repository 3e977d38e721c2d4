"""Timestamps as the registry writes them: UTC, whole seconds, ``Z`` suffix.

Every instant the registry accepts is converted here, once: to UTC for storage and
comparison, and to China Standard Time for the dates of authority. Python's calendar ends
at years 1 and 9999, so an instant whose UTC or China-time form falls outside them is
refused (``DATETIME_OUT_OF_RANGE``) instead of overflowing later.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from registry.core.errors import RegistryError, invalid

CHINA_TIME = timezone(timedelta(hours=8), "CST")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EARLIEST_INSTANT = datetime(1, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(9999, 12, 31, 15, 59, 59, 999999, tzinfo=UTC)  # the end, in China
_FIRST_SECOND = (EARLIEST_INSTANT - EPOCH) // timedelta(seconds=1)  # as NumericDates
_LAST_SECOND = (LATEST_INSTANT - EPOCH) // timedelta(seconds=1)


def utc(moment: datetime) -> datetime:
    """The same instant as an aware UTC datetime (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def format_instant(moment: datetime) -> str:
    """``2025-01-02T03:04:05Z``: the XML Schema dateTime form VCs use."""
    value = utc(moment)
    if value.year >= 1000:  # four digits either way; ``isoformat`` is the quicker
        return value.isoformat(timespec="seconds")[:19] + "Z"
    return value.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text: object, field: str) -> datetime:
    """Parse a dateTime with a time zone; naive or malformed values are refused."""
    if not isinstance(text, str):
        raise invalid(
            "DATETIME_INVALID",
            f"{field} 必须是日期时间字符串",
            f"{field} must be a date-time string",
        )
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(
            "DATETIME_INVALID", f"{field} 不是有效的日期时间", f"{field} is not a valid date-time"
        ) from None
    if value.tzinfo is None:
        raise invalid("DATETIME_INVALID", f"{field} 必须带时区", f"{field} must carry a time zone")
    return checked_instant(value, field)


def out_of_range(field: str) -> RegistryError:
    """The refusal of an instant past the calendar's edge, in UTC or in China time."""
    return invalid(
        "DATETIME_OUT_OF_RANGE",
        f"{field} 超出可接受的时间范围（UTC 0001-01-01T00:00:00Z 至 9999-12-31T15:59:59Z）",
        f"{field} is outside the accepted range "
        "(0001-01-01T00:00:00Z to 9999-12-31T15:59:59Z, UTC)",
    )


def checked_instant(moment: datetime, field: str) -> datetime:
    """An aware instant as UTC, refused unless both its UTC and its China-time forms lie
    within years 1-9999 (between ``EARLIEST_INSTANT`` and ``LATEST_INSTANT``)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise invalid("DATETIME_INVALID", f"{field} 必须带时区", f"{field} must carry a time zone")
    try:
        value = moment.astimezone(UTC)
    except OverflowError:
        raise out_of_range(field) from None
    if not EARLIEST_INSTANT <= value <= LATEST_INSTANT:
        raise out_of_range(field)
    return value


def china_date(moment: datetime) -> date:
    """The calendar date of an instant in China Standard Time (the instant must lie
    within the accepted range; ``checked_instant`` refuses the others)."""
    return moment.astimezone(CHINA_TIME).date()


def parse_date(text: object, field: str) -> date:
    """Parse an ISO ``YYYY-MM-DD`` calendar date."""
    if not isinstance(text, str) or len(text) != 10:
        raise invalid(
            "DATE_INVALID", f"{field} 必须是 YYYY-MM-DD 日期", f"{field} must be a YYYY-MM-DD date"
        )
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise invalid(
            "DATE_INVALID", f"{field} 不是有效日期", f"{field} is not a valid date"
        ) from None


def epoch_seconds(moment: datetime) -> int:
    """Seconds since the Unix epoch, as CWT NumericDate."""
    return int(utc(moment).timestamp())


def from_epoch_seconds(seconds: int, field: str = "NumericDate") -> datetime:
    """An aware UTC datetime from a CWT NumericDate, refused (``DATETIME_OUT_OF_RANGE``)
    outside the accepted range."""
    if not _FIRST_SECOND <= seconds <= _LAST_SECOND:
        raise out_of_range(field)
    return EPOCH + timedelta(seconds=seconds)  # in range, so it is what checked_instant gives

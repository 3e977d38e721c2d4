"""Timestamps as the registry writes them: UTC, whole seconds, ``Z`` suffix."""

from __future__ import annotations

from datetime import UTC, date, datetime

from registry.core.errors import invalid


def utc(moment: datetime) -> datetime:
    """The same instant as an aware UTC datetime (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def format_instant(moment: datetime) -> str:
    """``2025-01-02T03:04:05Z``: the XML Schema dateTime form VCs use."""
    return utc(moment).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


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
    return value.astimezone(UTC)


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


def from_epoch_seconds(seconds: int) -> datetime:
    """An aware UTC datetime from a CWT NumericDate."""
    return datetime.fromtimestamp(seconds, tz=UTC)

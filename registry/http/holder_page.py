"""The holder's page as a person reads it: the record's facts under their labels, the
status in both languages, and every time in China time (Asia/Shanghai, UTC+8).

The holder view (``services.people.holder``) is also served as JSON for machines; this
turns it into rows a phone-sized page lists, leaving out what only a program needs
(``detailsKey``, the ``labels`` block, codes behind labels).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.core.checks import MESSAGES, STATUS_CODES
from registry.core.formats.timefmt import CHINA_TIME

CHINA_TIME_NOTE = ("北京时间", "China time, UTC+8")
STATE_CODES = {**STATUS_CODES, "lapsed": "STATUS_LAPSED"}


@dataclass(frozen=True)
class Row:
    """One labelled fact, each side in Chinese and English (the same text where a value
    has no translation, such as a date or a number)."""

    label_zh: str
    label_en: str
    value_zh: str
    value_en: str


def local_time(instant: str | None) -> str | None:
    """``2026-12-07T13:59:25Z`` as ``2026-12-07 21:59`` in China time; other text as is."""
    if not instant:
        return None
    try:
        moment = datetime.fromisoformat(instant)
    except ValueError:
        return instant
    if moment.tzinfo is None:
        return instant
    return moment.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")


def status_words(state: str) -> tuple[str, str]:
    """A record's state (``active``, ``lapsed``...) in Chinese and English."""
    if state == "active":
        return "有效", "valid"
    code = STATE_CODES.get(state)
    if code is None or code not in MESSAGES:
        return "无法核实", "could not check"
    return MESSAGES[code]


def _words(value: Any, names: Mapping[str, tuple[str, str]]) -> tuple[str, str]:
    """A fact's value in Chinese and English: labels for codes, lists joined, an
    issuer's name for its USCC."""
    if isinstance(value, Mapping):
        if "zh" in value and "en" in value:
            return str(value["zh"]), str(value["en"])
        parts = [_words(inner, names) for key, inner in value.items() if inner is not None]
        return "；".join(p[0] for p in parts), "; ".join(p[1] for p in parts)
    if isinstance(value, list | tuple):
        parts = [_words(inner, names) for inner in value]
        return "、".join(p[0] for p in parts), ", ".join(p[1] for p in parts)
    if value is None:
        return "—", "—"
    if isinstance(value, bool):
        return ("是", "yes") if value else ("否", "no")
    text = str(value)
    return names.get(text, (text, text))


def record_rows(view: Mapping[str, Any]) -> list[Row]:
    """The record's facts as the holder's page lists them."""
    record = view["record"]
    issuer = view.get("issuer")
    names: dict[str, tuple[str, str]] = {}
    if issuer:  # a joint committee issues its own joint titles: name it, not its USCC
        names[str(issuer["uscc"])] = (str(issuer["name"]["zh"]), str(issuer["name"]["en"]))
    rows = [
        Row("记录类型", "Record type", *_words(record["type"], names)),
        Row("姓名", "Name", record["maskedName"], record["maskedName"]),
    ]
    labels = record.get("labels", {})
    for name, value in record.get(record["detailsKey"], {}).items():
        label = labels.get(name, {"zh": name, "en": name})
        rows.append(Row(label["zh"], label["en"], *_words(value, names)))
    if issuer:
        rows.append(Row("签发机构", "Issuer", *_words(issuer["name"], names)))
    for key, zh, en in (
        ("issuedAt", "签发时间", "Issued"),
        ("validFrom", "生效时间", "Valid from"),
    ):
        shown = local_time(record.get(key)) or "—"
        rows.append(Row(zh, en, shown, shown))
    until = local_time(record.get("validUntil"))
    rows.append(Row("有效期至", "Valid until", until or "长期有效", until or "no end date"))
    licence = view.get("electronicLicenceId") or "—"
    rows.append(Row("电子证照标识", "E-licence identifier", licence, licence))
    rows.append(Row("记录编号", "Record id", record["id"], record["id"]))
    return rows


def holder_page(view: Mapping[str, Any]) -> dict[str, Any]:
    """The template's context for a holder view."""
    status_zh, status_en = status_words(str(view["status"]))
    limit = view.get("matchLimit")
    return {
        "rows": record_rows(view),
        "state": str(view["status"]),
        "status": {"zh": status_zh, "en": status_en},
        "accesses": [
            {**entry, "at": local_time(entry.get("at"))} for entry in view.get("accesses", [])
        ],
        "matchLimit": None
        if limit is None
        else {
            **limit,
            "lastTrippedAt": local_time(limit.get("lastTrippedAt")),
            "lockedUntil": local_time(limit.get("lockedUntil")),
        },
        "timeNote": {"zh": CHINA_TIME_NOTE[0], "en": CHINA_TIME_NOTE[1]},
    }


__all__ = ["Row", "holder_page", "local_time", "record_rows", "status_words"]

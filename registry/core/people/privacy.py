"""Masking and keyed digests of personal data (PIPL minimisation).

Public pages and QR codes show a masked name; an ID number is shown, where it must be, with
only its last four characters, and is otherwise only matched by keyed digest.

Masking rule (issue 13): nothing before the last four characters of a personal number is
ever kept or shown. The first four (the province and city of the address code) and the
last four narrowed a brute force of the keyed digest to the birth date and county, about
a million guesses; the last four alone leave address and birth date unknown. Credentials
signed under the earlier rule (first and last four) keep their signed form.
"""

from __future__ import annotations

import hashlib
import hmac
import re

SHOWN_AT_END = 4  # the most characters of a personal number ever shown, all at its end
_NAME_SEPARATORS = ("·", "•", "・")  # middle dots between the parts of a transliterated name


def _mask_han(part: str) -> str:
    if len(part) <= 1:
        return "*" * len(part)
    if len(part) == 2:
        return part[0] + "*"
    return part[0] + "*" * (len(part) - 2) + part[-1]


def _mask_latin_word(word: str) -> str:
    if len(word) <= 1:
        return "*" * len(word)
    return word[0] + "*" * (len(word) - 1)


def mask_name(name: str) -> str:
    """A name with most characters starred: 张三明 → 张*明, 张三 → 张*, John Smith → J*** S****.

    Chinese names keep the first and last character; names written in words keep each
    word's initial; parts joined by a middle dot are masked one by one.
    """
    text = name.strip()
    if len(text) <= 1:
        return "*" * len(text)
    for separator in _NAME_SEPARATORS:
        if separator in text:
            return separator.join(mask_name(part) for part in text.split(separator))
    if any(char.isspace() for char in text) or text.isascii():
        return " ".join(_mask_latin_word(word) for word in text.split())
    return _mask_han(text)


def _normalise_id_number(value: str) -> str:
    return value.strip().upper()


def mask_id_number(value: str) -> str:
    """An ID number with only its last four characters shown, the rest starred (the length
    is kept): 11010519491231002X → **************002X.

    A value too short to hide at least twice as much as it shows is starred completely.
    """
    number = _normalise_id_number(value)
    if len(number) < 3 * SHOWN_AT_END:
        return "*" * len(number)
    return "*" * (len(number) - SHOWN_AT_END) + number[-SHOWN_AT_END:]


def mask_passport_number(value: str) -> str:
    """A passport number with at most a quarter of it (and never more than 4 characters)
    shown, all at its end: E12345678 → *******78, 20 characters → 16 stars + 4.

    Passport numbers are short, so even "the last 4" would show half of one.
    """
    number = _normalise_id_number(value)
    shown = min(SHOWN_AT_END, len(number) // 4)
    if shown == 0:
        return "*" * len(number)
    return "*" * (len(number) - shown) + number[-shown:]


def id_number_digest(key: bytes, value: str) -> str:
    """HMAC-SHA256 (hex) of the normalised ID number, for matching without storing it plainly."""
    number = _normalise_id_number(value)
    return hmac.new(key, number.encode("utf-8"), hashlib.sha256).hexdigest()


_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_CHINESE_PASSPORT_LIKE = re.compile(
    r"(?<![0-9A-Za-z])(?:[EeGg][0-9]{8}|[Ee][A-Za-z][0-9]{7})(?![0-9A-Za-z])"
)


def redact_identifiers(text: str) -> str:
    """Mask anything shaped like an ID number or a Chinese passport number in free text
    (before it is logged or stored). Foreign passport numbers have no shape to recognise."""
    text = _ID_LIKE.sub(lambda match: mask_id_number(match.group(0)), text)
    return _CHINESE_PASSPORT_LIKE.sub(lambda match: mask_passport_number(match.group(0)), text)


def loggable(text: str, limit: int = 200) -> str:
    """Free text made safe for one log line: ID numbers masked, control characters gone."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text[:limit])
    return redact_identifiers(cleaned)

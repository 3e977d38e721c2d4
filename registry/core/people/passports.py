"""Passport numbers: format checks only (no passport number carries a check character that
the registry could verify across countries).

What is accepted, after stripping outer white space and upper-casing letters:

- issued by China (``CHN``): an ordinary passport, ``E`` + 8 digits, ``E`` + one letter
  (not I or O) + 7 digits (the numbering used once the ``E`` + 8 digits series ran out), or
  ``G`` + 8 digits (the earlier e-passports). Diplomatic, service and public-affairs
  passports are not accepted: the registry's records concern talent, not officials.
- issued by any other country: 5 to 20 characters, each ``0-9`` or ``A-Z``.
- country unknown (the record's schema carries none): the general 5-20 rule.

Inner spaces, hyphens and any other character are refused rather than silently dropped.
The issuing country is an ISO 3166-1 alpha-3 code (three letters ``A-Z``). Errors never
repeat the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registry.core.errors import invalid
from registry.core.people.privacy import mask_passport_number

CHINA = "CHN"
_CHINESE = re.compile(r"E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8}")
_GENERAL = re.compile(r"[0-9A-Z]{5,20}")
_COUNTRY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, repr=False)
class Passport:
    """A checked passport number with its issuing country, if known; text forms are masked."""

    number: str
    country: str | None = None

    def __repr__(self) -> str:
        return f"Passport(number={self.masked!r}, country={self.country!r})"

    def __str__(self) -> str:
        return self.masked

    @property
    def masked(self) -> str:
        """The number with most characters starred (see ``mask_passport_number``)."""
        return mask_passport_number(self.number)


def parse_country(value: str) -> str:
    """An ISO 3166-1 alpha-3 country code, upper-cased."""
    code = value.strip().upper()
    if not _COUNTRY.fullmatch(code):
        raise invalid(
            "COUNTRY_CODE_INVALID",
            "国家代码须为 ISO 3166-1 三位字母代码",
            "a country code must be an ISO 3166-1 alpha-3 code",
        )
    return code


def parse_passport(number: str, country: str | None = None) -> Passport:
    """Normalise and check a passport number against its issuing country's format."""
    issuer = parse_country(country) if country is not None else None
    value = number.strip().upper()
    if issuer == CHINA:
        if not _CHINESE.fullmatch(value):
            raise invalid(
                "PASSPORT_INVALID",
                "中国普通护照号码须为 E 加 8 位数字、E 加 1 个字母和 7 位数字，或 G 加 8 位数字",
                "a Chinese ordinary passport number is E + 8 digits, E + a letter + 7 digits, "
                "or G + 8 digits",
            )
    elif not _GENERAL.fullmatch(value):
        raise invalid(
            "PASSPORT_INVALID",
            "护照号码须为 5 至 20 位数字或大写字母",
            "a passport number is 5 to 20 digits or letters A-Z",
        )
    return Passport(value, issuer)


__all__ = ["CHINA", "Passport", "parse_country", "parse_passport"]

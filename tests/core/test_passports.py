"""Passport numbers: format per issuing country, normalised, never echoed."""

from __future__ import annotations

import pytest

from registry.core.errors import ErrorKind, RegistryError
from registry.core.people.passports import Passport, parse_country, parse_passport


@pytest.mark.parametrize(
    ("number", "country", "normalised"),
    [
        ("e12345678", "chn", "E12345678"),  # ordinary e-passport, E + 8 digits
        (" EB1234567 ", "CHN", "EB1234567"),  # E + letter + 7 digits
        ("G12345678", "CHN", "G12345678"),  # earlier e-passport
        ("X1234567", "USA", "X1234567"),
        ("12345", "GBR", "12345"),  # the shortest foreign number
        ("A" * 19 + "9", "DEU", "A" * 19 + "9"),  # the longest
        ("pa1234567", None, "PA1234567"),  # no country known: general rule
        ("E12345678", None, "E12345678"),
    ],
)
def test_accepted_numbers_are_normalised(number: str, country: str | None, normalised: str) -> None:
    parsed = parse_passport(number, country)
    assert parsed == Passport(normalised, country.upper() if country else None)
    assert normalised not in repr(parsed) and normalised not in str(parsed)


@pytest.mark.parametrize(
    ("number", "country"),
    [
        ("E1234567", "CHN"),  # 7 digits
        ("E123456789", "CHN"),  # 9 digits
        ("EI1234567", "CHN"),  # I is not used
        ("EO1234567", "CHN"),  # nor is O
        ("D1234567", "CHN"),  # diplomatic passports are not accepted
        ("K12345678", "CHN"),
        ("1234", "USA"),  # too short
        ("A" * 21, "USA"),  # too long
        ("AB 123456", "USA"),  # inner space
        ("AB-123456", "USA"),  # hyphen
        ("ＡＢ123456", "USA"),  # full-width letters
        ("", None),
    ],
)
def test_refused_numbers_are_not_echoed(number: str, country: str | None) -> None:
    with pytest.raises(RegistryError) as caught:
        parse_passport(number, country)
    error = caught.value
    assert (error.code, error.kind) == ("PASSPORT_INVALID", ErrorKind.INVALID)
    if number.strip():
        assert number.strip() not in f"{error} {error.message_zh} {error.message_en}"


@pytest.mark.parametrize("country", ["CN", "CHNA", "C1N", "中国", ""])
def test_country_must_be_alpha_3(country: str) -> None:
    with pytest.raises(RegistryError, match="COUNTRY_CODE_INVALID"):
        parse_country(country)
    with pytest.raises(RegistryError, match="COUNTRY_CODE_INVALID"):
        parse_passport("X1234567", country)


def test_masked_form_shows_at_most_a_quarter_all_at_the_end() -> None:
    assert parse_passport("E12345678", "CHN").masked == "*******78"
    assert parse_passport("12345", None).masked == "****5"
    assert parse_passport("A" * 16 + "BCDE", None).masked == "*" * 16 + "BCDE"

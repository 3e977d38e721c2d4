"""Recommendation letters: public facts, QR claims, and the letter's own rules."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from registry.core.errors import RegistryError
from registry.core.recordtypes.recommendation import (
    LETTER_NUMBER,
    RECOMMENDATION_SPEC,
    RecommendationFacts,
    check_letter,
    decode_letter,
    encode_letter,
)

DATED = date(2026, 3, 1)
FROM = datetime(2026, 3, 2, tzinfo=UTC)
LETTER = RecommendationFacts(
    "示范区执委推〔2026〕演示1号", DATED, "直接申请永久居留", date(2030, 2, 28)
)


def child(born: str) -> dict[str, Any]:
    return {"name": "Léa Martin", "relation": "未成年子女", "birthDate": born}


SPOUSE = {"name": "Julien Martin", "relation": "配偶"}


def test_claims_round_trip_with_the_letter_number_as_text() -> None:
    claims = encode_letter(LETTER)
    assert claims[LETTER_NUMBER] == "示范区执委推〔2026〕演示1号"
    assert decode_letter(claims) == LETTER


def test_an_overlong_letter_number_in_a_qr_is_refused() -> None:
    claims = encode_letter(LETTER)
    claims[LETTER_NUMBER] = "号" * 41
    with pytest.raises(RegistryError) as caught:
        decode_letter(claims)
    assert caught.value.code == "QR_CLAIMS_INVALID"


def test_a_letter_with_its_spouse_and_a_minor_child_is_consistent() -> None:
    block = {"dependants": [SPOUSE, child("2015-04-20")]}
    check_letter(LETTER, block, FROM, datetime(2030, 2, 28, 15, 59, 59, tzinfo=UTC))


@pytest.mark.parametrize(
    ("born", "ok"),
    [("2008-03-02", True), ("2008-03-01", False), ("1990-01-01", False), ("2026-03-02", False)],
    ids=["turns-18-the-next-day", "turns-18-that-day", "adult", "not-born-yet"],
)
def test_children_must_be_minors_on_the_letter_date(born: str, ok: bool) -> None:
    block = {"dependants": [SPOUSE, child(born)]}
    if ok:
        check_letter(LETTER, block, FROM, None)
        return
    with pytest.raises(RegistryError) as caught:
        check_letter(LETTER, block, FROM, None)
    assert caught.value.code == "RECOMMENDATION_CHILD_NOT_MINOR"
    assert caught.value.problems[0].pointer == (
        "/credentialSubject/recommendationLetter/dependants/1/birthDate"
    )


def test_a_letter_lists_one_spouse_at_most() -> None:
    with pytest.raises(RegistryError) as caught:
        check_letter(LETTER, {"dependants": [SPOUSE, SPOUSE]}, FROM, None)
    assert caught.value.code == "RECOMMENDATION_SPOUSE_REPEATED"
    assert caught.value.problems[0].pointer.endswith("/dependants/1/relation")


def test_a_letter_must_end_after_its_date() -> None:
    ended = RecommendationFacts("号1", DATED, "直接申请永久居留", DATED)
    with pytest.raises(RegistryError) as caught:
        check_letter(ended, {}, FROM, None)
    assert caught.value.code == "RECOMMENDATION_VALIDITY_INVALID"


def test_the_record_may_not_outlive_the_letter() -> None:
    with pytest.raises(RegistryError) as caught:
        check_letter(LETTER, {}, FROM, datetime(2030, 6, 1, tzinfo=UTC))
    assert caught.value.code == "RECORD_OUTLIVES_LETTER"


def test_dependants_are_partner_only() -> None:
    assert "dependants" in RECOMMENDATION_SPEC.partner_fields
    assert set(RECOMMENDATION_SPEC.public_fields) == {
        "letterNumber",
        "issuedOn",
        "purpose",
        "validUntil",
    }

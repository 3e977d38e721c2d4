"""The executive committee's recommendation letter (推荐信) that lets a foreign talent apply
directly for permanent residence; it covers the spouse and minor children it lists.

Public (QR and page): letter number, date, purpose, valid until. Partner API only:
employer and the dependants (name, relation, birth date, nationality, masked passport), and
beside the block the holder's full name, nationality and (masked) passport.

QR record-map keys: ``16`` letter number (text), ``17`` issued on (days since 1970-01-01),
``18`` purpose (``recommendation-purposes`` QR number), ``19`` valid until (days).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from registry.core.formats.timefmt import parse_date
from registry.core.recordtypes.base import (
    FIRST_TYPE_KEY,
    RecordDetails,
    RecordTypeSpec,
    add_years,
    code_at,
    consistency_error,
    day_claim,
    day_number,
    qr_number,
    text_claim,
)

RECOMMENDATION_LETTER = "RecommendationLetterCredential"
SUBJECT_KEY = "recommendationLetter"
SPOUSE = "配偶"
MINOR_CHILD = "未成年子女"
ADULT_AGE = 18
LETTER_NUMBER_MAX = 40

LETTER_NUMBER, ISSUED_ON, PURPOSE, VALID_UNTIL = (FIRST_TYPE_KEY + n for n in range(4))
_POINTER = f"/credentialSubject/{SUBJECT_KEY}"


@dataclass(frozen=True)
class RecommendationFacts(RecordDetails):
    """The public facts of a recommendation letter."""

    letter_number: str
    issued_on: date
    purpose: str
    valid_until: date


def read_letter(block: Mapping[str, Any]) -> RecommendationFacts:
    """The public facts of a letter block."""
    return RecommendationFacts(
        letter_number=str(block["letterNumber"]),
        issued_on=parse_date(block["issuedOn"], "issuedOn"),
        purpose=str(block["purpose"]),
        valid_until=parse_date(block["validUntil"], "validUntil"),
    )


def write_letter(facts: RecommendationFacts) -> dict[str, Any]:
    """A letter's public fields as the credential carries them."""
    return {
        "letterNumber": facts.letter_number,
        "issuedOn": facts.issued_on.isoformat(),
        "purpose": facts.purpose,
        "validUntil": facts.valid_until.isoformat(),
    }


def encode_letter(facts: RecommendationFacts) -> dict[int, Any]:
    """A letter's entries of the QR record map."""
    return {
        LETTER_NUMBER: facts.letter_number,
        ISSUED_ON: day_number(facts.issued_on),
        PURPOSE: qr_number("recommendation-purposes", facts.purpose),
        VALID_UNTIL: day_number(facts.valid_until),
    }


def decode_letter(record: Mapping[Any, Any]) -> RecommendationFacts:
    """A letter's facts from the QR record map."""
    return RecommendationFacts(
        letter_number=text_claim(record.get(LETTER_NUMBER), LETTER_NUMBER_MAX),
        issued_on=day_claim(record.get(ISSUED_ON)),
        purpose=code_at("recommendation-purposes", record.get(PURPOSE)),
        valid_until=day_claim(record.get(VALID_UNTIL)),
    )


def _check_dependants(facts: RecommendationFacts, block: Mapping[str, Any]) -> None:
    dependants = block.get("dependants") or []
    spouses = [i for i, d in enumerate(dependants) if d.get("relation") == SPOUSE]
    if len(spouses) > 1:
        raise consistency_error(
            f"{_POINTER}/dependants/{spouses[1]}/relation",
            "RECOMMENDATION_SPOUSE_REPEATED",
            "推荐信只能列一名配偶",
            "a letter lists at most one spouse",
        )
    for position, dependant in enumerate(dependants):
        if dependant.get("relation") != MINOR_CHILD:
            continue
        born = parse_date(dependant["birthDate"], "birthDate")
        if not born <= facts.issued_on < add_years(born, ADULT_AGE):
            raise consistency_error(
                f"{_POINTER}/dependants/{position}/birthDate",
                "RECOMMENDATION_CHILD_NOT_MINOR",
                "所列子女在推荐信日期须未满十八周岁",
                "a listed child must be under 18 on the letter's date",
            )


def check_letter(
    facts: RecommendationFacts,
    block: Mapping[str, Any],
    valid_from: datetime,
    valid_until: datetime | None,
) -> None:
    """A letter ends after its date; its record never outlives it; children are minors."""
    if facts.valid_until <= facts.issued_on:
        raise consistency_error(
            f"{_POINTER}/validUntil",
            "RECOMMENDATION_VALIDITY_INVALID",
            "推荐信有效期须晚于出具日期",
            "a letter must stay valid after the day it is dated",
        )
    if valid_until is not None and valid_until.date() > facts.valid_until + timedelta(days=1):
        raise consistency_error(
            "/validUntil",
            "RECORD_OUTLIVES_LETTER",
            "记录的有效期不得晚于推荐信有效期",
            "the record may not stay valid after the letter expires",
        )
    _check_dependants(facts, block)


RECOMMENDATION_SPEC: RecordTypeSpec[RecommendationFacts] = RecordTypeSpec(
    name=RECOMMENDATION_LETTER,
    subject_key=SUBJECT_KEY,
    details_type=RecommendationFacts,
    elicence_type="04",
    public_fields=("letterNumber", "issuedOn", "purpose", "validUntil"),
    partner_fields=("employer", "dependants"),
    holder_partner_fields=("name", "nationality", "passport"),
    labels={
        "letterNumber": ("推荐信编号", "Letter number"),
        "issuedOn": ("推荐信日期", "Letter dated"),
        "purpose": ("推荐事由", "Purpose"),
        "validUntil": ("推荐信有效期至", "Letter valid until"),
        "employer": ("工作单位", "Employer"),
        "dependants": ("随行家属", "Accompanying family"),
    },
    code_fields={"purpose": "recommendation-purposes"},
    read=read_letter,
    write=write_letter,
    encode=encode_letter,
    decode=decode_letter,
    check=check_letter,
)

__all__ = [
    "MINOR_CHILD",
    "RECOMMENDATION_LETTER",
    "RECOMMENDATION_SPEC",
    "SPOUSE",
    "RecommendationFacts",
]

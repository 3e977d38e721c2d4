"""Residence permits: public facts, QR claims, and the 1-to-5-year validity rule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from registry.core.errors import RegistryError
from registry.core.recordtypes.base import claims_error
from registry.core.recordtypes.residence import (
    ISSUED_ON,
    RESIDENCE_SPEC,
    ROLE,
    VALID_UNTIL,
    ResidencePermitFacts,
    check_permit,
    decode_permit,
    encode_permit,
    read_permit,
)

ISSUED = date(2026, 3, 1)
FROM = datetime(2026, 3, 2, tzinfo=UTC)


def permit(valid_until: date, role: str = "主证") -> ResidencePermitFacts:
    return ResidencePermitFacts(role, ISSUED, valid_until)


def test_block_reads_and_writes_its_public_fields() -> None:
    block: dict[str, Any] = {"role": "随员证", "issuedOn": "2026-03-01", "validUntil": "2031-02-28"}
    facts = read_permit(block)
    assert facts == ResidencePermitFacts("随员证", ISSUED, date(2031, 2, 28))
    assert RESIDENCE_SPEC.write(facts) == block


def test_claims_use_code_numbers_and_day_numbers() -> None:
    claims = encode_permit(permit(date(2031, 2, 28), "随员证"))
    assert claims == {
        ROLE: 2,
        ISSUED_ON: (ISSUED - date(1970, 1, 1)).days,
        VALID_UNTIL: (date(2031, 2, 28) - date(1970, 1, 1)).days,
    }
    assert decode_permit(claims) == permit(date(2031, 2, 28), "随员证")


@pytest.mark.parametrize(
    "claims",
    [
        {ROLE: 9, ISSUED_ON: 20000, VALID_UNTIL: 21000},
        {ROLE: "主证", ISSUED_ON: 20000, VALID_UNTIL: 21000},
        {ROLE: 1, VALID_UNTIL: 21000},
        {ROLE: 1, ISSUED_ON: True, VALID_UNTIL: 21000},
    ],
    ids=["unknown-role", "label-not-code", "no-issue-date", "boolean-date"],
)
def test_bad_claims_are_refused(claims: dict[int, Any]) -> None:
    with pytest.raises(RegistryError):
        decode_permit(claims)
    assert claims_error().code == "QR_CLAIMS_INVALID"


@pytest.mark.parametrize(
    "valid_until",
    [date(2027, 2, 28), date(2027, 3, 1), date(2029, 6, 30), date(2031, 3, 1)],
    ids=["one-year-to-the-day", "one-year", "three-years", "five-years"],
)
def test_one_to_five_years_are_accepted(valid_until: date) -> None:
    check_permit(permit(valid_until), {}, FROM, None)


@pytest.mark.parametrize(
    "valid_until",
    [date(2027, 2, 27), date(2026, 3, 1), date(2031, 3, 2), date(2036, 3, 1)],
    ids=["a-day-short-of-a-year", "same-day", "a-day-over-five-years", "ten-years"],
)
def test_validity_outside_one_to_five_years_is_refused(valid_until: date) -> None:
    with pytest.raises(RegistryError) as caught:
        check_permit(permit(valid_until), {}, FROM, None)
    assert caught.value.code == "PERMIT_VALIDITY_OUT_OF_RANGE"
    assert [p.pointer for p in caught.value.problems] == [
        "/credentialSubject/residencePermit/validUntil"
    ]


def test_the_record_may_not_outlive_the_permit() -> None:
    facts = permit(date(2031, 2, 28))
    check_permit(facts, {}, FROM, datetime(2031, 2, 28, 15, 59, 59, tzinfo=UTC))
    with pytest.raises(RegistryError) as caught:
        check_permit(facts, {}, FROM, datetime(2031, 3, 5, tzinfo=UTC))
    assert caught.value.code == "RECORD_OUTLIVES_PERMIT"
    assert caught.value.problems[0].pointer == "/validUntil"


def test_the_record_may_not_start_after_the_permit_ended() -> None:
    with pytest.raises(RegistryError) as caught:
        check_permit(permit(date(2027, 3, 1)), {}, datetime(2027, 3, 2, tzinfo=UTC), None)
    assert caught.value.code == "RECORD_STARTS_AFTER_PERMIT"


def test_permit_public_and_partner_fields_follow_the_domain_notes() -> None:
    assert set(RESIDENCE_SPEC.public_fields) == {"role", "issuedOn", "validUntil"}
    assert {"category", "permitNumber", "employer"} <= set(RESIDENCE_SPEC.partner_fields)
    assert {"nationality", "passport"} <= set(RESIDENCE_SPEC.holder_partner_fields)

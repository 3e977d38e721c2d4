"""Shanghai overseas-talent residence permits (上海市海外人才居住证), held by talent working
anywhere in the zone: a principal permit (主证) or a dependant's (随员证), whose record
points to the principal's record.

Public (QR and page): role, date issued, valid until. Partner API only: category
(L/F/C/M/H/A/T), permit number, employer, work region, the principal's record, and beside
the block the holder's full name, nationality and (masked) passport.

QR record-map keys: ``16`` role (``permit-roles`` QR number), ``17`` issued on and ``18``
valid until (days since 1970-01-01).
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
)

RESIDENCE_PERMIT = "ResidencePermitCredential"
SUBJECT_KEY = "residencePermit"
PRINCIPAL = "主证"
DEPENDANT = "随员证"
MIN_YEARS, MAX_YEARS = 1, 5

ROLE, ISSUED_ON, VALID_UNTIL = FIRST_TYPE_KEY, FIRST_TYPE_KEY + 1, FIRST_TYPE_KEY + 2
_POINTER = f"/credentialSubject/{SUBJECT_KEY}"


@dataclass(frozen=True)
class ResidencePermitFacts(RecordDetails):
    """The public facts of a residence permit."""

    role: str
    issued_on: date
    valid_until: date


def read_permit(block: Mapping[str, Any]) -> ResidencePermitFacts:
    """The public facts of a permit block."""
    return ResidencePermitFacts(
        role=str(block["role"]),
        issued_on=parse_date(block["issuedOn"], "issuedOn"),
        valid_until=parse_date(block["validUntil"], "validUntil"),
    )


def write_permit(facts: ResidencePermitFacts) -> dict[str, Any]:
    """A permit's public fields as the credential carries them."""
    return {
        "role": facts.role,
        "issuedOn": facts.issued_on.isoformat(),
        "validUntil": facts.valid_until.isoformat(),
    }


def encode_permit(facts: ResidencePermitFacts) -> dict[int, Any]:
    """A permit's entries of the QR record map."""
    return {
        ROLE: qr_number("permit-roles", facts.role),
        ISSUED_ON: day_number(facts.issued_on),
        VALID_UNTIL: day_number(facts.valid_until),
    }


def decode_permit(record: Mapping[Any, Any]) -> ResidencePermitFacts:
    """A permit's facts from the QR record map."""
    return ResidencePermitFacts(
        role=code_at("permit-roles", record.get(ROLE)),
        issued_on=day_claim(record.get(ISSUED_ON)),
        valid_until=day_claim(record.get(VALID_UNTIL)),
    )


def check_permit(
    facts: ResidencePermitFacts,
    block: Mapping[str, Any],
    valid_from: datetime,
    valid_until: datetime | None,
) -> None:
    """A permit is valid for 1 to 5 years, and its record never outlives it."""
    shortest = add_years(facts.issued_on, MIN_YEARS) - timedelta(days=1)
    longest = add_years(facts.issued_on, MAX_YEARS)
    if not shortest <= facts.valid_until <= longest:
        raise consistency_error(
            f"{_POINTER}/validUntil",
            "PERMIT_VALIDITY_OUT_OF_RANGE",
            "居住证有效期须为一至五年",
            "a residence permit is valid for 1 to 5 years",
        )
    if valid_until is not None and valid_until.date() > facts.valid_until + timedelta(days=1):
        raise consistency_error(
            "/validUntil",
            "RECORD_OUTLIVES_PERMIT",
            "记录的有效期不得晚于居住证有效期",
            "the record may not stay valid after the permit expires",
        )
    if valid_from.date() > facts.valid_until:
        raise consistency_error(
            "/validFrom",
            "RECORD_STARTS_AFTER_PERMIT",
            "记录的生效时间晚于居住证有效期",
            "the record would start after the permit expired",
        )


RESIDENCE_SPEC: RecordTypeSpec[ResidencePermitFacts] = RecordTypeSpec(
    name=RESIDENCE_PERMIT,
    subject_key=SUBJECT_KEY,
    details_type=ResidencePermitFacts,
    elicence_type="03",
    public_fields=("role", "issuedOn", "validUntil"),
    partner_fields=("category", "permitNumber", "employer", "workRegion", "principalRecord"),
    holder_partner_fields=("name", "nationality", "passport"),
    labels={
        "role": ("持证身份", "Role"),
        "issuedOn": ("居住证签发日期", "Permit issued on"),
        "validUntil": ("居住证有效期至", "Permit valid until"),
        "category": ("类别", "Category"),
        "permitNumber": ("居住证号码", "Permit number"),
        "employer": ("工作单位", "Employer"),
        "workRegion": ("工作地", "Work region"),
        "principalRecord": ("主证记录", "Principal's record"),
    },
    code_fields={
        "role": "permit-roles",
        "category": "permit-categories",
        "workRegion": "divisions",
    },
    read=read_permit,
    write=write_permit,
    encode=encode_permit,
    decode=decode_permit,
    check=check_permit,
)

__all__ = [
    "DEPENDANT",
    "PRINCIPAL",
    "RESIDENCE_PERMIT",
    "RESIDENCE_SPEC",
    "ResidencePermitFacts",
]

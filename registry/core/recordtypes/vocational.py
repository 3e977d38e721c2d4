"""Vocational qualifications (职业资格): licensing (准入类) or level-assessment (水平评价类)
qualifications, with their level, specialty, authority and registration region.

Some qualifications share one exam and one certificate across the zone's three provinces
(二级建造师); the code list says which (``sharedAcross``), the credential states it
(``sharedAcrossZone``) and the registry refuses a record whose statement differs.

QR record-map keys: ``16`` qualification, ``17`` level, ``18`` kind, ``19`` specialty,
``20`` authority, ``21`` registration region (code-list QR numbers), ``22`` obtained on
(days since 1970-01-01), ``23`` shared across the zone (true, or absent).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from registry.core.codes import code_list
from registry.core.formats.timefmt import parse_date
from registry.core.recordtypes.base import (
    FIRST_TYPE_KEY,
    RecordDetails,
    RecordTypeSpec,
    claims_error,
    code_at,
    consistency_error,
    day_claim,
    day_number,
    qr_number,
)

VOCATIONAL_QUALIFICATION = "VocationalQualificationCredential"
SUBJECT_KEY = "vocationalQualification"
_POINTER = f"/credentialSubject/{SUBJECT_KEY}"

QUALIFICATION, LEVEL, KIND, SPECIALTY, AUTHORITY, REGISTRATION_REGION, OBTAINED_ON, SHARED = range(
    FIRST_TYPE_KEY, FIRST_TYPE_KEY + 8
)


@dataclass(frozen=True)
class VocationalQualificationFacts(RecordDetails):
    """The public facts of a vocational qualification (codes, not labels)."""

    qualification: str
    level: str
    kind: str
    authority: str
    obtained_on: date
    shared_across_zone: bool
    specialty: str | None = None
    registration_region: str | None = None


_LABELS: dict[str, tuple[str, str]] = {
    "qualification": ("职业资格", "Qualification"),
    "level": ("等级", "Level"),
    "kind": ("类别", "Kind"),
    "specialty": ("专业", "Specialty"),
    "authority": ("发证机关", "Authority"),
    "registrationRegion": ("注册地", "Registration region"),
    "obtainedOn": ("取得日期", "Obtained on"),
    "sharedAcrossZone": ("三省（市）证书通用", "Shared across the zone's provinces"),
    "certificateNumber": ("证书编号", "Certificate number"),
    "registrationNumber": ("注册编号", "Registration number"),
}
_CODES = {
    "qualification": "vocational-qualifications",
    "level": "qualification-levels",
    "kind": "qualification-kinds",
    "specialty": "qualification-specialties",
    "authority": "qualification-authorities",
    "registrationRegion": "divisions",
}
_PUBLIC = (
    "qualification",
    "level",
    "kind",
    "specialty",
    "authority",
    "registrationRegion",
    "obtainedOn",
    "sharedAcrossZone",
)
_PARTNER = ("certificateNumber", "registrationNumber")


def shared_provinces(qualification: str) -> tuple[str, ...]:
    """The provinces (division codes) sharing one exam and certificate for a qualification;
    empty when it is not shared."""
    shared = code_list("vocational-qualifications").by_code(qualification).extra.get("sharedAcross")
    return tuple(shared.split("|")) if shared else ()


def read_vocational(block: Mapping[str, Any]) -> VocationalQualificationFacts:
    """The public facts of a vocational-qualification block."""
    specialty = block.get("specialty")
    region = block.get("registrationRegion")
    return VocationalQualificationFacts(
        qualification=str(block["qualification"]),
        level=str(block["level"]),
        kind=str(block["kind"]),
        authority=str(block["authority"]),
        obtained_on=parse_date(block["obtainedOn"], "obtainedOn"),
        shared_across_zone=block["sharedAcrossZone"] is True,
        specialty=str(specialty) if specialty is not None else None,
        registration_region=str(region) if region is not None else None,
    )


def write_vocational(facts: VocationalQualificationFacts) -> dict[str, Any]:
    """The public fields as the credential carries them."""
    body: dict[str, Any] = {
        "qualification": facts.qualification,
        "level": facts.level,
        "kind": facts.kind,
    }
    if facts.specialty is not None:
        body["specialty"] = facts.specialty
    body["authority"] = facts.authority
    if facts.registration_region is not None:
        body["registrationRegion"] = facts.registration_region
    body["obtainedOn"] = facts.obtained_on.isoformat()
    body["sharedAcrossZone"] = facts.shared_across_zone
    return body


def encode_vocational(facts: VocationalQualificationFacts) -> dict[int, Any]:
    """The type's entries of the QR record map."""
    record: dict[int, Any] = {
        QUALIFICATION: qr_number("vocational-qualifications", facts.qualification),
        LEVEL: qr_number("qualification-levels", facts.level),
        KIND: qr_number("qualification-kinds", facts.kind),
        AUTHORITY: qr_number("qualification-authorities", facts.authority),
        OBTAINED_ON: day_number(facts.obtained_on),
    }
    if facts.specialty is not None:
        record[SPECIALTY] = qr_number("qualification-specialties", facts.specialty)
    if facts.registration_region is not None:
        record[REGISTRATION_REGION] = qr_number("divisions", facts.registration_region)
    if facts.shared_across_zone:
        record[SHARED] = True
    return record


def decode_vocational(record: Mapping[Any, Any]) -> VocationalQualificationFacts:
    """The facts from the QR record map."""
    shared = record.get(SHARED, False)
    if not isinstance(shared, bool):
        raise claims_error()
    specialty = record.get(SPECIALTY)
    region = record.get(REGISTRATION_REGION)
    return VocationalQualificationFacts(
        qualification=code_at("vocational-qualifications", record.get(QUALIFICATION)),
        level=code_at("qualification-levels", record.get(LEVEL)),
        kind=code_at("qualification-kinds", record.get(KIND)),
        authority=code_at("qualification-authorities", record.get(AUTHORITY)),
        obtained_on=day_claim(record.get(OBTAINED_ON)),
        shared_across_zone=shared,
        specialty=code_at("qualification-specialties", specialty)
        if specialty is not None
        else None,
        registration_region=code_at("divisions", region) if region is not None else None,
    )


def check_vocational(
    facts: VocationalQualificationFacts,
    block: Mapping[str, Any],
    valid_from: datetime,
    valid_until: datetime | None,
) -> None:
    """Kind, level, specialty and the zone-sharing statement must agree with the code list."""
    entry = code_list("vocational-qualifications").by_code(facts.qualification)
    if entry.extra.get("kind") != facts.kind:
        raise consistency_error(
            f"{_POINTER}/kind",
            "QUALIFICATION_KIND_MISMATCH",
            f"“{entry.zh}”属于{entry.extra.get('kind')}职业资格",
            f"{entry.en} is a {entry.extra.get('kind')} qualification",
        )
    if facts.level not in entry.extra.get("levels", "").split("|"):
        raise consistency_error(
            f"{_POINTER}/level",
            "QUALIFICATION_LEVEL_MISMATCH",
            f"“{entry.zh}”没有该等级",
            f"{entry.en} has no such level",
        )
    if facts.specialty is not None:
        holders = code_list("qualification-specialties").by_code(facts.specialty).extra
        if facts.qualification not in holders.get("qualifications", "").split("|"):
            raise consistency_error(
                f"{_POINTER}/specialty",
                "QUALIFICATION_SPECIALTY_MISMATCH",
                f"该专业不属于“{entry.zh}”",
                f"the specialty does not belong to {entry.en}",
            )
    if facts.shared_across_zone != bool(shared_provinces(facts.qualification)):
        raise consistency_error(
            f"{_POINTER}/sharedAcrossZone",
            "QUALIFICATION_SHARING_MISMATCH",
            "“三省（市）证书通用”须与职业资格目录一致",
            "sharedAcrossZone must say what the qualification list says",
        )


VOCATIONAL_QUALIFICATION_SPEC: RecordTypeSpec[VocationalQualificationFacts] = RecordTypeSpec(
    name=VOCATIONAL_QUALIFICATION,
    subject_key=SUBJECT_KEY,
    details_type=VocationalQualificationFacts,
    elicence_type="06",
    public_fields=_PUBLIC,
    partner_fields=_PARTNER,
    labels=_LABELS,
    code_fields=_CODES,
    read=read_vocational,
    write=write_vocational,
    encode=encode_vocational,
    decode=decode_vocational,
    check=check_vocational,
)

__all__ = [
    "VOCATIONAL_QUALIFICATION",
    "VOCATIONAL_QUALIFICATION_SPEC",
    "VocationalQualificationFacts",
    "shared_provinces",
]

"""Continuing-education hours (继续教育学时): one year's general (公需) and professional
hours recorded by one bureau or provider, and the regions where they count.

Hours come in halves (``multipleOf`` 0.5 in the schema); the QR carries half-hours as
integers. When the record lists its courses (partner API only), their hours of each kind
must add up to the stated general and professional hours, and each course must have been
completed in the record's year.

QR record-map keys: ``16`` year, ``17`` general half-hours, ``18`` professional half-hours,
``19`` regions (division QR numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.core.recordtypes.base import (
    FIRST_TYPE_KEY,
    RecordDetails,
    RecordTypeSpec,
    claims_error,
    code_at,
    consistency_error,
    int_claim,
    qr_number,
)

CONTINUING_EDUCATION = "ContinuingEducationCredential"
SUBJECT_KEY = "continuingEducation"
_POINTER = f"/credentialSubject/{SUBJECT_KEY}"
GENERAL, PROFESSIONAL = "公需科目", "专业科目"

YEAR, GENERAL_HALF_HOURS, PROFESSIONAL_HALF_HOURS, REGIONS = range(
    FIRST_TYPE_KEY, FIRST_TYPE_KEY + 4
)
_MAX_HALF_HOURS = 1000  # 500 hours, the schema's ceiling
_MAX_REGIONS = 10


@dataclass(frozen=True)
class ContinuingEducationFacts(RecordDetails):
    """One year's hours and the regions where they count."""

    year: int
    general_hours: float
    professional_hours: float
    regions: tuple[str, ...]


_LABELS: dict[str, tuple[str, str]] = {
    "year": ("年度", "Year"),
    "generalHours": ("公需科目学时", "General hours"),
    "professionalHours": ("专业科目学时", "Professional hours"),
    "regions": ("学时认可地区", "Regions where the hours count"),
    "courses": ("课程与施教机构", "Courses and providers"),
}
_CODES = {"regions": "divisions"}
_PUBLIC = ("year", "generalHours", "professionalHours", "regions")
_PARTNER = ("courses",)


def hours_value(hours: float) -> int | float:
    """Hours as JSON writes them: whole hours as integers, halves as decimals."""
    return int(hours) if float(hours).is_integer() else float(hours)


def read_continuing_education(block: Mapping[str, Any]) -> ContinuingEducationFacts:
    """The public facts of a continuing-education block."""
    return ContinuingEducationFacts(
        year=int(block["year"]),
        general_hours=float(block["generalHours"]),
        professional_hours=float(block["professionalHours"]),
        regions=tuple(str(code) for code in block["regions"]),
    )


def write_continuing_education(facts: ContinuingEducationFacts) -> dict[str, Any]:
    """The public fields as the credential carries them."""
    return {
        "year": facts.year,
        "generalHours": hours_value(facts.general_hours),
        "professionalHours": hours_value(facts.professional_hours),
        "regions": list(facts.regions),
    }


def encode_continuing_education(facts: ContinuingEducationFacts) -> dict[int, Any]:
    """The type's entries of the QR record map (hours as half-hours)."""
    return {
        YEAR: facts.year,
        GENERAL_HALF_HOURS: round(facts.general_hours * 2),
        PROFESSIONAL_HALF_HOURS: round(facts.professional_hours * 2),
        REGIONS: [qr_number("divisions", code) for code in facts.regions],
    }


def _half_hours(value: object) -> float:
    halves = int_claim(value)
    if not 0 <= halves <= _MAX_HALF_HOURS:
        raise claims_error()
    return halves / 2


def decode_continuing_education(record: Mapping[Any, Any]) -> ContinuingEducationFacts:
    """The facts from the QR record map."""
    regions = record.get(REGIONS)
    if not isinstance(regions, list) or not 1 <= len(regions) <= _MAX_REGIONS:
        raise claims_error()
    year = int_claim(record.get(YEAR))
    if not 2000 <= year <= 2100:
        raise claims_error()
    return ContinuingEducationFacts(
        year=year,
        general_hours=_half_hours(record.get(GENERAL_HALF_HOURS)),
        professional_hours=_half_hours(record.get(PROFESSIONAL_HALF_HOURS)),
        regions=tuple(code_at("divisions", code) for code in regions),
    )


def check_continuing_education(
    facts: ContinuingEducationFacts,
    block: Mapping[str, Any],
    valid_from: datetime,
    valid_until: datetime | None,
) -> None:
    """Listed courses must add up to the stated hours and fall in the record's year."""
    courses = block.get("courses")
    if not isinstance(courses, list):
        return
    for index, course in enumerate(courses):
        completed = str(course.get("completedOn", ""))
        if completed and not completed.startswith(f"{facts.year}-"):
            raise consistency_error(
                f"{_POINTER}/courses/{index}/completedOn",
                "CE_COURSE_YEAR_MISMATCH",
                "课程完成日期不在记录的年度内",
                "the course was not completed in the record's year",
            )
    for kind, stated, field_name in (
        (GENERAL, facts.general_hours, "generalHours"),
        (PROFESSIONAL, facts.professional_hours, "professionalHours"),
    ):
        listed = sum(float(c["hours"]) for c in courses if c.get("kind") == kind)
        if listed != stated:
            raise consistency_error(
                f"{_POINTER}/{field_name}",
                "CE_HOURS_MISMATCH",
                f"所列{kind}课程共 {hours_value(listed)} 学时，与所填学时不符",
                f"the listed {'general' if kind == GENERAL else 'professional'} courses "
                f"add up to {hours_value(listed)} hours, not the hours stated",
            )


CONTINUING_EDUCATION_SPEC: RecordTypeSpec[ContinuingEducationFacts] = RecordTypeSpec(
    name=CONTINUING_EDUCATION,
    subject_key=SUBJECT_KEY,
    details_type=ContinuingEducationFacts,
    elicence_type="07",
    public_fields=_PUBLIC,
    partner_fields=_PARTNER,
    labels=_LABELS,
    code_fields=_CODES,
    read=read_continuing_education,
    write=write_continuing_education,
    encode=encode_continuing_education,
    decode=decode_continuing_education,
    check=check_continuing_education,
)

__all__ = [
    "CONTINUING_EDUCATION",
    "CONTINUING_EDUCATION_SPEC",
    "ContinuingEducationFacts",
    "hours_value",
]

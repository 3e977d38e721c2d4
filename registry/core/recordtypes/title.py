"""Professional titles (职称) and jointly reviewed titles (联合评审职称).

QR record-map keys (container ``RC1``, unchanged since the first slice so that every code
already printed still verifies): ``2`` series, ``3`` specialty, ``4`` level, ``5`` title
name, ``6`` obtained by (code-list QR numbers), ``7`` obtained on (days since 1970-01-01);
a joint title adds ``9`` joint committee USCC and ``10`` review regions (division numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from registry.core.codes import code_list
from registry.core.formats.timefmt import parse_date
from registry.core.recordtypes.base import (
    RecordDetails,
    RecordTypeSpec,
    claims_error,
    code_at,
    consistency_error,
    day_claim,
    day_number,
    qr_number,
    text_claim,
)

TITLE = "ProfessionalTitleCredential"
JOINT_TITLE = "JointTitleCredential"
SUBJECT_KEY = "professionalTitle"

SERIES, SPECIALTY, LEVEL, TITLE_NAME, OBTAINED_BY, OBTAINED_ON = 2, 3, 4, 5, 6, 7
JOINT_COMMITTEE, REVIEW_REGIONS = 9, 10


@dataclass(frozen=True)
class TitleFacts(RecordDetails):
    """The public facts of a professional title (codes, not labels)."""

    series: str
    specialty: str
    level: str
    title_name: str
    obtained_by: str
    obtained_on: date
    joint_committee: str | None = None
    review_regions: tuple[str, ...] = ()


_LABELS: dict[str, tuple[str, str]] = {
    "series": ("职称系列", "Series"),
    "specialty": ("专业", "Specialty"),
    "level": ("级别", "Level"),
    "titleName": ("职称名称", "Title"),
    "obtainedBy": ("取得方式", "Obtained by"),
    "obtainedOn": ("取得日期", "Obtained on"),
    "jointCommittee": ("联合评审委员会", "Joint review committee"),
    "reviewRegions": ("参与评审地区", "Co-reviewing regions"),
    "approvalNumber": ("批准文号", "Approval document number"),
    "certificateNumber": ("证书编号", "Certificate number"),
    "employer": ("取得时工作单位", "Employer at the time"),
    "reviewSession": ("评审年度与批次", "Review session"),
}
_CODES = {
    "series": "title-series",
    "specialty": "specialties",
    "level": "title-levels",
    "titleName": "title-names",
    "obtainedBy": "obtained-by",
    "reviewRegions": "divisions",
}
_PUBLIC = ("series", "specialty", "level", "titleName", "obtainedBy", "obtainedOn")
_JOINT_PUBLIC = (*_PUBLIC, "jointCommittee", "reviewRegions")
_PARTNER = ("approvalNumber", "certificateNumber", "employer")


def _read(block: Mapping[str, Any], joint: bool) -> TitleFacts:
    return TitleFacts(
        series=str(block["series"]),
        specialty=str(block["specialty"]),
        level=str(block["level"]),
        title_name=str(block["titleName"]),
        obtained_by=str(block["obtainedBy"]),
        obtained_on=parse_date(block["obtainedOn"], "obtainedOn"),
        joint_committee=str(block["jointCommittee"]) if joint else None,
        review_regions=tuple(str(code) for code in block["reviewRegions"]) if joint else (),
    )


def read_title(block: Mapping[str, Any]) -> TitleFacts:
    """The public facts of a plain title block."""
    return _read(block, joint=False)


def read_joint_title(block: Mapping[str, Any]) -> TitleFacts:
    """The public facts of a joint title block."""
    return _read(block, joint=True)


def write_title(facts: TitleFacts) -> dict[str, Any]:
    """A title's public fields as the credential carries them."""
    body: dict[str, Any] = {
        "series": facts.series,
        "specialty": facts.specialty,
        "level": facts.level,
        "titleName": facts.title_name,
        "obtainedBy": facts.obtained_by,
        "obtainedOn": facts.obtained_on.isoformat(),
    }
    if facts.joint_committee is not None:
        body["jointCommittee"] = facts.joint_committee
        body["reviewRegions"] = list(facts.review_regions)
    return body


def encode_title(facts: TitleFacts) -> dict[int, Any]:
    """A title's entries of the QR record map."""
    record: dict[int, Any] = {
        SERIES: qr_number("title-series", facts.series),
        SPECIALTY: qr_number("specialties", facts.specialty),
        LEVEL: qr_number("title-levels", facts.level),
        TITLE_NAME: qr_number("title-names", facts.title_name),
        OBTAINED_BY: qr_number("obtained-by", facts.obtained_by),
        OBTAINED_ON: day_number(facts.obtained_on),
    }
    if facts.joint_committee is not None:
        record[JOINT_COMMITTEE] = facts.joint_committee
        record[REVIEW_REGIONS] = [qr_number("divisions", code) for code in facts.review_regions]
    return record


def _decode(record: Mapping[Any, Any], joint: bool) -> TitleFacts:
    regions = record.get(REVIEW_REGIONS, [])
    if not isinstance(regions, list):
        raise claims_error()
    return TitleFacts(
        series=code_at("title-series", record.get(SERIES)),
        specialty=code_at("specialties", record.get(SPECIALTY)),
        level=code_at("title-levels", record.get(LEVEL)),
        title_name=code_at("title-names", record.get(TITLE_NAME)),
        obtained_by=code_at("obtained-by", record.get(OBTAINED_BY)),
        obtained_on=day_claim(record.get(OBTAINED_ON)),
        joint_committee=text_claim(record.get(JOINT_COMMITTEE)) if joint else None,
        review_regions=tuple(code_at("divisions", code) for code in regions),
    )


def decode_title(record: Mapping[Any, Any]) -> TitleFacts:
    """A plain title's facts from the QR record map."""
    return _decode(record, joint=False)


def decode_joint_title(record: Mapping[Any, Any]) -> TitleFacts:
    """A joint title's facts from the QR record map."""
    return _decode(record, joint=True)


def check_title_consistency(title: TitleFacts) -> None:
    """A title name must belong to the series and level it is issued under."""
    entry = code_list("title-names").by_code(title.title_name)
    series = entry.extra.get("series")
    level = entry.extra.get("level")
    if (series and series != title.series) or (level and level != title.level):
        raise consistency_error(
            f"/credentialSubject/{SUBJECT_KEY}/titleName",
            "TITLE_NAME_MISMATCH",
            "职称名称与系列或级别不一致",
            "the title name does not match the series or level",
        )


def check_title(
    facts: TitleFacts,
    block: Mapping[str, Any],
    valid_from: datetime,
    valid_until: datetime | None,
) -> None:
    """Consistency rules of a title (the validity period is not constrained)."""
    check_title_consistency(facts)


TITLE_SPEC: RecordTypeSpec[TitleFacts] = RecordTypeSpec(
    name=TITLE,
    subject_key=SUBJECT_KEY,
    details_type=TitleFacts,
    elicence_type="01",
    public_fields=_PUBLIC,
    partner_fields=_PARTNER,
    labels=_LABELS,
    code_fields=_CODES,
    read=read_title,
    write=write_title,
    encode=encode_title,
    decode=decode_title,
    check=check_title,
)

JOINT_TITLE_SPEC: RecordTypeSpec[TitleFacts] = RecordTypeSpec(
    name=JOINT_TITLE,
    subject_key=SUBJECT_KEY,
    details_type=TitleFacts,
    elicence_type="02",
    public_fields=_JOINT_PUBLIC,
    partner_fields=(*_PARTNER, "reviewSession"),
    labels=_LABELS,
    code_fields=_CODES,
    read=read_joint_title,
    write=write_title,
    encode=encode_title,
    decode=decode_joint_title,
    check=check_title,
)

__all__ = [
    "JOINT_TITLE",
    "JOINT_TITLE_SPEC",
    "TITLE",
    "TITLE_SPEC",
    "TitleFacts",
    "check_title_consistency",
]

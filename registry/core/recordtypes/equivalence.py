"""Foreign-qualification equivalence (境外职业资格比照认定): a foreign professional
qualification recognised as a domestic title series, level and specialty, through an item
of a versioned catalogue.

The record names the catalogue, its version and the item; the registry refuses it when the
item is not in that version or maps to another series, level or specialty
(``services.issuance.record_rules``). The foreign qualification itself, its awarding body and its
number are partner-only.

QR record-map keys: ``16`` catalogue id, ``17`` catalogue version, ``18`` item number
(short ASCII text), ``19`` mapped series, ``20`` mapped level, ``21`` mapped specialty
(code-list QR numbers; absent when the item names none), ``22`` decided on (days since
1970-01-01).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from registry.core.codes import code_list
from registry.core.formats.timefmt import parse_date
from registry.core.qualifications.catalogues import CATALOGUE_ID, ITEM, VERSION
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
    text_claim,
)

QUALIFICATION_EQUIVALENCE = "QualificationEquivalenceCredential"
SUBJECT_KEY = "qualificationEquivalence"
POINTER = f"/credentialSubject/{SUBJECT_KEY}"

CATALOGUE, CATALOGUE_VERSION, ITEM_NUMBER, SERIES, LEVEL, SPECIALTY, DECIDED_ON = range(
    FIRST_TYPE_KEY, FIRST_TYPE_KEY + 7
)


@dataclass(frozen=True)
class EquivalenceFacts(RecordDetails):
    """The public facts of an equivalence decision (codes, not labels)."""

    catalogue: str
    catalogue_version: str
    item: str
    mapped_series: str
    mapped_level: str
    decided_on: date
    mapped_specialty: str | None = None


_LABELS: dict[str, tuple[str, str]] = {
    "catalogue": ("比照认定目录", "Catalogue"),
    "catalogueVersion": ("目录版本", "Catalogue version"),
    "item": ("目录条目", "Catalogue item"),
    "mappedSeries": ("对应职称系列", "Mapped series"),
    "mappedLevel": ("对应级别", "Mapped level"),
    "mappedSpecialty": ("对应专业", "Mapped specialty"),
    "decidedOn": ("认定日期", "Decided on"),
    "decisionNumber": ("认定文号", "Decision number"),
    "foreignQualification": ("境外职业资格", "Foreign qualification"),
    "awardingBody": ("颁证机构", "Awarding body"),
    "foreignCertificateNumber": ("境外证书编号", "Foreign certificate number"),
}
_CODES = {
    "mappedSeries": "title-series",
    "mappedLevel": "title-levels",
    "mappedSpecialty": "specialties",
}
_PUBLIC = (
    "catalogue",
    "catalogueVersion",
    "item",
    "mappedSeries",
    "mappedLevel",
    "mappedSpecialty",
    "decidedOn",
)
_PARTNER = ("decisionNumber", "foreignQualification", "awardingBody", "foreignCertificateNumber")


def read_equivalence(block: Mapping[str, Any]) -> EquivalenceFacts:
    """The public facts of an equivalence block."""
    specialty = block.get("mappedSpecialty")
    return EquivalenceFacts(
        catalogue=str(block["catalogue"]),
        catalogue_version=str(block["catalogueVersion"]),
        item=str(block["item"]),
        mapped_series=str(block["mappedSeries"]),
        mapped_level=str(block["mappedLevel"]),
        decided_on=parse_date(block["decidedOn"], "decidedOn"),
        mapped_specialty=str(specialty) if specialty is not None else None,
    )


def write_equivalence(facts: EquivalenceFacts) -> dict[str, Any]:
    """The public fields as the credential carries them."""
    body: dict[str, Any] = {
        "catalogue": facts.catalogue,
        "catalogueVersion": facts.catalogue_version,
        "item": facts.item,
        "mappedSeries": facts.mapped_series,
        "mappedLevel": facts.mapped_level,
    }
    if facts.mapped_specialty is not None:
        body["mappedSpecialty"] = facts.mapped_specialty
    body["decidedOn"] = facts.decided_on.isoformat()
    return body


def encode_equivalence(facts: EquivalenceFacts) -> dict[int, Any]:
    """The type's entries of the QR record map."""
    record: dict[int, Any] = {
        CATALOGUE: facts.catalogue,
        CATALOGUE_VERSION: facts.catalogue_version,
        ITEM_NUMBER: facts.item,
        SERIES: qr_number("title-series", facts.mapped_series),
        LEVEL: qr_number("title-levels", facts.mapped_level),
        DECIDED_ON: day_number(facts.decided_on),
    }
    if facts.mapped_specialty is not None:
        record[SPECIALTY] = qr_number("specialties", facts.mapped_specialty)
    return record


def _identifier(value: object, pattern: re.Pattern[str]) -> str:
    text = text_claim(value, 32)
    if not pattern.match(text):
        raise claims_error()
    return text


def decode_equivalence(record: Mapping[Any, Any]) -> EquivalenceFacts:
    """The facts from the QR record map."""
    specialty = record.get(SPECIALTY)
    return EquivalenceFacts(
        catalogue=_identifier(record.get(CATALOGUE), CATALOGUE_ID),
        catalogue_version=_identifier(record.get(CATALOGUE_VERSION), VERSION),
        item=_identifier(record.get(ITEM_NUMBER), ITEM),
        mapped_series=code_at("title-series", record.get(SERIES)),
        mapped_level=code_at("title-levels", record.get(LEVEL)),
        decided_on=day_claim(record.get(DECIDED_ON)),
        mapped_specialty=code_at("specialties", specialty) if specialty is not None else None,
    )


def check_equivalence(
    facts: EquivalenceFacts,
    block: Mapping[str, Any],
    valid_from: datetime,
    valid_until: datetime | None,
) -> None:
    """The mapped specialty must belong to the mapped series (the catalogue is checked
    against the store when issuing)."""
    if facts.mapped_specialty is None:
        return
    series = code_list("specialties").by_code(facts.mapped_specialty).extra.get("series")
    if series and series != facts.mapped_series:
        raise consistency_error(
            f"{POINTER}/mappedSpecialty",
            "EQUIVALENCE_SPECIALTY_SERIES_MISMATCH",
            "对应专业不属于对应职称系列",
            "the mapped specialty does not belong to the mapped series",
        )


QUALIFICATION_EQUIVALENCE_SPEC: RecordTypeSpec[EquivalenceFacts] = RecordTypeSpec(
    name=QUALIFICATION_EQUIVALENCE,
    subject_key=SUBJECT_KEY,
    details_type=EquivalenceFacts,
    elicence_type="08",
    public_fields=_PUBLIC,
    partner_fields=_PARTNER,
    labels=_LABELS,
    code_fields=_CODES,
    read=read_equivalence,
    write=write_equivalence,
    encode=encode_equivalence,
    decode=decode_equivalence,
    check=check_equivalence,
)

__all__ = [
    "POINTER",
    "QUALIFICATION_EQUIVALENCE",
    "QUALIFICATION_EQUIVALENCE_SPEC",
    "EquivalenceFacts",
]

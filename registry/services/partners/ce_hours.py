"""A person's continuing-education hours for a year, across every issuer and region, for
partner systems. The person is found by the keyed digest of their ID number; the number
itself is neither stored nor shown. Each query states its purpose (用证事由) and is logged
against every record it read, so the holder can see who looked at their hours."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.core.errors import RegistryError, invalid_field
from registry.core.people.identifiers import parse_resident_id
from registry.core.people.privacy import id_number_digest
from registry.core.qualifications.ce_hours import HoursRecord, HoursTotals, hours_totals
from registry.services.access.tokens import Principal, require_role
from registry.services.partners.checks import partner_region
from registry.services.people.access_log import Caller, log_check, stated_purpose
from registry.services.runtime.context import Registry
from registry.storage.repositories import CredentialRepository
from registry.storage.tables import CredentialRow, IssuerRow

CONTINUING_EDUCATION = "ContinuingEducationCredential"
FIRST_YEAR, LAST_YEAR = 2000, 2100
HOURS = "hours"  # the access-log action of a totals query


@dataclass(frozen=True)
class IssuerName:
    """An issuer as a totals answer names it."""

    uscc: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class HolderHours:
    """A totals answer: the hours, the issuers named in it, and the purpose as logged."""

    totals: HoursTotals
    issuers: Mapping[str, IssuerName]
    purpose: str


def _hours_record(row: CredentialRow, issuer: IssuerRow) -> HoursRecord | None:
    """The hours a stored record states (the registry validated them when issuing)."""
    subject = row.document.get("credentialSubject")
    hours: Any = subject.get("continuingEducation") if isinstance(subject, Mapping) else None
    if not isinstance(hours, Mapping):
        return None
    try:
        return HoursRecord(
            record_id=row.id,
            issuer_uscc=issuer.uscc,
            issuer_region=issuer.region_code,
            year=int(hours["year"]),
            general_hours=float(hours["generalHours"]),
            professional_hours=float(hours["professionalHours"]),
            regions=tuple(str(region) for region in hours["regions"]),
            status=row.status,
        )
    except (KeyError, TypeError, ValueError):
        return None


def holder_hours(
    registry: Registry,
    principal: Principal,
    *,
    id_number: str,
    year: int,
    purpose: str,
    now: datetime,
    region: str | None = None,
) -> HolderHours:
    """The holder's hours for ``year`` as the asking region counts them: a partner token's
    own region (naming another is ``REGION_MISMATCH``); an admin may name one, and without
    one counts every record."""
    require_role(principal, "partner")
    stated = stated_purpose(purpose, required=True)
    try:
        resident_id = parse_resident_id(id_number)
    except RegistryError as error:
        raise invalid_field("/idNumber", error.code, error.message_zh, error.message_en) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise invalid_field(
            "/year",
            "CE_YEAR_INVALID",
            f"年度须在 {FIRST_YEAR} 至 {LAST_YEAR} 之间",
            f"the year must be between {FIRST_YEAR} and {LAST_YEAR}",
        )
    region = partner_region(principal, region)
    digest = id_number_digest(registry.hash_key, resident_id.value)
    with registry.reading() as session:
        found = CredentialRepository(session).of_holder(digest, CONTINUING_EDUCATION)
    records: list[HoursRecord] = []
    issuers: dict[str, IssuerName] = {}
    for row, issuer in found:
        record = _hours_record(row, issuer)
        if record is not None:
            records.append(record)
            issuers[issuer.uscc] = IssuerName(issuer.uscc, issuer.name_zh, issuer.name_en)
    totals = hours_totals(records, year, region)
    caller = Caller.of(principal)
    for item in totals.records:
        log_check(
            registry,
            caller,
            item.record.record_id,
            action=HOURS,
            purpose=stated,
            outcome="counted" if item.counted else "not_counted",
            region=region,
            now=now,
        )
    named = {uscc: issuers[uscc] for uscc in {i.record.issuer_uscc for i in totals.records}}
    return HolderHours(totals, named, stated)


__all__ = ["CONTINUING_EDUCATION", "HolderHours", "IssuerName", "holder_hours"]

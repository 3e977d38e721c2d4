"""Issuance rules of record types that need the database (the pure ones live in each
type's spec, ``registry.core.recordtypes``).

A rule gets the open session, the registry, the issuing organisation, the validated
credential request and, for an amendment, the version it replaces. It raises a
``RegistryError`` whose field pointers are relative to the credential (issuance prefixes
``/credential``), or returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlmodel import Session

from registry.core.errors import RegistryError, invalid_field
from registry.core.people.personal_numbers import holder_number, read_personal_numbers
from registry.core.records.credential import record_id_from_credential_id
from registry.core.recordtypes.equivalence import QUALIFICATION_EQUIVALENCE
from registry.core.recordtypes.postdoc import (
    LEFT_STATES,
    POSTDOC_AFFILIATION,
    check_fresh_postdoc,
    check_postdoc_amendment,
    read_postdoc,
)
from registry.core.recordtypes.postdoc import (
    SUBJECT_KEY as POSTDOC_KEY,
)
from registry.core.recordtypes.residence import (
    DEPENDANT,
    PRINCIPAL,
    RESIDENCE_PERMIT,
)
from registry.core.recordtypes.residence import (
    SUBJECT_KEY as PERMIT_KEY,
)
from registry.services.people.personal_data import SubjectNumbers, holder_digest
from registry.services.qualifications.equivalence_rules import check_equivalence_item
from registry.services.runtime.context import Registry
from registry.services.transparency.events import hold_log_lock
from registry.storage.repositories import CredentialRepository
from registry.storage.tables import CredentialRow, IssuerRow

Rule = Callable[[Session, Registry, IssuerRow, Mapping[str, Any], CredentialRow | None], None]
ACTIVE = "active"
OPEN_STATES = frozenset({ACTIVE, "suspended"})  # a suspended record is reinstated, then amended


def dependant_needs_principal(
    session: Session,
    registry: Registry,
    issuer: IssuerRow,
    credential: Mapping[str, Any],
    amending: CredentialRow | None,
) -> None:
    """A dependant's permit points to an active principal permit recorded here."""
    permit = credential["credentialSubject"][PERMIT_KEY]
    if permit.get("role") != DEPENDANT:
        return
    pointer = f"/credentialSubject/{PERMIT_KEY}/principalRecord"
    target = str(permit.get("principalRecord", ""))
    prefix = registry.urls.credential("")
    row = None
    if target.startswith(prefix):
        try:
            row = CredentialRepository(session).get(record_id_from_credential_id(target))
        except RegistryError:
            row = None
    if row is None or row.record_type != RESIDENCE_PERMIT:
        raise invalid_field(
            pointer,
            "PRINCIPAL_PERMIT_UNKNOWN",
            "随员证须指向本系统登记的主证记录",
            "a dependant's permit must point to a principal permit recorded here",
        )
    subject = row.document.get("credentialSubject", {})
    if subject.get(PERMIT_KEY, {}).get("role") != PRINCIPAL:
        raise invalid_field(
            pointer,
            "PRINCIPAL_PERMIT_NOT_PRINCIPAL",
            "所指记录不是主证",
            "the record pointed to is not a principal permit",
        )
    if row.status != ACTIVE:
        raise invalid_field(
            pointer,
            "PRINCIPAL_PERMIT_NOT_ACTIVE",
            "所指主证记录当前无效",
            "the principal permit pointed to is not currently valid",
        )


def _postdoc_block(row: CredentialRow) -> Mapping[str, Any]:
    block: Mapping[str, Any] = row.document["credentialSubject"][POSTDOC_KEY]
    return block


def leaving_the_station_amends(
    session: Session,
    registry: Registry,
    issuer: IssuerRow,
    credential: Mapping[str, Any],
    amending: CredentialRow | None,
) -> None:
    """Leaving the station amends the in-station record: an amendment never returns a
    completed or withdrawn record to in station, and a fresh record of leaving is refused
    while the holder (by ID-number digest) has an active or suspended in-station record at
    the same station from this issuer."""
    subject = credential["credentialSubject"]
    facts = read_postdoc(subject[POSTDOC_KEY])
    if amending is not None:
        check_postdoc_amendment(read_postdoc(_postdoc_block(amending)), facts)
        return
    if facts.state not in LEFT_STATES:
        return
    numbers = read_personal_numbers(subject)  # already checked by issuance
    if holder_number(numbers) is None:
        return  # issuance refuses a holder without a number before any rule runs
    digest = holder_digest(registry, SubjectNumbers(numbers, {}))
    records = CredentialRepository(session).of_holder(digest, POSTDOC_AFFILIATION)
    check_fresh_postdoc(
        facts,
        (
            read_postdoc(_postdoc_block(row))
            for row, _ in records
            if row.issuer_id == issuer.id and row.status in OPEN_STATES
        ),
    )


RULES: dict[str, tuple[Rule, ...]] = {
    RESIDENCE_PERMIT: (dependant_needs_principal,),
    POSTDOC_AFFILIATION: (leaving_the_station_amends,),
    QUALIFICATION_EQUIVALENCE: (check_equivalence_item,),
}


def check_record_rules(
    session: Session,
    registry: Registry,
    issuer: IssuerRow,
    record_type: str,
    credential: Mapping[str, Any],
    *,
    amending: CredentialRow | None = None,
) -> None:
    """Apply every database rule of the record type to an issuance request (``amending``:
    the version an amendment replaces).

    Rules read other records (an in-station affiliation, a principal's permit), so before
    they run the transaction takes the log's append lock, which its log leaf would take
    anyway: another issuance cannot slip a record in between this one's reads and its
    commit (PostgreSQL; on SQLite a writing transaction holds the write lock throughout).
    """
    rules = RULES.get(record_type, ())
    if rules:
        hold_log_lock(session)
    for rule in rules:
        rule(session, registry, issuer, credential, amending)


__all__ = [
    "RULES",
    "Rule",
    "check_record_rules",
    "dependant_needs_principal",
    "leaving_the_station_amends",
]

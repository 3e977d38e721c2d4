"""Personal numbers at issuance and after: read from a request, sealed and digested into
the store, matched, carried over to an amended record, re-sealed under a new key."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from registry.core.errors import RegistryError, invalid
from registry.core.people.identifiers import parse_resident_id
from registry.core.people.passports import parse_passport
from registry.core.people.personal_numbers import (
    PersonalNumber,
    holder_number,
    masked_subject,
    read_personal_numbers,
)
from registry.core.people.privacy import id_number_digest
from registry.core.people.sealing import key_id_of, seal, unseal
from registry.core.records import elicence
from registry.services.runtime.context import Registry
from registry.storage.personal import PersonalNumberRepository
from registry.storage.tables import PersonalNumberRow

SUBJECT_POINTER = "/credential/credentialSubject"
_ID_LIKE_LENGTH = 15


@dataclass(frozen=True)
class SubjectNumbers:
    """The numbers of an issuance request's subject, and the subject with them masked."""

    numbers: tuple[PersonalNumber, ...]
    masked: dict[str, Any]

    @property
    def holder(self) -> PersonalNumber:
        """The number that identifies the holder (ID number, else passport)."""
        found = holder_number(self.numbers)
        assert found is not None  # read_subject refuses a subject without one
        return found


def read_subject(subject: Mapping[str, Any], *, now: datetime) -> SubjectNumbers:
    """Check every number in an issuance request's subject; the holder must have one."""
    numbers = read_personal_numbers(subject, today=now.date(), prefix=SUBJECT_POINTER)
    if holder_number(numbers) is None:
        raise invalid(
            "HOLDER_NUMBER_REQUIRED",
            "持证人须有身份证件号码或护照号码",
            "the holder needs an ID number or a passport number",
        )
    return SubjectNumbers(numbers, masked_subject(subject, numbers))


def holder_digest(registry: Registry, numbers: SubjectNumbers) -> str:
    """The keyed digest stored on the record for matching the holder."""
    return id_number_digest(registry.hash_key, numbers.holder.value)


def sealed_rows(
    registry: Registry, record_id: str, numbers: SubjectNumbers
) -> list[PersonalNumberRow]:
    """One sealed, digested row per number, bound to ``record_id``."""
    key = registry.id_keyring.current
    return [
        PersonalNumberRow.model_construct(  # built here from checked values: no validation
            record_id=record_id,
            pointer=number.pointer,
            kind=number.kind,
            holder=number.holder,
            digest=id_number_digest(registry.hash_key, number.value),
            sealed=seal(key, number.value, record_id),
        )
        for number in numbers.numbers
    ]


def store_numbers(
    session: Session, registry: Registry, record_id: str, numbers: SubjectNumbers
) -> None:
    """Store a new record's numbers, sealed, in the issuance transaction."""
    PersonalNumberRepository(session).add_all(sealed_rows(registry, record_id, numbers))


def electronic_licence_id(
    record_type: str, issuer_uscc: str, record_id: str, issued_at: datetime
) -> str:
    """Version 1 of a new record's national e-licence identifier (GB/T 36904)."""
    return str(elicence.for_record(record_type, issuer_uscc, record_id, issued_at.date()))


def amended_electronic_licence_id(previous: str, record_type: str) -> str:
    """The identifier of an amended record: same licence serial, next version, in the
    national form even when the previous version still has only the earlier form."""
    parsed = elicence.parse(previous)
    if parsed.legacy:
        parsed = elicence.national_form_of(record_type, parsed)
    return str(elicence.amended(parsed))


def copy_numbers(session: Session, registry: Registry, from_record: str, to_record: str) -> None:
    """Carry a record's numbers over to the record that amends it (re-sealed for the new
    record id, which is their associated data)."""
    repository = PersonalNumberRepository(session)
    key = registry.id_keyring.current
    rows = [
        PersonalNumberRow(
            record_id=to_record,
            pointer=row.pointer,
            kind=row.kind,
            holder=row.holder,
            digest=row.digest,
            sealed=seal(key, unseal(registry.id_keyring, row.sealed, from_record), to_record),
        )
        for row in repository.of_record(from_record)
    ]
    repository.add_all(rows)


def typed_number_digest(registry: Registry, typed: str) -> str:
    """The digest of a number someone typed to match a holder.

    Starting with 15 digits: an ID number of any kind, checked strictly. Anything else: a
    passport number (format only). Input that is neither is refused as
    ``ID_NUMBER_INVALID``, never echoed.
    """
    text = typed.strip().upper()
    head = text[:_ID_LIKE_LENGTH]
    if len(head) == _ID_LIKE_LENGTH and head.isascii() and head.isdigit():
        return id_number_digest(registry.hash_key, parse_resident_id(text).value)
    try:
        return id_number_digest(registry.hash_key, parse_passport(text).number)
    except RegistryError:
        parse_resident_id(text)  # raises ID_NUMBER_INVALID with the reason
        raise


def holder_matches(session: Session, record_id: str, digest: str, stored: str) -> bool:
    """Whether ``digest`` is one of the holder's numbers (the record's own digest, or one of
    its sealed holder numbers), compared in constant time."""
    candidates = [stored, *PersonalNumberRepository(session).holder_digests(record_id)]
    found = False
    for candidate in candidates:
        found |= hmac.compare_digest(candidate, digest)
    return found


def reseal_all(registry: Registry) -> int:
    """Re-seal every stored number still sealed under a retired key with the current key;
    returns how many were re-sealed. Afterwards the retired keys can be dropped."""
    keyring = registry.id_keyring
    changed = 0
    with registry.transaction() as session:
        for row in PersonalNumberRepository(session).all():
            if key_id_of(row.sealed) == keyring.current.key_id:
                continue
            row.sealed = seal(
                keyring.current, unseal(keyring, row.sealed, row.record_id), row.record_id
            )
            session.add(row)
            changed += 1
    return changed


__all__ = [
    "SubjectNumbers",
    "amended_electronic_licence_id",
    "copy_numbers",
    "electronic_licence_id",
    "holder_digest",
    "holder_matches",
    "masked_numbers",
    "read_subject",
    "reseal_all",
    "sealed_rows",
    "store_numbers",
    "typed_number_digest",
]


def masked_numbers(registry: Registry, record_id: str) -> list[dict[str, Any]]:
    """A record's numbers, masked, for a partner with a statutory basis: each opened from
    its sealed form and masked again (ID numbers: last 4 only, passports less), so a record
    signed under the earlier masking rule is shown under the current one."""
    with registry.reading() as session:
        rows = PersonalNumberRepository(session).of_record(record_id)
    shown: list[dict[str, Any]] = []
    for row in rows:
        number = PersonalNumber(
            row.pointer, row.kind, unseal(registry.id_keyring, row.sealed, record_id)
        )
        shown.append(
            {
                "field": "/credentialSubject" + row.pointer,
                "kind": row.kind,
                "holder": row.holder,
                "masked": number.masked,
            }
        )
    return shown

"""Personal numbers at rest: sealed and digested at issuance, readable by nobody holding only
a dump of the database, carried over to an amendment, re-sealed after a key rotation."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import inspect, text

from registry.core.errors import RegistryError
from registry.core.people.identifiers import resident_id_check_char
from registry.core.people.privacy import id_number_digest
from registry.core.people.sealing import key_id_of, new_key_text, unseal
from registry.core.records import elicence
from registry.demo.data import DEMO_PEOPLE, DEMO_RECORDS, QINGPU_BUREAU
from registry.services.access.tokens import Principal
from registry.services.issuance.issue import issue_record
from registry.services.people.personal_data import (
    copy_numbers,
    masked_numbers,
    reseal_all,
    typed_number_digest,
)
from registry.services.runtime.context import Registry
from registry.storage.personal import PersonalNumberRepository, elicence_id_of
from registry.storage.tables import CredentialRow
from tests.support.clock import now
from tests.support.privacy import demo_passports

QINGPU = Principal(1, "issuer", QINGPU_BUREAU.uscc, None, "test")
PERMIT = "81000019880808" + "995"  # fictional Hong Kong resident (sequence 99x)
PERMIT += resident_id_check_char(PERMIT)
SHOWN = 8  # the masked form shows 4 + 4 characters of a number


def issue_for(registry: Registry, id_number: str, at: datetime | None = None) -> str:
    request = DEMO_RECORDS[0].issuance_request()
    request["credentialSubject"]["idNumber"] = id_number
    return issue_record(registry, QINGPU, request, now=at or now()).record_id


def test_issuance_seals_and_digests_every_number(registry, demo):
    record_id = issue_for(registry, PERMIT)
    with registry.reading() as session:
        rows = PersonalNumberRepository(session).of_record(record_id)
        credential = session.get(CredentialRow, record_id)
    assert [(r.pointer, r.kind, r.holder) for r in rows] == [("/idNumber", "hong_kong", True)]
    row = rows[0]
    assert row.digest == id_number_digest(registry.hash_key, PERMIT)
    assert key_id_of(row.sealed) == registry.id_keyring.current.key_id
    assert unseal(registry.id_keyring, row.sealed, record_id) == PERMIT
    assert PERMIT not in row.sealed
    assert credential is not None and credential.id_number_digest == row.digest
    masked = "*" * 14 + PERMIT[-4:]
    assert credential.document["credentialSubject"]["idNumber"] == masked


def test_every_record_gets_a_checked_elicence_id(registry, demo):
    at = now()
    record_id = issue_for(registry, PERMIT, at)
    with registry.reading() as session:
        stored = elicence_id_of(session, record_id)
        demo_ids = {elicence_id_of(session, r) for r in demo.records}
    assert stored is not None
    parsed = elicence.parse(stored)
    assert (parsed.type_code, parsed.issuer_uscc, parsed.version) == (
        elicence.type_code_of("ProfessionalTitleCredential"),
        QINGPU_BUREAU.uscc,
        1,
    )
    assert parsed.serial == elicence.serial_for(record_id, at.date())
    assert None not in demo_ids and len(demo_ids) == len(demo.records)


def _dump(registry: Registry) -> str:
    """Every text, JSON and binary value of every table, as one string."""
    parts: list[str] = []
    engine = registry.engine
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f'select * from "{table}"')):
                for value in row:
                    if isinstance(value, bytes | bytearray | memoryview):
                        parts.append(bytes(value).decode("latin-1"))
                    elif isinstance(value, dict | list):
                        parts.append(json.dumps(value, ensure_ascii=False))
                    elif value is not None:
                        parts.append(str(value))
    return "\n".join(parts)


def _runs(number: str, length: int) -> set[str]:
    return {number[i : i + length] for i in range(len(number) - length + 1)}


def test_a_database_dump_reveals_no_number(registry, demo):
    """No ID or passport number, and no run of more characters of one than its masked form
    shows (8), is anywhere in the database. (Shorter runs are not asserted: a 5-digit run
    turns up by chance in the hex digests of an ordinary dump.)"""
    issue_for(registry, PERMIT)
    numbers = {p.id_number for p in DEMO_PEOPLE} | {PERMIT} | set(demo_passports())
    dump = _dump(registry)
    assert "s1." in dump  # the sealed numbers are there, as ciphertext
    for number in numbers:
        leaked = [run for run in _runs(number, SHOWN) if run in dump.upper()]
        assert not leaked, f"a run of {SHOWN} characters of a number is in the dump"


def test_masked_numbers_come_from_the_sealed_copies(registry, demo):
    record_id = issue_for(registry, PERMIT)
    assert masked_numbers(registry, record_id) == [
        {
            "field": "/credentialSubject/idNumber",
            "kind": "hong_kong",
            "holder": True,
            "masked": "*" * 14 + PERMIT[-4:],
        }
    ]


def test_amendment_carries_the_numbers_resealed_for_the_new_record(registry, demo):
    first = issue_for(registry, PERMIT)
    second = issue_for(registry, DEMO_PEOPLE[1].id_number)
    with registry.transaction() as session:  # stands in for the amendment's own row
        session.execute(text("delete from personal_number where record_id = :r"), {"r": second})
        copy_numbers(session, registry, first, second)
    with registry.reading() as session:
        old = PersonalNumberRepository(session).of_record(first)[0]
        new = PersonalNumberRepository(session).of_record(second)[0]
    assert new.digest == old.digest and new.sealed != old.sealed
    assert unseal(registry.id_keyring, new.sealed, second) == PERMIT
    with pytest.raises(RegistryError, match="SEALED_DATA_INVALID"):
        unseal(registry.id_keyring, new.sealed, first)


def test_rotation_reseals_under_the_new_key(registry, demo):
    record_id = issue_for(registry, PERMIT)
    old_key = registry.settings.id_key
    assert old_key
    rotated = Registry(
        replace(registry.settings, id_key=f"{new_key_text()},{old_key}"),
        registry.engine,
        registry.keystore,
    )
    with registry.reading() as session:
        stored = len(PersonalNumberRepository(session).all())
    assert reseal_all(rotated) == stored
    assert reseal_all(rotated) == 0
    with registry.reading() as session:
        row = PersonalNumberRepository(session).of_record(record_id)[0]
    assert key_id_of(row.sealed) == rotated.id_keyring.current.key_id
    assert unseal(rotated.id_keyring, row.sealed, record_id) == PERMIT
    with pytest.raises(RegistryError, match="ID_KEY_UNKNOWN"):
        unseal(registry.id_keyring, row.sealed, record_id)


def test_issuance_without_the_id_key_is_refused_clearly(registry, demo):
    keyless = Registry(replace(registry.settings, id_key=None), registry.engine, registry.keystore)
    request = DEMO_RECORDS[0].issuance_request()
    with pytest.raises(RegistryError) as caught:
        issue_record(keyless, QINGPU, request, now=now())
    assert caught.value.code == "REGISTRY_NOT_INITIALISED"
    assert "REGISTRY_ID_KEY" in caught.value.message_en


@pytest.mark.parametrize(
    ("typed", "kind"),
    [(PERMIT.lower(), "id"), ("e12345678", "passport"), ("X99000017", "passport")],
)
def test_typed_numbers_are_digested_by_kind(registry, typed, kind):
    digest = typed_number_digest(registry, typed)
    assert digest == id_number_digest(registry.hash_key, typed.upper())


@pytest.mark.parametrize("typed", [PERMIT[:17], PERMIT[:-1] + "A", "E1", "中文号码"])
def test_typed_numbers_that_are_neither_are_refused(registry, typed):
    with pytest.raises(RegistryError, match="ID_NUMBER_INVALID"):
        typed_number_digest(registry, typed)

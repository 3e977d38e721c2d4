"""The database as a trust source: issuers, keys by kid and by method, live status."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from registry.core.formats import dataintegrity
from registry.core.records import qrclaims
from registry.core.trust.model import Presented, RecordStatus
from registry.demo.data import JOINT_MECHANICAL_COMMITTEE, WUJIANG_BUREAU
from registry.services.access.tokens import Principal
from registry.services.lifecycle.changes import change_status
from registry.services.trust.directory import Directory
from registry.storage.repositories import CredentialRepository


def test_lookups(registry, demo):
    directory = Directory(registry)
    committee = directory.issuer(JOINT_MECHANICAL_COMMITTEE.uscc)
    assert committee is not None and committee.kind == "joint_committee"
    assert directory.issuer("11000000MB0000000X") is None
    assert [b.uscc for b in directory.bureaus_of("320509")] == [WUJIANG_BUREAU.uscc]
    key = next(k for k in directory._keys.values() if k.issuer_uscc == committee.uscc)
    assert directory.key_by_kid(key.kid) == key
    assert directory.key_by_method(key.method_id) == key
    assert directory.key_by_method(key.method_id.replace("https://", "http://")) is None
    assert directory.key_by_method(key.method_id + "00") is None
    assert directory.key_by_method("did:example:123#zz") is None


def shown_qr(registry, record_id):
    """The stored record's QR facts and how its genuine QR presents it."""
    with registry.reading() as session:
        payload = CredentialRepository(session).get(record_id).qr_payload
    signed = qrclaims.decode_payload(payload)
    return signed.facts, Presented("qr", signed.message.signature)


def shown_credential(registry, record_id):
    """The stored credential's facts and how the genuine credential presents it."""
    with registry.reading() as session:
        document = CredentialRepository(session).get(record_id).document
    proof = dataintegrity.proofs_of(document)[0]
    signature = dataintegrity.proof_signature(proof)
    facts, _ = shown_qr(registry, record_id)
    return facts, Presented("credential", signature)


def test_status_is_live(registry, demo):
    directory = Directory(registry)
    record = demo.records[0]
    facts, shown = shown_qr(registry, record)
    assert directory.status_of(facts, shown) == RecordStatus("active")
    unknown = replace(facts, record_id="00000000-0000-4000-8000-000000000000")
    assert directory.status_of(unknown, shown) is None
    admin = Principal(0, "admin", None, None, "test")
    now = datetime.now(UTC)
    change_status(registry, admin, record, "suspend", reason="under_investigation", now=now)
    assert directory.status_of(facts, shown) == RecordStatus("suspended", "under_investigation")


def test_status_answers_only_for_the_record_as_issued(registry, demo):
    """Same id but another signature (a re-signed copy), or another issuer: not ours."""
    directory = Directory(registry)
    record = demo.records[0]
    facts, shown = shown_qr(registry, record)
    forged = Presented("qr", bytes(64))
    assert directory.status_of(facts, forged) is None
    other = replace(facts, issuer_uscc=JOINT_MECHANICAL_COMMITTEE.uscc)
    assert facts.issuer_uscc != other.issuer_uscc
    assert directory.status_of(other, shown) is None
    # A credential is matched against the proofs of the stored credential, not its QR.
    facts, shown_doc = shown_credential(registry, record)
    assert directory.status_of(facts, shown_doc) == RecordStatus("active")
    assert directory.status_of(facts, Presented("credential", shown.signature)) is None
    assert directory.status_of(facts, Presented("qr", shown_doc.signature)) is None
    # The batch snapshot applies the same rule.
    snapshot = directory.statuses_of([record])
    assert snapshot.status_of(facts, shown_doc) == RecordStatus("active")
    assert snapshot.status_of(facts, forged) is None
    assert snapshot.status_of(other, shown_doc) is None


def test_new_keys_are_seen_without_restart(registry, demo):
    from datetime import UTC, datetime

    from registry.storage.repositories import IssuerRepository, SigningKeyRepository

    directory = Directory(registry)
    assert directory.key_by_kid(bytes(8)) is None  # loads the cache
    with registry.transaction() as session:
        issuer = IssuerRepository(session).by_uscc(WUJIANG_BUREAU.uscc)
        row = SigningKeyRepository(session).add(
            registry.keystore.new_key_row(issuer.id, datetime.now(UTC))
        )
    found = directory.key_by_kid(bytes.fromhex(row.kid))
    assert found is not None and found.issuer_uscc == WUJIANG_BUREAU.uscc


def test_changes_by_other_workers_are_seen_once_the_cache_is_old(registry, demo, monkeypatch):
    from sqlmodel import select

    from registry.services.trust import directory as module
    from registry.storage.tables import SigningKeyRow

    directory = Directory(registry)
    directory.refresh()
    key = next(k for k in directory._keys.values() if k.issuer_uscc == WUJIANG_BUREAU.uscc)
    with registry.transaction() as session:
        row = session.exec(select(SigningKeyRow).where(SigningKeyRow.kid == key.kid.hex())).one()
        row.state = "retired"
        session.add(row)
    assert directory.key_by_kid(key.kid).state == "active"  # fresh cache: not re-read
    monkeypatch.setattr(module, "MAX_AGE", 0.0)
    assert directory.key_by_kid(key.kid).state == "retired"

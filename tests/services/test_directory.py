"""The database as a trust source: issuers, keys by kid and by method, live status."""

from __future__ import annotations

from datetime import UTC, datetime

from registry.core.trust import RecordStatus
from registry.services.demo_data import JOINT_MECHANICAL_COMMITTEE, WUJIANG_BUREAU
from registry.services.directory import Directory
from registry.services.lifecycle import change_status
from registry.services.tokens import Principal
from tests.support.memory_trust import title_facts


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


def test_status_is_live(registry, demo):
    directory = Directory(registry)
    record = demo.records[0]
    assert directory.status_of(title_facts(record)) == RecordStatus("active")
    assert directory.status_of(title_facts("00000000-0000-4000-8000-000000000000")) is None
    admin = Principal(0, "admin", None, None, "test")
    now = datetime.now(UTC)
    change_status(registry, admin, record, "suspend", reason="under_investigation", now=now)
    assert directory.status_of(title_facts(record)) == RecordStatus(
        "suspended", "under_investigation"
    )


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

    from registry.services import directory as module
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

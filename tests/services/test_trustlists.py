"""Publishing this registry's trust list, importing another's, and verifying with it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from registry.core.checks import Outcome
from registry.core.errors import RegistryError
from registry.core.records import qrclaims
from registry.core.trustlists.trustlist import verify_trust_list
from registry.demo.data import WUJIANG_BUREAU
from registry.services.transparency.history import history
from registry.services.trust.trustlist_imports import (
    ImportedTrustLists,
    import_trust_list,
    imported_lists,
)
from registry.services.trust.trustlist_publication import (
    REISSUE_AFTER,
    TrustListPublisher,
    root_key_fingerprint,
)
from registry.services.verification.verifier import Verifier
from registry.storage.repositories import IssuerRepository, SigningKeyRepository
from registry.storage.trust_lists import ImportedTrustListRepository
from tests.support.clock import now
from tests.support.memory_trust import kid_for, title_facts
from tests.support.trust_lists import FOREIGN_BASE, FOREIGN_BUREAU, ForeignRegistry


def outcomes(verification):
    return {c.name: (c.outcome, c.code) for c in verification.checks}


def add_key(registry, uscc: str) -> str:
    with registry.transaction() as session:
        issuer = IssuerRepository(session).by_uscc(uscc)
        row = SigningKeyRepository(session).add(registry.keystore.new_key_row(issuer.id, now()))
    return row.kid


def test_the_published_list_holds_the_zone_and_verifies_under_the_root_fingerprint(registry, demo):
    at = now()
    published = TrustListPublisher(registry).publish(at)
    _, fingerprint = root_key_fingerprint(registry, at)
    listed = verify_trust_list(published.document, pin=fingerprint)
    assert listed.sequence == published.sequence == 1
    assert listed.base_url == registry.urls.base
    assert {i.uscc for i in listed.content.issuers} == set(demo.issuers)
    with registry.reading() as session:
        kids = {row.kid for row in SigningKeyRepository(session).all()}
    assert {k.kid.hex() for k in listed.content.keys} == kids
    assert {r.code for r in listed.content.regions} >= {"310118", "320509", "330421"}
    wujiang = next(i for i in listed.content.issuers if i.uscc == WUJIANG_BUREAU.uscc)
    assert wujiang.name_zh == WUJIANG_BUREAU.name_zh
    assert wujiang.name_en == WUJIANG_BUREAU.name_en
    assert listed.expires - listed.issued == timedelta(days=7)


def test_the_sequence_grows_only_when_the_content_changes(registry, demo):
    at = now()
    publisher = TrustListPublisher(registry)
    first = publisher.publish(at)
    again = publisher.publish(at + timedelta(minutes=10))
    assert again == first  # same document, same ETag: cacheable
    add_key(registry, WUJIANG_BUREAU.uscc)
    changed = publisher.publish(at + timedelta(minutes=20))
    assert changed.sequence == 2
    assert changed.etag != first.etag
    later = at + timedelta(minutes=20) + REISSUE_AFTER
    refreshed = publisher.publish(later)
    assert refreshed.sequence == 2  # same content signed again with a fresher issue time
    assert refreshed.document["issued"] != changed.document["issued"]
    assert (
        verify_trust_list(refreshed.document).content.digest
        == verify_trust_list(changed.document).content.digest
    )


def test_workers_serve_the_stored_document(registry, demo):
    at = now()
    one = TrustListPublisher(registry).current(at)
    other = TrustListPublisher(registry).current(at + timedelta(seconds=5))
    assert one == other


def test_import_stores_a_pinned_list_and_refuses_rollbacks(registry, demo):
    at = now()
    foreign = ForeignRegistry(at - timedelta(hours=1))
    pin = foreign.content().root.fingerprint
    first = import_trust_list(registry, foreign.signed(sequence=3), actor="test", pin=pin, now=at)
    assert first.action == "imported"
    assert import_trust_list(
        registry, foreign.signed(sequence=3), actor="test", pin=pin, now=at
    ).action == ("unchanged")
    fresher = foreign.signed(sequence=3, issued=at)
    assert import_trust_list(registry, fresher, actor="test", pin=pin, now=at).action == "updated"

    def refusal(document, *, pin=pin) -> str:
        with pytest.raises(RegistryError) as caught:
            import_trust_list(registry, document, actor="test", pin=pin, now=at)
        return caught.value.code

    assert refusal(foreign.signed(sequence=2)) == "TRUST_LIST_ROLLBACK"
    assert refusal(foreign.signed(sequence=3, regions=())) == "TRUST_LIST_SEQUENCE_REUSED"
    assert refusal(foreign.signed(sequence=4), pin="0" * 64) == "TRUST_LIST_PIN_MISMATCH"
    old = foreign.signed(sequence=4, issued=at - timedelta(days=8))
    assert refusal(old) == "TRUST_LIST_EXPIRED"
    (stored,) = imported_lists(registry)
    assert (stored.base_url, stored.sequence, stored.issued) == (FOREIGN_BASE, 3, at)
    assert stored.fingerprint == pin
    newer = import_trust_list(
        registry, foreign.signed(sequence=4, regions=()), actor="test", pin=pin, now=at
    )
    assert newer.action == "updated"
    assert imported_lists(registry)[0].sequence == 4
    # every import that stored something is in the history; unchanged ones and refusals not
    recorded = history(registry, "trust_list", FOREIGN_BASE)
    assert [(c.action, c.actor, c.detail["sequence"]) for c in recorded] == [
        ("imported", "test", 3),
        ("updated", "test", 3),
        ("updated", "test", 4),
    ]
    assert recorded[0].detail["fingerprint"] == pin


def test_the_registry_s_own_list_is_not_imported(registry, demo):
    at = now()
    published = TrustListPublisher(registry).publish(at)
    _, fingerprint = root_key_fingerprint(registry, at)
    with pytest.raises(RegistryError) as caught:
        import_trust_list(registry, published.document, actor="test", pin=fingerprint, now=at)
    assert caught.value.code == "TRUST_LIST_IS_OWN"
    assert imported_lists(registry) == []


@pytest.mark.parametrize(
    "base",
    [
        "https://talent.yrd-demo.example.cn/issuers",  # inside this registry's namespace
        "https://talent.gz-demo.example.cn/sub",  # inside an imported registry's
    ],
)
def test_a_list_whose_namespace_nests_in_a_known_one_is_refused(registry, demo, base):
    at = now()
    guangzhou = ForeignRegistry(at)
    pin = guangzhou.content().root.fingerprint
    import_trust_list(registry, guangzhou.signed(), actor="test", pin=pin, now=at)
    nested = ForeignRegistry(at, base=base)
    with pytest.raises(RegistryError) as caught:
        import_trust_list(
            registry,
            nested.signed(),
            actor="test",
            pin=nested.content().root.fingerprint,
            now=at,
        )
    assert caught.value.code == "TRUST_LIST_NAMESPACE_CLASH"
    assert [item.base_url for item in imported_lists(registry)] == [FOREIGN_BASE]


def _foreign_qr(foreign: ForeignRegistry) -> str:
    facts = title_facts(str(uuid.uuid4()), issuer_uscc=FOREIGN_BUREAU)
    return qrclaims.sign_payload(facts, foreign.bureau_key, kid_for(foreign.bureau_key))


def test_after_import_the_verifier_checks_the_other_registry_s_records(registry, demo):
    at = now()
    foreign = ForeignRegistry(at)
    import_trust_list(
        registry, foreign.signed(), actor="test", pin=foreign.content().root.fingerprint, now=at
    )
    verifier = Verifier(registry)
    text = _foreign_qr(foreign)
    result = verifier.qr(text, now=at)
    checks = outcomes(result)
    assert checks["trust_list"] == (Outcome.PASSED, "TRUST_LIST_CURRENT")
    assert checks["signature"] == (Outcome.PASSED, "SIGNATURE_VALID")
    assert checks["issuer_known"] == (Outcome.PASSED, "ISSUER_KNOWN")
    assert checks["status"] == (Outcome.UNKNOWN, "STATUS_UNKNOWN")
    stale = outcomes(verifier.qr(text, now=at + timedelta(hours=30)))
    assert stale["trust_list"] == (Outcome.WARNING, "TRUST_LIST_STALE")
    expired = verifier.qr(text, now=at + timedelta(days=8))
    assert outcomes(expired)["trust_list"] == (Outcome.FAILED, "TRUST_LIST_EXPIRED")
    assert not expired.verified
    # the registry's own records carry no trust_list check
    # (at is fixed when the module is collected, which may be before the demo was issued)
    own = verifier.qr(_own_qr(registry, demo), now=datetime.now(UTC))
    assert "trust_list" not in outcomes(own)
    assert own.verified


def _own_qr(registry, demo) -> str:
    from registry.storage.repositories import CredentialRepository

    with registry.reading() as session:
        return CredentialRepository(session).get(demo.records[0]).qr_payload


def test_a_stored_list_that_no_longer_verifies_is_left_out(registry, demo, caplog):
    at = now()
    foreign = ForeignRegistry(at)
    pin = foreign.content().root.fingerprint
    import_trust_list(registry, foreign.signed(), actor="test", pin=pin, now=at)
    with registry.transaction() as session:
        row = ImportedTrustListRepository(session).by_base_url(FOREIGN_BASE)
        document = dict(row.document)
        document["sequence"] = 99
        row.document = document
        session.add(row)
    lists = ImportedTrustLists(registry)
    assert lists.sources() == ()
    assert "TRUST_LIST_SIGNATURE_INVALID" in caplog.text
    result = Verifier(registry).qr(_foreign_qr(foreign), now=at)
    assert outcomes(result)["signature"] == (Outcome.FAILED, "KEY_UNKNOWN")

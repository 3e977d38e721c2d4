"""Trust sources from trust lists, and the registry's own source composed with them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.checks import Outcome
from registry.core.records import qrclaims
from registry.core.trust.model import IssuerInfo, KeyInfo, RecordStatus
from registry.core.trustlists.trustlist import verify_trust_list
from registry.core.trustlists.trustsources import (
    CompositeTrustSource,
    NoStatusSource,
    TrustListSource,
    with_trust_list_check,
)
from registry.core.verification.record import CHECK_ORDER, VerifyRequest, verify_qr
from tests.support.memory_trust import BUREAUS, kid_for, title_facts, zone_trust
from tests.support.trust_lists import (
    FOREIGN_BASE,
    FOREIGN_BUREAU,
    GUANGZHOU,
    ForeignRegistry,
)

NOW = datetime(2026, 11, 22, 9, 30, 15, tzinfo=UTC)  # fixed, as is all built from it
ISSUED = NOW - timedelta(days=1)


@pytest.fixture
def foreign() -> ForeignRegistry:
    return ForeignRegistry(NOW)


def outcomes(verification):
    return {c.name: (c.outcome, c.code) for c in verification.checks}


def source_of(foreign: ForeignRegistry, **changes) -> TrustListSource:
    return TrustListSource(verify_trust_list(foreign.signed(**changes)))


def foreign_qr(foreign: ForeignRegistry, key: Ed25519PrivateKey | None = None, **changes) -> str:
    facts = title_facts(str(uuid.uuid4()), issued=ISSUED, issuer_uscc=FOREIGN_BUREAU, **changes)
    key = key or foreign.bureau_key
    return qrclaims.sign_payload(facts, key, kid_for(key))


def test_a_trust_list_source_answers_every_lookup(foreign):
    source = source_of(foreign)
    issuer = source.issuer(FOREIGN_BUREAU)
    assert issuer is not None and issuer.region == GUANGZHOU
    assert issuer.scopes[0].highest_level == "正高级"
    key = source.key_by_kid(foreign.bureau_kid)
    assert key is not None and key.issuer_uscc == FOREIGN_BUREAU
    assert source.key_by_method(key.method_id) == key
    assert source.key_by_method(key.method_id + "x") is None
    assert source.bureaus_of(GUANGZHOU) == (issuer,)
    assert source.bureaus_of("310118") == ()
    assert source.in_namespace(f"{FOREIGN_BASE}/issuers/X")
    assert not source.in_namespace("https://talent.gz-demo.example.cn.evil/issuers/X")
    assert [r.code for r in source.regions()] == [GUANGZHOU]
    assert [a.agreement_id for a in source.agreements()] == ["GZ-DEMO-1"]
    assert len(source.equivalences(GUANGZHOU, "320509")) == 1
    assert source.equivalences("320509", GUANGZHOU) == ()


def test_a_record_verifies_offline_with_the_list_alone_but_status_is_unknown(foreign):
    source = source_of(foreign)
    result = verify_qr(foreign_qr(foreign), source, NoStatusSource(), VerifyRequest(NOW))
    result = with_trust_list_check(result, source.trust_list, NOW)
    checks = outcomes(result)
    assert checks["trust_list"] == (Outcome.PASSED, "TRUST_LIST_CURRENT")
    assert checks["signature"] == (Outcome.PASSED, "SIGNATURE_VALID")
    assert checks["issuer_known"] == (Outcome.PASSED, "ISSUER_KNOWN")
    assert checks["key_valid"] == (Outcome.PASSED, "KEY_VALID")
    assert checks["status"] == (Outcome.UNKNOWN, "STATUS_UNKNOWN")
    assert not result.verified
    names = [c.name for c in result.checks]
    assert names == sorted(names, key=CHECK_ORDER.index)
    assert names[:3] == ["format", "trust_list", "signature"]


def test_a_compromised_key_in_the_list_fails_records_signed_after_compromise(foreign):
    compromised = foreign.key_info(state="compromised", compromised_at=NOW - timedelta(days=2))
    source = source_of(foreign, keys=(compromised,))
    result = verify_qr(foreign_qr(foreign), source, NoStatusSource(), VerifyRequest(NOW))
    assert outcomes(result)["key_valid"] == (Outcome.FAILED, "KEY_COMPROMISED")


class Statuses:
    """Every record active, as a status list fetched alongside would say."""

    def status_of(self, facts, presented) -> RecordStatus | None:
        return RecordStatus("active")


@pytest.mark.parametrize(
    ("age", "verified", "code"),
    [
        (timedelta(hours=1), True, "TRUST_LIST_CURRENT"),
        (timedelta(hours=30), True, "TRUST_LIST_STALE"),
        (timedelta(days=8), False, "TRUST_LIST_EXPIRED"),
    ],
)
def test_the_answer_warns_on_a_stale_list_and_fails_on_an_expired_one(foreign, age, verified, code):
    source = source_of(foreign)
    now = NOW + age
    result = verify_qr(foreign_qr(foreign), source, Statuses(), VerifyRequest(now))
    result = with_trust_list_check(result, source.trust_list, now)
    assert result.verified is verified
    assert outcomes(result)["trust_list"][1] == code
    if not verified:
        assert [c.code for c in result.problems] == ["TRUST_LIST_EXPIRED"]


def test_composite_finds_local_and_imported_issuers(foreign):
    local = zone_trust(NOW)
    composite = CompositeTrustSource(local, [source_of(foreign)])
    assert composite.issuer(BUREAUS["310118"]) == local.issuer(BUREAUS["310118"])
    assert composite.issuer(FOREIGN_BUREAU) is not None
    assert composite.trust_list_of(BUREAUS["310118"]) is None
    trust_list = composite.trust_list_of(FOREIGN_BUREAU)
    assert trust_list is not None and trust_list.base_url == FOREIGN_BASE
    assert composite.issuer("91000000MA00000000") is None
    assert composite.trust_list_of("91000000MA00000000") is None
    result = verify_qr(foreign_qr(foreign), composite, local, VerifyRequest(NOW))
    assert outcomes(result)["signature"] == (Outcome.PASSED, "SIGNATURE_VALID")
    local_facts = title_facts(str(uuid.uuid4()), issued=ISSUED)
    local.statuses[local_facts.record_id] = "active"
    key = local.private[local_facts.issuer_uscc]
    local_qr = qrclaims.sign_payload(local_facts, key, kid_for(key))
    assert verify_qr(local_qr, composite, local, VerifyRequest(NOW)).verified


def test_a_list_cannot_lend_its_keys_to_an_issuer_the_registry_already_has(foreign):
    """An imported list that names one of our USCCs with its own key: the key is ignored."""
    local = zone_trust(NOW)
    ours = local.issuer(BUREAUS["310118"])
    assert ours is not None
    squatter = IssuerInfo(
        ours.uscc,
        f"{FOREIGN_BASE}/issuers/{ours.uscc}",
        ours.name_zh,
        ours.name_en,
        ours.region,
        ours.kind,
        ours.record_types,
    )
    rogue = Ed25519PrivateKey.generate()
    rogue_key = KeyInfo(
        kid_for(rogue),
        f"{squatter.issuer_id}#{kid_for(rogue).hex()}",
        ours.uscc,
        rogue.public_key(),
        NOW - timedelta(days=1),
        None,
        "active",
    )
    foreign.extra_issuers.append(squatter)
    foreign.extra_keys.append(rogue_key)
    composite = CompositeTrustSource(local, [source_of(foreign)])
    assert composite.key_by_kid(rogue_key.kid) is None
    assert composite.key_by_method(rogue_key.method_id) is None
    forged = qrclaims.sign_payload(
        title_facts(str(uuid.uuid4()), issued=ISSUED, issuer_uscc=ours.uscc), rogue, rogue_key.kid
    )
    result = verify_qr(forged, composite, local, VerifyRequest(NOW))
    assert outcomes(result)["signature"] == (Outcome.FAILED, "KEY_UNKNOWN")
    assert composite.bureaus_of(ours.region) == local.bureaus_of(ours.region)


def test_recognition_rules_are_the_registry_s_own(foreign):
    local = zone_trust(NOW)
    composite = CompositeTrustSource(local, [source_of(foreign)])
    assert composite.agreements() == local.agreements()
    assert composite.equivalences(GUANGZHOU, "320509") == ()
    codes = [r.code for r in composite.regions()]
    assert GUANGZHOU in codes
    assert composite.in_namespace(f"{FOREIGN_BASE}/issuers/{FOREIGN_BUREAU}")
    assert composite.bureaus_of(GUANGZHOU)[0].uscc == FOREIGN_BUREAU

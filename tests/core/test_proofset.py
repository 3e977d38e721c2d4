"""A joint title's proof set, checked proof by proof against the trust source."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from registry.core.checks import Outcome
from registry.core.verification.proofset import SignedProof, proof_set_check
from tests.support.memory_trust import BUREAUS, COMMITTEE, title_facts, zone_trust

NOW = datetime(2026, 11, 22, 9, 30, 15, tzinfo=UTC)  # fixed, as is all built from it
ISSUED = NOW - timedelta(days=1)
SIGNED = NOW - timedelta(hours=1)


def proofs(trust, *, ok=True, created=SIGNED, skip=()):
    found = [SignedProof("m#c", True, trust.key_of(COMMITTEE), created)]
    for region, uscc in BUREAUS.items():
        if region not in skip:
            found.append(SignedProof(f"m#{region}", ok, trust.key_of(uscc), created))
    return found


def test_each_region_is_listed_with_signer_kid_and_outcome():
    trust = zone_trust(NOW)
    check = proof_set_check(
        title_facts(str(uuid.uuid4()), issued=ISSUED, joint=True), proofs(trust), trust
    )
    assert (check.outcome, check.code) == (Outcome.PASSED, "PROOF_SET_COMPLETE")
    assert check.detail["regions"] == [
        {
            "region": region,
            "signer": uscc,
            "kid": trust.key_of(uscc).kid.hex(),
            "outcome": "passed",
            "code": "KEY_VALID",
        }
        for region, uscc in BUREAUS.items()
    ]


def test_a_missing_region_and_a_bad_proof_have_their_own_codes():
    trust = zone_trust(NOW)
    facts = title_facts(str(uuid.uuid4()), issued=ISSUED, joint=True)
    missing = proof_set_check(facts, proofs(trust, skip=("330421",)), trust)
    assert missing.code == "PROOF_SET_INCOMPLETE"
    assert missing.detail["regions"][2] == {
        "region": "330421",
        "signer": None,
        "kid": None,
        "outcome": "failed",
        "code": "PROOF_SET_REGION_MISSING",
    }
    bad = proof_set_check(facts, proofs(trust, ok=False), trust)
    assert (bad.outcome, bad.code) == (Outcome.FAILED, "PROOF_SET_INVALID")


def test_a_proof_by_a_key_outside_the_region_s_bureaus_does_not_count():
    trust = zone_trust(NOW)
    facts = title_facts(str(uuid.uuid4()), issued=ISSUED, joint=True)
    found = proofs(trust, skip=("330421",))
    found.append(SignedProof("m#x", True, trust.key_of(BUREAUS["320509"]), SIGNED))
    assert proof_set_check(facts, found, trust).code == "PROOF_SET_INCOMPLETE"


def test_a_co_signer_key_compromised_later_warns_and_earlier_fails():
    trust = zone_trust(NOW)
    facts = title_facts(str(uuid.uuid4()), issued=ISSUED, joint=True)
    trust.set_key(BUREAUS["330421"], state="compromised", compromised_at=NOW)
    later = proof_set_check(facts, proofs(trust), trust)
    assert (later.outcome, later.code) == (Outcome.WARNING, "PROOF_SET_COMPLETE_WITH_WARNING")
    assert later.detail["regions"][2]["code"] == "KEY_COMPROMISED_LATER"
    trust.set_key(BUREAUS["330421"], compromised_at=SIGNED - timedelta(minutes=1))
    earlier = proof_set_check(facts, proofs(trust), trust)
    assert (earlier.outcome, earlier.code) == (Outcome.FAILED, "PROOF_SET_INVALID")
    assert earlier.detail["regions"][2]["code"] == "KEY_COMPROMISED"


def test_plain_titles_need_no_proof_set():
    trust = zone_trust(NOW)
    facts = title_facts(str(uuid.uuid4()), issued=ISSUED)
    assert proof_set_check(facts, [], trust).code == "PROOF_SET_NOT_REQUIRED"
    no_regions = replace(facts, record_type="JointTitleCredential")
    assert proof_set_check(no_regions, [], trust).code == "PROOF_SET_INCOMPLETE"

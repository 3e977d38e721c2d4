"""QR verification: every check, each failure with its own code."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.checks import Outcome
from registry.core.formats import qrcontainer
from registry.core.records import qrclaims
from registry.core.trust.model import Presented
from registry.core.verification.issued import is_issued, qr_signature
from registry.core.verification.record import (
    CLOCK_SKEW,
    VerifyRequest,
    current_state,
    key_window_check,
    verify_qr,
)
from tests.support.memory_trust import BUREAUS, kid_for, title_facts, zone_trust

NOW = datetime(2026, 11, 22, 9, 30, 15, tzinfo=UTC)  # fixed, as is all built from it
ISSUED = NOW - timedelta(days=1)


def outcomes(verification):
    return {c.name: (c.outcome, c.code) for c in verification.checks}


@pytest.fixture
def trust():
    return zone_trust(NOW)


def issue(trust, *, joint=False, signer=None, **changes):
    facts = title_facts(str(uuid.uuid4()), issued=ISSUED, joint=joint, **changes)
    trust.statuses[facts.record_id] = "active"
    key = trust.private[signer or facts.issuer_uscc]
    return facts, qrclaims.sign_payload(facts, key, kid_for(key))


def test_valid_joint_title(trust):
    facts, text = issue(trust, joint=True)
    result = verify_qr(text, trust, trust, VerifyRequest(NOW, region="330421"))
    assert result.verified
    assert result.facts == facts
    assert outcomes(result) == {
        "format": (Outcome.PASSED, "FORMAT_VALID"),
        "signature": (Outcome.PASSED, "SIGNATURE_VALID"),
        "issuer_known": (Outcome.PASSED, "ISSUER_KNOWN"),
        "key_valid": (Outcome.PASSED, "KEY_VALID"),
        "issuer_authorised": (Outcome.PASSED, "ISSUER_AUTHORISED"),
        "schema": (Outcome.PASSED, "QR_LAYOUT_VALID"),
        "validity": (Outcome.PASSED, "VALIDITY_OK"),
        "status": (Outcome.PASSED, "STATUS_ACTIVE"),
        "recognition": (Outcome.PASSED, "RECOGNITION_NATIVE"),
    }


def test_every_check_has_bilingual_message(trust):
    _, text = issue(trust)
    for item in verify_qr(text, trust, trust, VerifyRequest(NOW)).checks:
        assert item.message_zh and item.message_en and item.message_zh != item.message_en


def test_garbage_fails_format_only(trust):
    result = verify_qr("RC1:NOTBASE32!!", trust, trust, VerifyRequest(NOW))
    assert not result.verified
    assert result.checks[0].outcome == Outcome.FAILED
    assert result.checks[0].code.startswith("QR_")
    assert all(c.outcome == Outcome.SKIPPED for c in result.checks[1:])


def test_signed_by_a_stranger_fails_signature(trust):
    facts = title_facts(str(uuid.uuid4()), issued=ISSUED)
    stranger = Ed25519PrivateKey.generate()
    text = qrclaims.sign_payload(facts, stranger, kid_for(stranger))
    assert outcomes(verify_qr(text, trust, trust, VerifyRequest(NOW)))["signature"] == (
        Outcome.FAILED,
        "KEY_UNKNOWN",
    )


def test_key_of_another_issuer_fails(trust):
    _, text = issue(trust, signer=BUREAUS["310118"])
    assert outcomes(verify_qr(text, trust, trust, VerifyRequest(NOW)))["signature"] == (
        Outcome.FAILED,
        "KEY_ISSUER_MISMATCH",
    )


def test_forged_signature_fails(trust):
    facts, _ = issue(trust)
    other = Ed25519PrivateKey.generate()
    owner_kid = trust.key_of(facts.issuer_uscc).kid
    text = qrclaims.sign_payload(facts, other, owner_kid)  # right kid, wrong key
    assert outcomes(verify_qr(text, trust, trust, VerifyRequest(NOW)))["signature"] == (
        Outcome.FAILED,
        "SIGNATURE_INVALID",
    )


def test_unknown_issuer(trust):
    _, text = issue(trust)
    trust.issuers.pop(BUREAUS["320509"])
    result = outcomes(verify_qr(text, trust, trust, VerifyRequest(NOW)))
    assert result["issuer_known"] == (Outcome.FAILED, "ISSUER_UNKNOWN")
    assert result["issuer_authorised"][1] == "NOT_CHECKED"


def test_bureau_may_not_issue_joint_titles(trust):
    facts = title_facts(str(uuid.uuid4()), issued=ISSUED, joint=True, issuer_uscc=BUREAUS["320509"])
    key = trust.private[BUREAUS["320509"]]
    text = qrclaims.sign_payload(facts, key, kid_for(key))
    checks = verify_qr(text, trust, trust, VerifyRequest(NOW)).checks
    authorised = next(c for c in checks if c.name == "issuer_authorised")
    assert authorised.outcome == Outcome.FAILED
    assert authorised.code == "ISSUER_OUT_OF_SCOPE"
    assert authorised.detail["dimension"] == "type"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"valid_from": timedelta(days=400)}, "KEY_NOT_YET_VALID"),
        ({"valid_until": -timedelta(days=2)}, "KEY_EXPIRED"),
        ({"compromised_at": -timedelta(days=2)}, "KEY_COMPROMISED"),
    ],
)
def test_key_window(trust, changes, code):
    _, text = issue(trust)
    key = trust.key_of(BUREAUS["320509"])
    trust.set_key(BUREAUS["320509"], **{name: NOW + delta for name, delta in changes.items()})
    assert key.kid in trust.keys
    assert outcomes(verify_qr(text, trust, trust, VerifyRequest(NOW)))["key_valid"] == (
        Outcome.FAILED,
        code,
    )


def test_compromise_after_signing_keeps_the_record_with_a_warning(trust):
    _, text = issue(trust)
    trust.set_key(BUREAUS["320509"], compromised_at=NOW, state="compromised")
    result = verify_qr(text, trust, trust, VerifyRequest(NOW))
    assert outcomes(result)["key_valid"] == (Outcome.WARNING, "KEY_COMPROMISED_LATER")
    assert result.verified


@pytest.mark.parametrize(
    ("changes", "code", "ok"),
    [
        ({"valid_from": NOW + timedelta(hours=1)}, "NOT_YET_VALID", False),
        ({"valid_from": NOW + CLOCK_SKEW - timedelta(seconds=1)}, "VALIDITY_OK", True),
        ({"valid_until": NOW - timedelta(hours=1)}, "EXPIRED", False),
        ({"valid_until": NOW - CLOCK_SKEW + timedelta(seconds=1)}, "VALIDITY_OK", True),
    ],
)
def test_validity_period_with_skew(trust, changes, code, ok):
    _, text = issue(trust, **changes)
    result = verify_qr(text, trust, trust, VerifyRequest(NOW))
    assert outcomes(result)["validity"][1] == code
    assert result.verified is ok


@pytest.mark.parametrize(
    ("status", "outcome", "code"),
    [
        ("suspended", Outcome.FAILED, "STATUS_SUSPENDED"),
        ("revoked", Outcome.FAILED, "STATUS_REVOKED"),
        (None, Outcome.UNKNOWN, "STATUS_UNKNOWN"),
    ],
)
def test_status_is_never_assumed(trust, status, outcome, code):
    facts, text = issue(trust)
    if status is None:
        trust.statuses.pop(facts.record_id)
    else:
        trust.statuses[facts.record_id] = status
    result = verify_qr(text, trust, trust, VerifyRequest(NOW))
    assert outcomes(result)["status"] == (outcome, code)
    assert not result.verified


def test_recognition_outside_native_regions_needs_an_agreement(trust):
    _, text = issue(trust)
    result = verify_qr(text, trust, trust, VerifyRequest(NOW, region="440100"))
    assert outcomes(result)["recognition"] == (Outcome.FAILED, "RECOGNITION_NO_AGREEMENT")
    assert outcomes(result)["signature"] == (Outcome.PASSED, "SIGNATURE_VALID")
    assert not result.verified


def test_native_region_of_issuer(trust):
    _, text = issue(trust)
    assert (
        outcomes(verify_qr(text, trust, trust, VerifyRequest(NOW, region="320509")))["recognition"][
            1
        ]
        == "RECOGNITION_NATIVE"
    )
    assert (
        outcomes(verify_qr(text, trust, trust, VerifyRequest(NOW, region="310118")))["recognition"][
            1
        ]
        == "RECOGNITION_NO_AGREEMENT"
    )


def test_nothing_is_checked_after_a_failed_signature(trust):
    facts, _ = issue(trust)
    forger = Ed25519PrivateKey.generate()
    text = qrclaims.sign_payload(facts, forger, trust.key_of(facts.issuer_uscc).kid)
    result = verify_qr(text, trust, trust, VerifyRequest(NOW))
    assert [c.code for c in result.checks[2:]] == ["NOT_CHECKED"] * 7
    assert result.issuer is None and result.status is None


def test_current_state_reads_an_ended_active_record_as_lapsed():
    start = datetime(2021, 3, 1, tzinfo=UTC)
    end = datetime(2026, 2, 28, tzinfo=UTC)
    assert current_state("active", start, end, end - timedelta(days=1)) == "active"
    assert current_state("active", start, end, end + timedelta(days=1)) == "lapsed"
    assert current_state("active", start, None, end + timedelta(days=1)) == "active"
    assert current_state("revoked", start, end, end + timedelta(days=1)) == "revoked"


def _hand_signed(trust, facts, protected: bytes, unprotected: dict, signed_protected: bytes):
    """A QR by the issuer's own key, in a COSE shape ``sign_payload`` never makes."""
    key = trust.private[facts.issuer_uscc]
    payload = cbor2.dumps(qrclaims.claims_of(facts))
    signature = key.sign(cbor2.dumps(["Signature1", signed_protected, b"", payload]))
    body = [protected, unprotected, payload, signature]
    return qrcontainer.encode_payload(cbor2.dumps(cbor2.CBORTag(18, body)))


def _strict_cose_cases(trust):
    facts, _ = issue(trust)
    kid = kid_for(trust.private[facts.issuer_uscc])
    alg_kid = cbor2.dumps({1: -8, 4: kid}, canonical=True)
    return {
        "COSE_KID_UNPROTECTED": _hand_signed(
            trust, facts, cbor2.dumps({1: -8}), {4: kid}, cbor2.dumps({1: -8})
        ),
        "COSE_ALG_UNPROTECTED": _hand_signed(
            trust, facts, cbor2.dumps({4: kid}), {1: -8}, cbor2.dumps({4: kid})
        ),
        # An empty protected map sent as h'A0' but signed as h'' (RFC 9052's two spellings).
        "COSE_ALG_UNPROTECTED a0": _hand_signed(trust, facts, b"\xa0", {1: -8, 4: kid}, b""),
        "control": _hand_signed(trust, facts, alg_kid, {}, alg_kid),
    }


@pytest.mark.parametrize(
    "case", ["COSE_KID_UNPROTECTED", "COSE_ALG_UNPROTECTED", "COSE_ALG_UNPROTECTED a0"]
)
def test_qr_with_alg_or_kid_outside_the_protected_header_fails_format(trust, case):
    text = _strict_cose_cases(trust)[case]
    result = verify_qr(text, trust, trust, VerifyRequest(NOW))
    assert not result.verified
    assert outcomes(result)["format"] == (Outcome.FAILED, case.split()[0])
    assert all(c.outcome == Outcome.SKIPPED for c in result.checks[1:])


def test_hand_signed_qr_with_both_protected_verifies(trust):
    # The control case: the same hand-built shape verifies when both headers are protected.
    text = _strict_cose_cases(trust)["control"]
    assert verify_qr(text, trust, trust, VerifyRequest(NOW)).verified


SECOND = timedelta(seconds=1)


def _window(trust, signed_at, **changes):
    key = replace(trust.key_of(BUREAUS["320509"]), **changes)
    result = key_window_check(key, signed_at)
    return result.outcome, result.code


def test_a_record_signed_at_the_very_instant_of_compromise_fails(trust):
    at = NOW - timedelta(days=2)
    assert _window(trust, at, compromised_at=at, state="compromised") == (
        Outcome.FAILED,
        "KEY_COMPROMISED",
    )
    assert _window(trust, at - SECOND, compromised_at=at, state="compromised") == (
        Outcome.WARNING,
        "KEY_COMPROMISED_LATER",
    )


def test_a_key_is_valid_from_clock_skew_before_its_start(trust):
    start = NOW - timedelta(days=2)
    assert _window(trust, start - CLOCK_SKEW, valid_from=start) == (Outcome.PASSED, "KEY_VALID")
    assert _window(trust, start - CLOCK_SKEW + SECOND, valid_from=start) == (
        Outcome.PASSED,
        "KEY_VALID",
    )
    assert _window(trust, start - CLOCK_SKEW - SECOND, valid_from=start) == (
        Outcome.FAILED,
        "KEY_NOT_YET_VALID",
    )


def test_a_key_is_valid_until_clock_skew_after_its_end(trust):
    end = NOW - timedelta(days=2)
    assert _window(trust, end + CLOCK_SKEW, valid_until=end) == (Outcome.PASSED, "KEY_VALID")
    assert _window(trust, end + CLOCK_SKEW - SECOND, valid_until=end) == (
        Outcome.PASSED,
        "KEY_VALID",
    )
    assert _window(trust, end + CLOCK_SKEW + SECOND, valid_until=end) == (
        Outcome.FAILED,
        "KEY_EXPIRED",
    )


def test_is_issued_for_a_qr_needs_the_stored_signature_and_issuer(trust):
    facts, stored = issue(trust)
    shown = Presented("qr", qr_signature(stored))
    issuer = facts.issuer_uscc
    args = {"stored_qr_payload": stored, "stored_document": None}
    assert is_issued(shown, stored_issuer=issuer, claimed_issuer=issuer, **args)
    stranger = Ed25519PrivateKey.generate()
    other = qrclaims.sign_payload(facts, stranger, kid_for(stranger))
    resigned = Presented("qr", qr_signature(other))
    assert resigned.signature != shown.signature
    assert not is_issued(resigned, stored_issuer=issuer, claimed_issuer=issuer, **args)
    assert not is_issued(shown, stored_issuer=issuer, claimed_issuer=BUREAUS["310118"], **args)


def test_is_issued_for_a_credential_needs_a_stored_document(trust):
    facts, stored = issue(trust)
    shown = Presented("credential", qr_signature(stored))
    issuer = facts.issuer_uscc
    assert not is_issued(
        shown,
        stored_issuer=issuer,
        claimed_issuer=issuer,
        stored_qr_payload=stored,
        stored_document=None,
    )

"""Credential verification: proofs, proof sets, issuers, schema and did:key."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.checks import Outcome
from registry.core.formats import dataintegrity, multikey
from registry.core.records.credential import JOINT_TITLE, TITLE, RegistryUrls, build_credential
from registry.core.verification.credential import verify_credential
from registry.core.verification.record import VerifyRequest
from tests.support.memory_trust import BASE, BUREAUS, COMMITTEE, zone_trust

NOW = datetime(2026, 11, 22, 9, 30, 15, tzinfo=UTC)  # fixed, as is all built from it
URLS = RegistryUrls(BASE)
VECTORS = (
    Path(__file__).resolve().parents[1]
    / "vectors"
    / "vc-di-eddsa"
    / "TestVectors"
    / "eddsa-jcs-2022"
)


def request(joint: bool) -> dict:
    title = {
        "series": "工程技术",
        "specialty": "机械工程",
        "level": "副高级",
        "titleName": "高级工程师",
        "obtainedBy": "评审",
        "obtainedOn": "2024-12-20",
    }
    if joint:
        title |= {"jointCommittee": COMMITTEE, "reviewRegions": list(BUREAUS)}
    return {
        "type": ["VerifiableCredential", JOINT_TITLE if joint else TITLE],
        "credentialSubject": {
            "name": "李思远",
            "idNumber": "3205**********9931",
            "professionalTitle": title,
        },
    }


def sign(trust, document, uscc, created=None):
    key = trust.key_of(uscc)
    options = dataintegrity.ProofOptions(key.method_id, created or NOW - timedelta(hours=1))
    return dataintegrity.add_proof(document, trust.private[uscc], options)


def credential(trust, *, joint=False, signers=None):
    record_id = str(uuid.uuid4())
    issuer = COMMITTEE if joint else BUREAUS["320509"]
    doc = build_credential(
        request(joint),
        record_id=record_id,
        record_type=JOINT_TITLE if joint else TITLE,
        issuer_uscc=issuer,
        issuer_name="测试机构",
        issued_at=NOW - timedelta(hours=1),
        masked_id_number="3205**********9931",
        status_index=7,
        urls=URLS,
    )
    for uscc in signers if signers is not None else [issuer, *(BUREAUS.values() if joint else [])]:
        doc = sign(trust, doc, uscc)
    trust.statuses[record_id] = "active"
    return doc


def outcomes(result):
    return {c.name: (c.outcome, c.code) for c in result.checks}


@pytest.fixture
def trust():
    return zone_trust(NOW)


def test_plain_title_verifies(trust):
    result = verify_credential(credential(trust), trust, trust, VerifyRequest(NOW, "320509"))
    assert result.verified, outcomes(result)
    assert outcomes(result)["proof_set"] == (Outcome.SKIPPED, "PROOF_SET_NOT_REQUIRED")
    assert result.facts is not None and result.facts.masked_name == "李*远"


def test_joint_title_checks_each_region_proof(trust):
    result = verify_credential(
        credential(trust, joint=True), trust, trust, VerifyRequest(NOW, "330421")
    )
    assert result.verified, outcomes(result)
    proof_set = next(c for c in result.checks if c.name == "proof_set")
    assert [(r["region"], r["signer"], r["outcome"]) for r in proof_set.detail["regions"]] == [
        (region, uscc, "passed") for region, uscc in BUREAUS.items()
    ]
    assert all(r["kid"] == trust.key_of(r["signer"]).kid.hex() for r in proof_set.detail["regions"])
    signature = next(c for c in result.checks if c.name == "signature")
    assert len(signature.detail["proofs"]) == 4


def test_joint_title_missing_a_region_fails(trust):
    doc = credential(trust, joint=True, signers=[COMMITTEE, BUREAUS["310118"], BUREAUS["320509"]])
    result = verify_credential(doc, trust, trust, VerifyRequest(NOW))
    assert outcomes(result)["proof_set"] == (Outcome.FAILED, "PROOF_SET_INCOMPLETE")
    assert not result.verified


@pytest.mark.parametrize(
    "path",
    [
        ("credentialSubject", "professionalTitle", "level"),
        ("credentialSubject", "name"),
        ("validFrom",),
        ("credentialStatus", 0, "statusListIndex"),
    ],
)
def test_any_change_breaks_the_signature(trust, path):
    doc = credential(trust)
    target = doc
    for name in path[:-1]:
        target = target[name]
    value = target[path[-1]]
    if path[-1] == "level":
        target[path[-1]] = "正高级"
    elif path[-1] == "validFrom":  # one digit of the year
        target[path[-1]] = value[:3] + str((int(value[3]) + 1) % 10) + value[4:]
    else:
        target[path[-1]] = value[:-1] + ("9" if value[-1] != "9" else "8")
    result = verify_credential(doc, trust, trust, VerifyRequest(NOW))
    assert outcomes(result)["signature"] == (Outcome.FAILED, "SIGNATURE_INVALID")
    assert not result.verified


def test_no_proof(trust):
    result = verify_credential(credential(trust, signers=[]), trust, trust, VerifyRequest(NOW))
    assert outcomes(result)["signature"] == (Outcome.FAILED, "PROOF_MISSING")


def test_signed_only_by_someone_else(trust):
    doc = credential(trust, signers=[BUREAUS["310118"]])
    assert outcomes(verify_credential(doc, trust, trust, VerifyRequest(NOW)))["signature"] == (
        Outcome.FAILED,
        "KEY_ISSUER_MISMATCH",
    )


def test_issuer_id_under_another_host_is_unknown(trust):
    doc = credential(trust, signers=[])
    doc["issuer"]["id"] = "https://evil.example/issuers/" + BUREAUS["320509"]
    doc = sign(trust, doc, BUREAUS["320509"])
    result = outcomes(verify_credential(doc, trust, trust, VerifyRequest(NOW)))
    assert result["issuer_known"] == (Outcome.FAILED, "ISSUER_UNKNOWN")


def test_schema_violation_is_reported_with_pointer(trust):
    doc = credential(trust, signers=[])
    doc["credentialSubject"]["professionalTitle"]["secret"] = "x"
    doc = sign(trust, doc, BUREAUS["320509"])
    result = verify_credential(doc, trust, trust, VerifyRequest(NOW))
    schema = next(c for c in result.checks if c.name == "schema")
    assert schema.outcome == Outcome.FAILED
    assert schema.detail["pointers"] == ["/credentialSubject/professionalTitle/secret"]
    assert result.facts is None


def test_status_unknown_when_registry_does_not_hold_it(trust):
    doc = credential(trust)
    trust.statuses.clear()
    result = verify_credential(doc, trust, trust, VerifyRequest(NOW))
    assert outcomes(result)["status"] == (Outcome.UNKNOWN, "STATUS_UNKNOWN")
    assert not result.verified


def test_proof_signed_before_key_window(trust):
    doc = sign(
        trust, credential(trust, signers=[]), BUREAUS["320509"], created=NOW - timedelta(days=800)
    )
    assert outcomes(verify_credential(doc, trust, trust, VerifyRequest(NOW)))["key_valid"] == (
        Outcome.FAILED,
        "KEY_NOT_YET_VALID",
    )


@pytest.mark.parametrize(
    "document",
    [
        None,
        [],
        "text",
        {"@context": ["https://example.org"]},
        {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["X"]},
    ],
)
def test_not_a_credential(trust, document):
    result = verify_credential(document, trust, trust, VerifyRequest(NOW))
    assert result.checks[0].outcome == Outcome.FAILED
    assert result.checks[0].code == "FORMAT_INVALID"


def test_w3c_vector_proof_holds_but_its_https_issuer_does_not_control_the_did_key(trust):
    """The vector's issuer is an https URL unknown here, its proof by a did:key: the proof
    is sound, but nothing shows that the issuer controls that key, so it is not verified."""
    signed = json.loads((VECTORS / "signedJCS.json").read_text())
    result = verify_credential(signed, trust, trust, VerifyRequest(NOW))
    signature = next(c for c in result.checks if c.name == "signature")
    assert signature.detail["proofs"][0]["valid"] is True
    assert outcomes(result)["signature"] == (Outcome.FAILED, "KEY_NOT_CONTROLLED_BY_ISSUER")
    assert outcomes(result)["issuer_known"] == (Outcome.FAILED, "ISSUER_UNKNOWN")
    assert not result.verified and result.facts is None and result.issuer is None
    assert trust.asked == []


def did_key_signed(key=None, **changes):
    """The W3C unsigned vector issued by a did:key and signed by that key (the vector's own
    key pair unless another is given)."""
    if key is None:
        pair = json.loads((VECTORS.parent / "keyPair.json").read_text())
        key = multikey.private_key_from_multikey(pair["privateKeyMultibase"])
    doc = json.loads((VECTORS.parent / "unsigned.json").read_text())
    doc["issuer"] = multikey.did_key(key.public_key())
    doc.update(changes)
    options = dataintegrity.ProofOptions(
        multikey.did_key_verification_method(key.public_key()), NOW - timedelta(hours=1)
    )
    return dataintegrity.add_proof(doc, key, options)


def test_a_did_key_issuer_signing_with_its_own_key_verifies_with_a_warning(trust):
    signed = did_key_signed()
    result = verify_credential(signed, trust, trust, VerifyRequest(NOW))
    assert result.verified
    assert outcomes(result)["signature"] == (Outcome.PASSED, "SIGNATURE_VALID")
    assert outcomes(result)["issuer_known"] == (Outcome.WARNING, "ISSUER_NOT_IN_REGISTRY")
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["alumniOf"] = "The School of Examplez"
    assert not verify_credential(tampered, trust, trust, VerifyRequest(NOW)).verified


def test_partners_and_pages_never_take_an_unknown_did_key_issuer_as_valid(trust):
    result = verify_credential(did_key_signed(), trust, trust, VerifyRequest(NOW, None, True))
    assert not result.verified
    assert outcomes(result)["issuer_known"] == (Outcome.FAILED, "ISSUER_NOT_TRUSTED")


def test_a_did_key_issuer_cannot_sign_with_another_did_key(trust):
    doc = did_key_signed()
    doc.pop("proof")
    other = Ed25519PrivateKey.generate()
    options = dataintegrity.ProofOptions(
        multikey.did_key_verification_method(other.public_key()), NOW - timedelta(hours=1)
    )
    result = verify_credential(
        dataintegrity.add_proof(doc, other, options), trust, trust, VerifyRequest(NOW)
    )
    assert outcomes(result)["signature"] == (Outcome.FAILED, "KEY_NOT_CONTROLLED_BY_ISSUER")
    assert not result.verified


def test_did_key_cannot_speak_for_a_registry_issuer(trust):
    """An issuer id in the registry's namespace is a claim: an unknown one fails."""
    key = Ed25519PrivateKey.generate()
    doc = credential(trust, signers=[])
    doc["issuer"]["id"] = f"{BASE}/issuers/11000000MB0000000X"
    options = dataintegrity.ProofOptions(
        multikey.did_key_verification_method(key.public_key()), NOW - timedelta(hours=1)
    )
    doc = dataintegrity.add_proof(doc, key, options)
    result = outcomes(verify_credential(doc, trust, trust, VerifyRequest(NOW)))
    assert result["signature"] == (Outcome.FAILED, "KEY_NOT_CONTROLLED_BY_ISSUER")
    assert result["issuer_known"] == (Outcome.FAILED, "ISSUER_UNKNOWN")


ISSUER_IDS = {
    "ours": f"{BASE}/issuers/{BUREAUS['320509']}",
    "ours_on_foreign_host": f"https://evil.example/issuers/{BUREAUS['320509']}",
    "ours_with_suffix": f"{BASE}/issuers/{BUREAUS['320509']}/",
    "unknown_in_namespace": f"{BASE}/issuers/11000000MB0000000X",
    "did_key_of_signer": "did",
}
SIGNERS = ("issuers_key", "other_issuers_key", "fresh_did_key")


def forged(trust, issuer: str, signer: str, record_id: str) -> dict:
    """A title credential raised to 正高级, with the given issuer id, record id and signer."""
    doc = credential(trust, signers=[])
    doc["id"] = f"{BASE}/credentials/{record_id}"
    doc["credentialSubject"]["professionalTitle"]["level"] = "正高级"
    doc["credentialSubject"]["professionalTitle"]["titleName"] = "正高级工程师"
    fresh = Ed25519PrivateKey.generate()
    doc["issuer"]["id"] = multikey.did_key(fresh.public_key()) if issuer == "did" else issuer
    if signer == "fresh_did_key":
        method = multikey.did_key_verification_method(fresh.public_key())
        options = dataintegrity.ProofOptions(method, NOW - timedelta(hours=1))
        return dataintegrity.add_proof(doc, fresh, options)
    uscc = BUREAUS["320509"] if signer == "issuers_key" else COMMITTEE
    return sign(trust, doc, uscc)


@pytest.mark.parametrize("issuer", list(ISSUER_IDS))
@pytest.mark.parametrize("signer", SIGNERS)
@pytest.mark.parametrize("record", ["held", "unknown"])
def test_only_the_issuers_own_key_under_its_exact_id_makes_a_credential_ours(
    trust, issuer, signer, record
):
    """Every combination of issuer id, signing key and record id: a credential is ours only
    when its exact issuer id names a known issuer and that issuer's key signed it; only then
    is its status asked (with the signature, for the store to match) and its facts kept."""
    held = credential(trust)  # a real record the store holds (status active)
    record_id = held["id"].rsplit("/", 1)[-1] if record == "held" else str(uuid.uuid4())
    doc = forged(trust, ISSUER_IDS[issuer], signer, record_id)
    trust.asked.clear()
    for partner in (False, True):
        result = verify_credential(doc, trust, trust, VerifyRequest(NOW, None, partner))
        codes = outcomes(result)
        if issuer == "ours" and signer == "issuers_key":
            assert codes["signature"] == (Outcome.PASSED, "SIGNATURE_VALID")
            assert codes["issuer_known"] == (Outcome.PASSED, "ISSUER_KNOWN")
            assert result.facts is not None and result.facts.record_id == record_id
            asked_id, shown = trust.asked[-1]
            assert asked_id == record_id and shown.source == "credential"
            assert shown.signature == dataintegrity.proof_signature(doc["proof"])
            assert result.verified == (record == "held")
            continue
        assert trust.asked == []
        assert result.facts is None and result.issuer is None and not result.record_held
        assert codes["status"] == (Outcome.UNKNOWN, "STATUS_UNKNOWN")
        assert codes["recognition"] == (Outcome.SKIPPED, "NOT_CHECKED")
        if issuer == "did_key_of_signer" and signer == "fresh_did_key":
            assert codes["signature"] == (Outcome.PASSED, "SIGNATURE_VALID")
            if partner:
                assert codes["issuer_known"] == (Outcome.FAILED, "ISSUER_NOT_TRUSTED")
            else:
                assert codes["issuer_known"] == (Outcome.WARNING, "ISSUER_NOT_IN_REGISTRY")
        elif issuer == "ours":
            assert codes["signature"] == (Outcome.FAILED, "KEY_ISSUER_MISMATCH")
        else:
            assert codes["signature"] == (Outcome.FAILED, "KEY_NOT_CONTROLLED_BY_ISSUER")
            assert codes["issuer_known"] == (Outcome.FAILED, "ISSUER_UNKNOWN")


def _built(subject_changes: dict) -> dict:
    asked = request(False)
    asked["credentialSubject"] = {**asked["credentialSubject"], **subject_changes}
    asked["credentialSubject"] = {k: v for k, v in asked["credentialSubject"].items() if v}
    return build_credential(
        asked,
        record_id=str(uuid.uuid4()),
        record_type=TITLE,
        issuer_uscc=BUREAUS["320509"],
        issuer_name="测试机构",
        issued_at=NOW,
        masked_id_number="3205**********9931",
        status_index=7,
        urls=URLS,
    )


def test_the_credential_carries_the_masked_id_number_never_the_one_asked() -> None:
    built = _built({"idNumber": "320502198001019931"})
    assert built["credentialSubject"]["idNumber"] == "3205**********9931"
    assert "idNumber" not in _built({"idNumber": None})["credentialSubject"]


def test_key_valid_reports_the_worst_window_among_the_proofs(trust):
    # _SEVERITY orders the key windows of a proof set: passed < warning < failed. (It also
    # ranks UNKNOWN, but key_window_check never answers UNKNOWN, so that rank decides nothing.)
    doc = credential(trust, joint=True)
    trust.set_key(BUREAUS["330421"], compromised_at=NOW, state="compromised")
    result = verify_credential(doc, trust, trust, VerifyRequest(NOW, "330421"))
    assert outcomes(result)["key_valid"] == (Outcome.WARNING, "KEY_COMPROMISED_LATER")
    trust.set_key(BUREAUS["310118"], valid_until=NOW - timedelta(days=2))
    result = verify_credential(doc, trust, trust, VerifyRequest(NOW, "330421"))
    assert outcomes(result)["key_valid"] == (Outcome.FAILED, "KEY_EXPIRED")


def test_a_title_signed_with_eddsa_rdfc_2022_verifies_like_a_jcs_one(trust):
    """The registry's own context is read from disk for its own base URL (rdfc reads it)."""
    doc = credential(trust, signers=[])
    key = trust.key_of(BUREAUS["320509"])
    options = dataintegrity.ProofOptions(
        key.method_id,
        NOW - timedelta(hours=1),
        cryptosuite=dataintegrity.RDFC_CRYPTOSUITE,
        own_context=URLS.context.__eq__,  # the signer names the URL of its own context
    )
    signed = dataintegrity.add_proof_rdfc(doc, trust.private[BUREAUS["320509"]], options)
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    result = verify_credential(signed, trust, trust, VerifyRequest(NOW, "320509"))
    assert result.verified, [(c.name, c.code) for c in result.checks]
    assert outcomes(result)["data_model"] == (Outcome.PASSED, "DATA_MODEL_VALID")
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["professionalTitle"]["level"] = "正高级"
    assert outcomes(verify_credential(tampered, trust, trust, VerifyRequest(NOW)))["signature"] == (
        Outcome.FAILED,
        "SIGNATURE_INVALID",
    )

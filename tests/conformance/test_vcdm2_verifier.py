"""VCDM 2.0 and Data Integrity MUSTs a verifier checks: each with a passing and a failing case.

Table-driven over the W3C vc-di-eddsa vectors (``unsigned.json`` and the signed rdfc
credential): each row names the rule, how the document is changed, and the check code the
change must give (``None``: the changed document still conforms). The verifier-level
rows at the end go through ``verify_credential``: issuer and verification-method binding,
subject sets, status types, rdfc and jcs proofs from a did:key.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.checks import Outcome
from registry.core.formats import dataintegrity, multikey
from registry.core.verification.credential import verify_credential
from registry.core.verification.datamodel import check_data_model
from registry.core.verification.record import VerifyRequest
from tests.support.memory_trust import zone_trust
from tests.support.vectors_dataintegrity import key_pair, rdfc_suite

NOW = datetime(2026, 11, 22, 9, 30, 15, tzinfo=UTC)  # fixed, as is all built from it
VECTOR = rdfc_suite()
V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"

Change = Callable[[dict[str, Any]], None]


def AS_IS(doc: dict[str, Any]) -> None:
    """No change: the vector as published."""


def setting(name: str, value: Any) -> Change:
    return lambda doc: doc.__setitem__(name, copy.deepcopy(value))


def removing(name: str) -> Change:
    return lambda doc: doc.pop(name)


def subject(name: str, value: Any) -> Change:
    return lambda doc: doc["credentialSubject"].__setitem__(name, value)


def proof(name: str, value: Any) -> Change:
    def change(doc: dict[str, Any]) -> None:
        if value is None:
            doc["proof"].pop(name)
        else:
            doc["proof"][name] = value

    return change


def only_v2(doc: dict[str, Any]) -> None:
    doc["@context"] = [V2]


def both(*changes: Change) -> Change:
    def change(doc: dict[str, Any]) -> None:
        for each in changes:
            each(doc)

    return change


LANG = [
    {"@value": "Alumni", "@language": "en"},
    {"@value": "校友", "@language": "zh", "@direction": "ltr"},
]
# (rule, change to unsigned.json, expected code or None)
UNSIGNED_CASES: list[tuple[str, Change, str | None]] = [
    ("4.3 @context: first v2", AS_IS, None),
    ("4.5 type: strings", AS_IS, None),
    ("4.8 credentialSubject: claims", setting("credentialSubject", {"alumniOf": "A"}), None),
    (
        "4.9 validFrom not after validUntil",
        setting("validUntil", "2023-01-01T08:00:00+08:00"),
        None,
    ),
    ("JSON-LD: properties defined", AS_IS, None),
    (
        "JSON-LD: contexts known",
        setting("@context", [V2, EXAMPLES, "https://w3id.org/security/data-integrity/v2"]),
        None,
    ),
    (
        "JSON-LD: protected terms",
        both(
            setting("@context", [V2, {"nickname": "https://vc.example/#nickname"}]),
            setting("type", ["VerifiableCredential"]),
            setting("credentialSubject", {"nickname": "J"}),
        ),
        None,
    ),
    ("VC 1.1 is refused", AS_IS, None),
    ("4.3 @context: first v2", setting("@context", [EXAMPLES, V2]), "VC_CONTEXT_INVALID"),
    ("4.3 @context: first v2", setting("@context", V2), "VC_CONTEXT_INVALID"),
    ("4.3 @context: first v2", removing("@context"), "VC_CONTEXT_INVALID"),
    (
        "4.3 @context: URLs or objects",
        setting("@context", [V2, EXAMPLES, {"ex2": "https://ex.example/#"}]),
        None,
    ),
    (
        "4.3 @context: URLs or objects",
        setting("@context", [V2, EXAMPLES, 42]),
        "VC_CONTEXT_ENTRY_INVALID",
    ),
    (
        "4.3 @context: URLs or objects",
        setting("@context", [V2, "not a url"]),
        "VC_CONTEXT_ENTRY_INVALID",
    ),
    ("4.4 id: one URL", setting("id", "https://vc.example/credentials/1"), None),
    ("4.4 id: one URL", setting("id", "credential-1"), "VC_ID_INVALID"),
    ("4.4 id: one URL", setting("id", ["urn:uuid:1", "urn:uuid:2"]), "VC_ID_INVALID"),
    ("4.4 id: one URL", subject("id", 7), "VC_ID_INVALID"),
    ("4.5 type: includes VerifiableCredential", setting("type", "VerifiableCredential"), None),
    ("4.5 type: includes VerifiableCredential", removing("type"), "VC_TYPE_MISSING"),
    (
        "4.5 type: includes VerifiableCredential",
        setting("type", ["AlumniCredential"]),
        "VC_TYPE_NOT_CREDENTIAL",
    ),
    ("4.5 type: strings", setting("type", []), "VC_TYPE_INVALID"),
    ("4.5 type: strings", setting("type", ["VerifiableCredential", 3]), "VC_TYPE_INVALID"),
    (
        "4.5 type: defined by the contexts",
        both(
            only_v2,
            setting("type", ["VerifiableCredential"]),
            subject("alumniOf", None),
            lambda d: d["credentialSubject"].pop("alumniOf"),
            subject("name", "Jane"),
        ),
        None,
    ),
    (
        "4.5 type: defined by the contexts",
        both(
            only_v2,
            subject("alumniOf", None),
            lambda d: d["credentialSubject"].pop("alumniOf"),
            subject("name", "Jane"),
        ),
        "VC_TERM_UNDEFINED",
    ),
    ("4.6 name/description: strings or language values", setting("name", LANG), None),
    (
        "4.6 name/description: strings or language values",
        setting("description", {"@value": "d", "@language": "en"}),
        None,
    ),
    (
        "4.6 name/description: strings or language values",
        setting("name", {"@value": "A", "@language": "en", "extra": 1}),
        "VC_NAME_INVALID",
    ),
    (
        "4.6 name/description: strings or language values",
        setting("name", {"@value": "A", "@direction": "up"}),
        "VC_NAME_INVALID",
    ),
    (
        "4.6 name/description: strings or language values",
        setting("description", 5),
        "VC_DESCRIPTION_INVALID",
    ),
    (
        "4.6 name/description: strings or language values",
        setting("issuer", {"id": "did:example:1", "name": {"@value": "I", "x": 1}}),
        "VC_NAME_INVALID",
    ),
    (
        "4.7 issuer: URL or object with URL id",
        setting("issuer", {"id": "did:example:issuer", "name": "Issuer"}),
        None,
    ),
    (
        "4.7 issuer: URL or object with URL id",
        setting("issuer", "fake-issuer"),
        "VC_ISSUER_INVALID",
    ),
    (
        "4.7 issuer: URL or object with URL id",
        setting("issuer", {"name": "no id"}),
        "VC_ISSUER_INVALID",
    ),
    (
        "4.7 issuer: URL or object with URL id",
        setting("issuer", ["did:example:1"]),
        "VC_ISSUER_INVALID",
    ),
    ("4.7 issuer: URL or object with URL id", removing("issuer"), "VC_ISSUER_MISSING"),
    (
        "4.8 credentialSubject: object or set",
        setting("credentialSubject", [{"id": "did:example:a", "alumniOf": "A"}, {"alumniOf": "B"}]),
        None,
    ),
    (
        "4.8 credentialSubject: object or set",
        setting("credentialSubject", []),
        "VC_SUBJECT_INVALID",
    ),
    (
        "4.8 credentialSubject: object or set",
        setting("credentialSubject", "did:example:a"),
        "VC_SUBJECT_INVALID",
    ),
    ("4.8 credentialSubject: object or set", removing("credentialSubject"), "VC_SUBJECT_MISSING"),
    ("4.8 credentialSubject: claims", setting("credentialSubject", {}), "VC_SUBJECT_NO_CLAIMS"),
    (
        "4.8 credentialSubject: claims",
        setting("credentialSubject", {"id": "did:example:a"}),
        "VC_SUBJECT_NO_CLAIMS",
    ),
    (
        "4.8 credentialSubject: claims",
        setting("credentialSubject", [{"alumniOf": "A"}, {"id": "did:example:b"}]),
        "VC_SUBJECT_NO_CLAIMS",
    ),
    ("4.9 validFrom: dateTimeStamp", setting("validFrom", "2023-01-01T08:00:00.5+08:00"), None),
    ("4.9 validFrom: dateTimeStamp", setting("validFrom", "2023-01-01"), "VC_VALID_FROM_INVALID"),
    (
        "4.9 validFrom: dateTimeStamp",
        setting("validFrom", "2023-01-01T00:00:00"),
        "VC_VALID_FROM_INVALID",
    ),
    (
        "4.9 validFrom: dateTimeStamp",
        setting("validFrom", "2023-02-30T00:00:00Z"),
        "VC_VALID_FROM_INVALID",
    ),
    ("4.9 validUntil: dateTimeStamp", setting("validUntil", "2033-01-01T00:00:00Z"), None),
    (
        "4.9 validUntil: dateTimeStamp",
        setting("validUntil", "01/01/2033"),
        "VC_VALID_UNTIL_INVALID",
    ),
    (
        "4.9 validFrom not after validUntil",
        setting("validUntil", "2022-12-31T23:59:59Z"),
        "VC_VALIDITY_RANGE_INVALID",
    ),
    (
        "4.10 credentialStatus: typed",
        setting(
            "credentialStatus",
            {"id": "https://vc.example/status/1#3", "type": "ExampleStatusEntry"},
        ),
        None,
    ),
    (
        "4.10 credentialStatus: typed",
        setting("credentialStatus", {"id": "https://vc.example/status/1#3"}),
        "VC_STATUS_INVALID",
    ),
    (
        "4.10 credentialStatus: typed",
        setting("credentialStatus", [{"type": "ExampleStatusEntry"}, "x"]),
        "VC_STATUS_INVALID",
    ),
    (
        "4.10 credentialStatus: typed",
        setting("credentialStatus", {"id": "status 1", "type": "ExampleStatusEntry"}),
        "VC_ID_INVALID",
    ),
    (
        "4.11 credentialSchema: typed, URL id",
        setting("credentialSchema", {"id": "https://vc.example/schema.json", "type": "JsonSchema"}),
        None,
    ),
    (
        "4.11 credentialSchema: typed, URL id",
        setting("credentialSchema", {"id": "https://vc.example/schema.json"}),
        "VC_CREDENTIAL_SCHEMA_INVALID",
    ),
    (
        "4.11 credentialSchema: typed, URL id",
        setting("credentialSchema", {"type": "JsonSchema"}),
        "VC_CREDENTIAL_SCHEMA_INVALID",
    ),
    (
        "5.3 relatedResource: URL id and digest",
        setting(
            "relatedResource", [{"id": "https://vc.example/logo.png", "digestSRI": "sha384-abc"}]
        ),
        None,
    ),
    (
        "5.3 relatedResource: URL id and digest",
        setting("relatedResource", [{"id": "https://vc.example/logo.png"}]),
        "VC_RELATED_RESOURCE_INVALID",
    ),
    (
        "5.3 relatedResource: URL id and digest",
        setting(
            "relatedResource",
            [
                {"id": "https://vc.example/a", "digestSRI": "s"},
                {"id": "https://vc.example/a", "digestSRI": "s"},
            ],
        ),
        "VC_RELATED_RESOURCE_INVALID",
    ),
    (
        "5.4 refreshService: typed",
        setting("refreshService", {"id": "https://vc.example/refresh", "type": "ExampleRefresh"}),
        None,
    ),
    (
        "5.4 refreshService: typed",
        setting("refreshService", {"id": "https://vc.example/refresh"}),
        "VC_REFRESH_SERVICE_INVALID",
    ),
    ("5.5 termsOfUse: typed", setting("termsOfUse", [{"type": "ExamplePolicy"}]), None),
    (
        "5.5 termsOfUse: typed",
        setting("termsOfUse", [{"id": "https://vc.example/policy"}]),
        "VC_TERMS_OF_USE_INVALID",
    ),
    ("5.6 evidence: typed", setting("evidence", [{"type": ["Evidence"], "name": "seen"}]), None),
    ("5.6 evidence: typed", setting("evidence", [{"name": "seen"}]), "VC_EVIDENCE_INVALID"),
    (
        "JSON-LD: properties defined",
        both(
            only_v2,
            subject("alumniOf", None),
            lambda d: d["credentialSubject"].pop("alumniOf"),
            subject("name", "Jane"),
        ),
        "VC_TERM_UNDEFINED",
    ),
    ("JSON-LD: properties defined", only_v2, "VC_TERM_UNDEFINED"),
    (
        "JSON-LD: contexts known",
        setting("@context", [V2, "https://vc.example/unknown/v1"]),
        "JSONLD_CONTEXT_UNKNOWN",
    ),
    (
        "JSON-LD: protected terms",
        setting("@context", [V2, EXAMPLES, {"VerifiableCredential": "https://vc.example/#VC"}]),
        "JSONLD_PROTECTED_TERM_REDEFINED",
    ),
    (
        "JSON-LD: protected terms",
        setting("@context", [V2, EXAMPLES, {"name": "https://vc.example/#name"}]),
        "JSONLD_PROTECTED_TERM_REDEFINED",
    ),
    (
        "VC 1.1 is refused",
        setting("@context", ["https://www.w3.org/2018/credentials/v1", EXAMPLES]),
        "VC_V1_UNSUPPORTED",
    ),
    ("VC 1.1 is refused", setting("issuanceDate", "2023-01-01T00:00:00Z"), "VC_V1_UNSUPPORTED"),
    ("VC 1.1 is refused", setting("expirationDate", "2033-01-01T00:00:00Z"), "VC_V1_UNSUPPORTED"),
]

# (rule, change to the signed rdfc credential's proof, expected code or None)
PROOF_CASES: list[tuple[str, Change, str | None]] = [
    ("DI 2.1 proof: type DataIntegrityProof", AS_IS, None),
    ("DI 2.1 proof: proofPurpose assertionMethod", AS_IS, None),
    ("DI 2.1 proof: proofValue present", AS_IS, None),
    ("DI 2.1 proof: challenge a string", proof("challenge", "c-1"), None),
    ("DI 2.1 proof: an object", lambda doc: doc.__setitem__("proof", [doc["proof"]]), None),
    (
        "DI 2.1 proof: type DataIntegrityProof",
        proof("type", "Ed25519Signature2020"),
        "DI_PROOF_TYPE_UNSUPPORTED",
    ),
    ("DI 2.1 proof: type DataIntegrityProof", proof("type", None), "DI_PROOF_TYPE_UNSUPPORTED"),
    ("DI 2.1 proof: cryptosuite known", proof("cryptosuite", "eddsa-jcs-2022"), None),
    ("DI 2.1 proof: cryptosuite known", proof("cryptosuite", "bbs-2023"), "DI_CRYPTOSUITE_UNKNOWN"),
    (
        "DI 2.1 proof: proofPurpose assertionMethod",
        proof("proofPurpose", "authentication"),
        "DI_PROOF_PURPOSE_INVALID",
    ),
    (
        "DI 2.1 proof: proofPurpose assertionMethod",
        proof("proofPurpose", None),
        "DI_PROOF_PURPOSE_INVALID",
    ),
    (
        "DI 2.1 proof: verificationMethod a URL",
        proof("verificationMethod", "https://vc.example/issuers/5678#key-1"),
        None,
    ),
    (
        "DI 2.1 proof: verificationMethod a URL",
        proof("verificationMethod", "key-1"),
        "DI_VERIFICATION_METHOD_INVALID",
    ),
    (
        "DI 2.1 proof: verificationMethod a URL",
        proof("verificationMethod", None),
        "DI_VERIFICATION_METHOD_INVALID",
    ),
    ("DI 2.1 proof: created a dateTimeStamp", proof("created", None), None),
    (
        "DI 2.1 proof: created a dateTimeStamp",
        proof("created", "2023-02-24T23:36:38"),
        "DI_DATETIME_INVALID",
    ),
    ("DI 2.1 proof: expires a dateTimeStamp", proof("expires", "2033-02-24T23:36:38Z"), None),
    ("DI 2.1 proof: expires a dateTimeStamp", proof("expires", "soon"), "DI_DATETIME_INVALID"),
    ("DI 2.1 proof: proofValue present", proof("proofValue", None), "DI_PROOF_VALUE_MISSING"),
    ("DI 2.1 proof: id a URL", proof("id", "urn:uuid:1"), None),
    ("DI 2.1 proof: id a URL", proof("id", "proof 1"), "VC_ID_INVALID"),
    ("DI 2.1 proof: domain strings", proof("domain", ["vc.example"]), None),
    ("DI 2.1 proof: domain strings", proof("domain", 7), "DI_PROOF_INVALID"),
    ("DI 2.1 proof: challenge a string", proof("challenge", {"n": 1}), "DI_PROOF_INVALID"),
    ("DI 2.1 proof: an object", setting("proof", ["x"]), "DI_PROOF_INVALID"),
]


def _codes(document: dict[str, Any]) -> list[str]:
    return [c.code for c in check_data_model(document)]


def _run(base: dict[str, Any], change: Change, expected: str | None) -> None:
    document = copy.deepcopy(base)
    change(document)
    codes = _codes(document)
    if expected is None:
        assert codes == ["DATA_MODEL_VALID"]
    else:
        assert expected in codes
        assert "DATA_MODEL_VALID" not in codes


def _ids(cases: list[tuple[str, Change, str | None]]) -> list[str]:
    return [f"{rule} -> {code or 'conforms'} #{n}" for n, (rule, _, code) in enumerate(cases)]


@pytest.mark.parametrize(("rule", "change", "expected"), UNSIGNED_CASES, ids=_ids(UNSIGNED_CASES))
def test_credential_must(rule: str, change: Change, expected: str | None) -> None:
    _run(VECTOR.unsigned, change, expected)


@pytest.mark.parametrize(("rule", "change", "expected"), PROOF_CASES, ids=_ids(PROOF_CASES))
def test_data_integrity_must(rule: str, change: Change, expected: str | None) -> None:
    _run(VECTOR.signed, change, expected)


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    kinds: dict[str, set[bool]] = {}
    for rule, _, code in UNSIGNED_CASES + PROOF_CASES:
        kinds.setdefault(rule, set()).add(code is None)
    assert {rule for rule, seen in kinds.items() if seen != {True, False}} == set()


def test_undefined_terms_are_named_by_pointer() -> None:
    document = copy.deepcopy(VECTOR.unsigned)
    document["@context"] = [V2]
    [failure] = check_data_model(document)
    assert failure.code == "VC_TERM_UNDEFINED"
    assert failure.detail["pointers"] == ["/credentialSubject/alumniOf", "/type/1"]


# --- through the verifier ---------------------------------------------------------------

VECTOR_KEY = multikey.private_key_from_multikey(key_pair().private_multikey)


def signed_by_did_key(
    cryptosuite: str = dataintegrity.RDFC_CRYPTOSUITE,
    key: Ed25519PrivateKey = VECTOR_KEY,
    issuer: str | None = None,
    **changes: Any,
) -> dict[str, Any]:
    document = copy.deepcopy(VECTOR.unsigned)
    document["issuer"] = issuer or multikey.did_key(key.public_key())
    document.update(changes)
    options = dataintegrity.ProofOptions(
        multikey.did_key_verification_method(key.public_key()),
        NOW - timedelta(hours=1),
        cryptosuite=cryptosuite,
    )
    return dataintegrity.add_proof(document, key, options)


def answer(document: Any, known_issuers_only: bool = False) -> dict[str, tuple[Outcome, str]]:
    trust = zone_trust(NOW)
    result = verify_credential(document, trust, trust, VerifyRequest(NOW, None, known_issuers_only))
    checks = {c.name: (c.outcome, c.code) for c in result.checks}
    checks["verified"] = (Outcome.PASSED if result.verified else Outcome.FAILED, "")
    return checks


@pytest.mark.parametrize("suite", dataintegrity.CRYPTOSUITES)
def test_a_did_key_issuer_verifies_cryptographically_and_is_said_unknown(suite: str) -> None:
    checks = answer(signed_by_did_key(suite))
    assert checks["data_model"] == (Outcome.PASSED, "DATA_MODEL_VALID")
    assert checks["signature"] == (Outcome.PASSED, "SIGNATURE_VALID")
    assert checks["issuer_known"] == (Outcome.WARNING, "ISSUER_NOT_IN_REGISTRY")
    assert checks["verified"][0] == Outcome.PASSED
    strict = answer(signed_by_did_key(suite), known_issuers_only=True)
    assert strict["issuer_known"] == (Outcome.FAILED, "ISSUER_NOT_TRUSTED")
    assert strict["verified"][0] == Outcome.FAILED


def test_the_w3c_rdfc_vector_verifies_but_its_issuer_does_not_control_the_key() -> None:
    checks = answer(VECTOR.signed)
    assert checks["data_model"] == (Outcome.PASSED, "DATA_MODEL_VALID")
    assert checks["signature"] == (Outcome.FAILED, "KEY_NOT_CONTROLLED_BY_ISSUER")
    assert checks["verified"][0] == Outcome.FAILED


@pytest.mark.parametrize(
    "issuer",
    [
        "fake-issuer",
        "https://vc.example/issuers/5678",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    ],
)
def test_a_did_key_proof_is_not_accepted_for_another_issuer(issuer: str) -> None:
    checks = answer(signed_by_did_key(issuer=issuer))
    assert checks["signature"][0] == Outcome.FAILED or checks["data_model"][0] == Outcome.FAILED
    assert checks["verified"][0] == Outcome.FAILED


def test_a_non_url_issuer_fails_the_data_model_with_its_own_code() -> None:
    checks = answer(signed_by_did_key(issuer="fake-issuer"))
    assert checks["data_model"] == (Outcome.FAILED, "VC_ISSUER_INVALID")


def test_a_subject_set_is_accepted() -> None:
    subjects = [{"id": "did:example:a", "alumniOf": "A"}, {"id": "did:example:b", "alumniOf": "B"}]
    checks = answer(signed_by_did_key(credentialSubject=subjects))
    assert checks["data_model"] == (Outcome.PASSED, "DATA_MODEL_VALID")
    assert checks["signature"] == (Outcome.PASSED, "SIGNATURE_VALID")
    assert checks["verified"][0] == Outcome.PASSED


def test_an_unknown_status_type_is_reported_not_failed() -> None:
    status = {"id": "https://vc.example/status/1#3", "type": "ExampleStatusEntry"}
    checks = answer(signed_by_did_key(credentialStatus=status))
    assert checks["status"] == (Outcome.WARNING, "STATUS_TYPE_NOT_CHECKED")
    assert checks["verified"][0] == Outcome.PASSED


def test_an_unreadable_bitstring_status_could_not_be_checked() -> None:
    status = {
        "id": "https://vc.example/status/1#3",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "3",
        "statusListCredential": "https://vc.example/status/1",
    }
    checks = answer(signed_by_did_key(credentialStatus=status))
    assert checks["status"] == (Outcome.UNKNOWN, "STATUS_UNKNOWN")
    assert checks["verified"][0] == Outcome.FAILED


def test_a_vc_1_1_credential_is_refused_with_its_code() -> None:
    document = copy.deepcopy(VECTOR.signed)
    document["@context"] = ["https://www.w3.org/2018/credentials/v1", EXAMPLES]
    trust = zone_trust(NOW)
    result = verify_credential(document, trust, trust, VerifyRequest(NOW))
    codes = [c.code for c in result.checks]
    assert codes[:2] == ["FORMAT_INVALID", "VC_V1_UNSUPPORTED"]
    assert not result.verified


def test_a_data_model_failure_keeps_the_answer_unverified_whatever_the_signature() -> None:
    document = signed_by_did_key(evidence=[{"name": "seen"}])
    checks = answer(document)
    assert checks["data_model"] == (Outcome.FAILED, "VC_EVIDENCE_INVALID")
    assert checks["signature"] == (Outcome.PASSED, "SIGNATURE_VALID")
    assert checks["verified"][0] == Outcome.FAILED

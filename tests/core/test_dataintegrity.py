"""eddsa-jcs-2022 Data Integrity proofs, proven by the W3C vc-di-eddsa vectors."""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from registry.core.errors import RegistryError, not_found
from registry.core.formats.canonical import canonical_json
from registry.core.formats.dataintegrity import (
    CRYPTOSUITE,
    ProofOptions,
    add_proof,
    add_proof_rdfc,
    proof_hash_data,
    proofs_of,
    verify_proofs,
)
from registry.core.formats.multibase import multibase_encode_base58btc
from registry.core.formats.multikey import (
    did_key_verification_method,
    private_key_from_multikey,
    resolve_did_key,
)
from tests.support.vectors_dataintegrity import (
    jcs_suite,
    key_pair,
    multi_key_pairs,
    proof_set_file,
)

VECTOR = jcs_suite()
SIGNING_KEY = private_key_from_multikey(key_pair().private_multikey)


def vector_options() -> ProofOptions:
    """The options of ``proofConfigJCS.json``: its creation time and verification method."""
    created = datetime.fromisoformat(VECTOR.proof_config["created"])
    return ProofOptions(VECTOR.proof_config["verificationMethod"], created)


def codes(document: dict[str, Any]) -> list[str]:
    return [result.code for result in verify_proofs(document, resolve_did_key)]


# --- the eddsa-jcs-2022 vectors, step by step ------------------------------------------


def test_canonical_document_matches_the_vector() -> None:
    assert canonical_json(VECTOR.unsigned) == VECTOR.canonical_document.encode()


def test_canonical_proof_config_matches_the_vector() -> None:
    assert canonical_json(VECTOR.proof_config) == VECTOR.canonical_proof_config.encode()


def test_hashes_match_the_vector() -> None:
    document_hash = hashlib.sha256(canonical_json(VECTOR.unsigned)).hexdigest()
    proof_hash = hashlib.sha256(canonical_json(VECTOR.proof_config)).hexdigest()
    assert document_hash == VECTOR.document_hash_hex
    assert proof_hash == VECTOR.proof_hash_hex
    combined = proof_hash_data(VECTOR.proof_config, VECTOR.unsigned)
    assert combined.hex() == VECTOR.combined_hash_hex


def test_signature_matches_the_vector_in_hex_and_base58() -> None:
    signature = SIGNING_KEY.sign(bytes.fromhex(VECTOR.combined_hash_hex))
    assert signature.hex() == VECTOR.signature_hex
    assert multibase_encode_base58btc(signature) == VECTOR.proof_value


def test_signing_unsigned_gives_the_signed_vector() -> None:
    signed = add_proof(VECTOR.unsigned, SIGNING_KEY, vector_options())
    assert signed == VECTOR.signed
    assert list(signed) == list(VECTOR.signed)
    assert list(signed["proof"]) == list(VECTOR.signed["proof"])


def test_proof_config_of_the_new_proof_is_the_vector_config() -> None:
    signed = add_proof(VECTOR.unsigned, SIGNING_KEY, vector_options())
    config = {name: value for name, value in signed["proof"].items() if name != "proofValue"}
    assert config == VECTOR.proof_config


def test_add_proof_leaves_its_input_alone() -> None:
    unsigned = copy.deepcopy(VECTOR.unsigned)
    add_proof(unsigned, SIGNING_KEY, vector_options())
    assert unsigned == VECTOR.unsigned


def test_signed_vector_verifies() -> None:
    [result] = verify_proofs(VECTOR.signed, resolve_did_key)
    assert result.ok
    assert result.code == "PROOF_VALID"
    assert result.verification_method == VECTOR.proof_config["verificationMethod"]
    assert result.created == "2023-02-24T23:36:38Z"
    assert result.message_zh
    assert result.message_en


# --- any single changed character breaks the proof -------------------------------------


def _changed(character: str) -> str:
    if character.isdigit():
        return str((int(character) + 1) % 10)
    if character.isalpha() and character.isascii():
        base = ord("a") if character.islower() else ord("A")
        return chr(base + (ord(character) - base + 1) % 26)
    return "x" if character != "x" else "y"


FIELDS: list[tuple[str | int, ...]] = [
    ("@context", 1),
    ("id",),
    ("type", 1),
    ("name",),
    ("description",),
    ("issuer",),
    ("validFrom",),
    ("credentialSubject", "id"),
    ("credentialSubject", "alumniOf"),
    ("proof", "type"),
    ("proof", "cryptosuite"),
    ("proof", "created"),
    ("proof", "verificationMethod"),
    ("proof", "proofPurpose"),
    ("proof", "@context", 0),
    ("proof", "proofValue"),
]
POSITIONS = {"first": 0, "middle": None, "last": -1}


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("path", FIELDS, ids=lambda path: "/".join(map(str, path)))
def test_changing_one_character_fails_verification(
    path: tuple[str | int, ...], position: str
) -> None:
    document = copy.deepcopy(VECTOR.signed)
    parent: Any = document
    for step in path[:-1]:
        parent = parent[step]
    text: str = parent[path[-1]]
    index = POSITIONS[position]
    index = len(text) // 2 if index is None else index % len(text)
    parent[path[-1]] = text[:index] + _changed(text[index]) + text[index + 1 :]
    assert parent[path[-1]] != text

    [result] = verify_proofs(document, resolve_did_key)
    assert not result.ok
    if path[0] not in {"proof", "@context"}:
        assert result.code == "PROOF_SIGNATURE_INVALID"


def test_added_document_member_fails_verification() -> None:
    document = copy.deepcopy(VECTOR.signed)
    document["credentialSubject"]["extra"] = "x"
    assert codes(document) == ["PROOF_SIGNATURE_INVALID"]


# --- results for proofs that cannot be checked -------------------------------------------


def _with_proof(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(VECTOR.signed)
    for name, value in changes.items():
        if value is None:
            del document["proof"][name]
        else:
            document["proof"][name] = value
    return document


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"type": "Ed25519Signature2020"}, "PROOF_UNSUPPORTED_TYPE"),
        ({"cryptosuite": "ecdsa-rdfc-2019"}, "PROOF_UNSUPPORTED_CRYPTOSUITE"),
        ({"cryptosuite": None}, "PROOF_UNSUPPORTED_CRYPTOSUITE"),
        ({"verificationMethod": None}, "PROOF_MALFORMED"),
        ({"verificationMethod": 7}, "PROOF_MALFORMED"),
        ({"created": "2023-02-24 23:36:38"}, "PROOF_MALFORMED"),
        ({"created": "2023-02-24T23:36:38"}, "PROOF_MALFORMED"),
        ({"proofValue": None}, "PROOF_MALFORMED"),
        ({"proofValue": "u" + "A" * 86}, "PROOF_MALFORMED"),
        ({"proofValue": VECTOR.proof_value[:-3]}, "PROOF_MALFORMED"),
        ({"proofValue": "z" + "2" * 5000}, "PROOF_MALFORMED"),
        ({"proofValue": ["z"]}, "PROOF_MALFORMED"),
        ({"proofPurpose": "authentication"}, "PROOF_PURPOSE_MISMATCH"),
        (
            {"previousProof": "urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544"},
            "PROOF_CHAIN_UNSUPPORTED",
        ),
        ({"expires": "2030-01-01T00:00:00Z"}, "PROOF_EXPIRES_UNSUPPORTED"),
        ({"@context": ["https://www.w3.org/ns/credentials/v2"]}, "PROOF_CONTEXT_MISMATCH"),
        ({"verificationMethod": "did:example:issuer#key-1"}, "PROOF_KEY_UNRESOLVED"),
        ({"nonce": 2**60}, "PROOF_MALFORMED"),
        # the signature covers the proof options too
        ({"created": "2023-02-24T23:36:39Z"}, "PROOF_SIGNATURE_INVALID"),
        # created is optional (not malformed when absent), but was signed here
        ({"created": None}, "PROOF_SIGNATURE_INVALID"),
        (
            {"verificationMethod": "did:key:" + key_pair().public_multikey},
            "PROOF_SIGNATURE_INVALID",
        ),
        ({"nonce": "added"}, "PROOF_SIGNATURE_INVALID"),
    ],
)
def test_unverifiable_proofs_are_reported_not_raised(changes: dict[str, Any], code: str) -> None:
    [result] = verify_proofs(_with_proof(**changes), resolve_did_key)
    assert (result.ok, result.code) == (False, code)
    assert result.message_zh
    assert result.message_en


@pytest.mark.parametrize("proof", ["zabc", 7, [None], [VECTOR.signed["proof"], "x"]])
def test_proof_members_that_are_not_objects_are_reported(proof: Any) -> None:
    document = {**VECTOR.unsigned, "proof": proof}
    results = verify_proofs(document, resolve_did_key)
    assert results[-1].code == "PROOF_MALFORMED"
    assert not results[-1].ok
    with pytest.raises(RegistryError) as caught:
        proofs_of(document)
    assert caught.value.code == "PROOF_MALFORMED"


def test_resolver_errors_become_key_unresolved_with_their_code() -> None:
    def unknown(method: str) -> Ed25519PublicKey:
        raise not_found("ISSUER_KEY_UNKNOWN", "未知的密钥", "unknown key")

    [result] = verify_proofs(VECTOR.signed, unknown)
    assert result.code == "PROOF_KEY_UNRESOLVED"
    assert "ISSUER_KEY_UNKNOWN" in result.message_en
    assert "ISSUER_KEY_UNKNOWN" in result.message_zh


def test_wrong_key_fails_the_signature() -> None:
    other = private_key_from_multikey(multi_key_pairs()[0].private_multikey).public_key()
    [result] = verify_proofs(VECTOR.signed, lambda method: other)
    assert result.code == "PROOF_SIGNATURE_INVALID"


def test_document_beyond_jcs_is_reported() -> None:
    document = {**copy.deepcopy(VECTOR.signed), "count": 2**60}
    assert codes(document) == ["PROOF_DOCUMENT_NOT_CANONICALIZABLE"]


def test_document_without_proof_has_no_results() -> None:
    assert verify_proofs(VECTOR.unsigned, resolve_did_key) == []
    assert verify_proofs({**VECTOR.unsigned, "proof": []}, resolve_did_key) == []
    assert proofs_of(VECTOR.unsigned) == []


def test_document_without_context_gets_a_proof_without_context() -> None:
    document = {"id": "urn:example:1", "name": "沪苏浙"}
    signed = add_proof(document, SIGNING_KEY, vector_options())
    assert "@context" not in signed["proof"]
    assert codes(signed) == ["PROOF_VALID"]


# --- proof options -----------------------------------------------------------------------


def test_created_is_written_in_utc_to_the_second() -> None:
    shanghai = timezone(timedelta(hours=8))
    created = datetime(2024, 3, 1, 8, 0, 5, 999_999, tzinfo=shanghai)
    options = ProofOptions(VECTOR.proof_config["verificationMethod"], created)
    signed = add_proof(VECTOR.unsigned, SIGNING_KEY, options)
    assert signed["proof"]["created"] == "2024-03-01T00:00:05Z"


@pytest.mark.parametrize(
    ("method", "created", "purpose"),
    [
        ("did:key:z", datetime(2024, 1, 1), "assertionMethod"),  # naive time
        ("", datetime(2024, 1, 1, tzinfo=UTC), "assertionMethod"),
        ("did:key:z", datetime(2024, 1, 1, tzinfo=UTC), ""),
    ],
)
def test_bad_proof_options_are_refused(method: str, created: datetime, purpose: str) -> None:
    with pytest.raises(RegistryError) as caught:
        ProofOptions(method, created, purpose)
    assert caught.value.code == "PROOF_OPTIONS_INVALID"


# --- proof sets (proof-set-chain/) -------------------------------------------------------


def _set_signers() -> list[tuple[dict[str, Any], Any]]:
    """Config and private key of each proof of ``signedProofSet2.json``, in order."""
    pairs = multi_key_pairs()
    configs = [proof_set_file("proofSetConfig1.json"), proof_set_file("proofSetConfig2.json")]
    return [
        (config, private_key_from_multikey(pair.private_multikey))
        for config, pair in zip(configs, pairs[:2], strict=True)
    ]


def _set_options(config: dict[str, Any]) -> ProofOptions:
    return ProofOptions(
        config["verificationMethod"],
        datetime.fromisoformat(config["created"]),
        config["proofPurpose"],
        proof_id=config["id"],
    )


def _jcs_proof_set() -> dict[str, Any]:
    document: dict[str, Any] = proof_set_file("unsigned.json")
    for config, private_key in _set_signers():
        document = add_proof(document, private_key, _set_options(config))
    return document


def _without_suite_fields(proof: dict[str, Any]) -> dict[str, Any]:
    dropped = {"cryptosuite", "proofValue", "@context"}
    return {name: value for name, value in proof.items() if name not in dropped}


def test_proof_set_vector_keys_match_their_verification_methods() -> None:
    for config, private_key in _set_signers():
        assert did_key_verification_method(private_key.public_key()) == config["verificationMethod"]


def test_first_proof_is_an_object_like_signed_proof_set_1() -> None:
    config, private_key = _set_signers()[0]
    signed = add_proof(proof_set_file("unsigned.json"), private_key, _set_options(config))
    expected = proof_set_file("signedProofSet1.json")
    assert isinstance(signed["proof"], dict)
    assert _without_suite_fields(signed["proof"]) == _without_suite_fields(expected["proof"])
    assert codes(signed) == ["PROOF_VALID"]


def test_second_proof_makes_a_set_shaped_like_signed_proof_set_2() -> None:
    signed = _jcs_proof_set()
    expected = proof_set_file("signedProofSet2.json")
    assert isinstance(signed["proof"], list)
    assert [_without_suite_fields(proof) for proof in signed["proof"]] == [
        _without_suite_fields(proof) for proof in expected["proof"]
    ]
    assert {key: value for key, value in signed.items() if key != "proof"} == {
        key: value for key, value in expected.items() if key != "proof"
    }
    assert [proof["cryptosuite"] for proof in signed["proof"]] == [CRYPTOSUITE, CRYPTOSUITE]


def test_jcs_proof_set_verifies_member_by_member() -> None:
    results = verify_proofs(_jcs_proof_set(), resolve_did_key)
    assert [result.code for result in results] == ["PROOF_VALID", "PROOF_VALID"]
    assert [result.verification_method for result in results] == [
        config["verificationMethod"] for config, _ in _set_signers()
    ]


def test_every_set_member_signs_the_unsecured_document() -> None:
    signed = _jcs_proof_set()
    unsigned = proof_set_file("unsigned.json")
    for member, (config, private_key) in zip(signed["proof"], _set_signers(), strict=True):
        alone = add_proof(unsigned, private_key, _set_options(config))
        assert alone["proof"] == member
    reordered = {**signed, "proof": list(reversed(signed["proof"]))}
    assert codes(reordered) == ["PROOF_VALID", "PROOF_VALID"]
    assert codes({**signed, "proof": signed["proof"][1:]}) == ["PROOF_VALID"]


def test_a_broken_member_fails_alone() -> None:
    signed = _jcs_proof_set()
    value = signed["proof"][0]["proofValue"]
    signed["proof"][0]["proofValue"] = value[:-1] + _changed(value[-1])
    assert codes(signed) == ["PROOF_SIGNATURE_INVALID", "PROOF_VALID"]


def test_a_third_signer_joins_the_set() -> None:
    third = multi_key_pairs()[2]
    private_key = private_key_from_multikey(third.private_multikey)
    method = did_key_verification_method(private_key.public_key())
    created = datetime(2023, 2, 26, 22, 6, 38, tzinfo=UTC)
    signed = add_proof(_jcs_proof_set(), private_key, ProofOptions(method, created))
    assert len(proofs_of(signed)) == 3
    assert codes(signed) == ["PROOF_VALID"] * 3


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("signedProofSet1.json", ["PROOF_VALID"]),
        ("signedProofSet2.json", ["PROOF_VALID", "PROOF_VALID"]),
        (
            "signedProofChain2.json",
            ["PROOF_VALID", "PROOF_VALID", "PROOF_CHAIN_UNSUPPORTED", "PROOF_CHAIN_UNSUPPORTED"],
        ),
    ],
)
def test_rdfc_proof_set_vectors_verify_and_chains_are_reported(
    name: str, expected: list[str]
) -> None:
    document = proof_set_file(name)
    results = verify_proofs(document, resolve_did_key)
    assert [result.code for result in results] == expected
    assert [result.verification_method for result in results] == [
        proof["verificationMethod"] for proof in proofs_of(document)
    ]


def test_rdfc_proof_set_values_are_reproduced_byte_for_byte() -> None:
    document: dict[str, Any] = proof_set_file("unsigned.json")
    for config, private_key in _set_signers():
        document = add_proof_rdfc(document, private_key, _set_options(config))
    expected = proof_set_file("signedProofSet2.json")
    assert document == expected

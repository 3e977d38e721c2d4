"""eddsa-rdfc-2022 Data Integrity proofs, proven byte for byte by the W3C vc-di-eddsa vectors."""

from __future__ import annotations

import copy
import hashlib
from datetime import datetime
from typing import Any

import pytest

from registry.core.errors import RegistryError
from registry.core.formats.dataintegrity import (
    CRYPTOSUITES,
    JCS_CRYPTOSUITE,
    RDFC_CRYPTOSUITE,
    ProofOptions,
    add_proof,
    add_proof_jcs,
    add_proof_rdfc,
    rdfc_proof_hash_data,
    signer,
    verify_proofs,
)
from registry.core.formats.jsonld import canonical_nquads
from registry.core.formats.multibase import multibase_encode_base58btc
from registry.core.formats.multikey import private_key_from_multikey, resolve_did_key
from tests.support.vectors_dataintegrity import key_pair, rdfc_suite

VECTOR = rdfc_suite()
SIGNING_KEY = private_key_from_multikey(key_pair().private_multikey)


def vector_options(**changes: Any) -> ProofOptions:
    created = datetime.fromisoformat(VECTOR.proof_config["created"])
    fields: dict[str, Any] = {"cryptosuite": RDFC_CRYPTOSUITE, **changes}
    return ProofOptions(VECTOR.proof_config["verificationMethod"], created, **fields)


def codes(document: dict[str, Any]) -> list[str]:
    return [result.code for result in verify_proofs(document, resolve_did_key)]


def test_canonical_document_matches_the_vector() -> None:
    assert canonical_nquads(VECTOR.unsigned) == VECTOR.canonical_document


def test_canonical_proof_config_matches_the_vector() -> None:
    assert canonical_nquads(VECTOR.proof_config) == VECTOR.canonical_proof_config


def test_hashes_match_the_vector() -> None:
    document_hash = hashlib.sha256(VECTOR.canonical_document.encode()).hexdigest()
    proof_hash = hashlib.sha256(VECTOR.canonical_proof_config.encode()).hexdigest()
    assert document_hash == VECTOR.document_hash_hex
    assert proof_hash == VECTOR.proof_hash_hex
    config = {k: v for k, v in VECTOR.proof_config.items() if k != "@context"}
    combined = rdfc_proof_hash_data(config, VECTOR.unsigned)
    assert combined.hex() == VECTOR.combined_hash_hex == proof_hash + document_hash


def test_signature_matches_the_vector() -> None:
    combined = bytes.fromhex(VECTOR.combined_hash_hex)
    signature = SIGNING_KEY.sign(combined)
    assert signature.hex() == VECTOR.signature_hex
    assert multibase_encode_base58btc(signature) == VECTOR.proof_value


def test_signed_document_matches_the_vector_byte_for_byte() -> None:
    assert add_proof(VECTOR.unsigned, SIGNING_KEY, vector_options()) == VECTOR.signed
    assert add_proof_rdfc(VECTOR.unsigned, SIGNING_KEY, vector_options()) == VECTOR.signed


def test_the_vector_verifies() -> None:
    assert codes(VECTOR.signed) == ["PROOF_VALID"]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("name",), "Alumni Credential!"),
        (("credentialSubject", "alumniOf"), "The School of Example"),
        (("validFrom",), "2023-01-01T00:00:01Z"),
        (("proof", "created"), "2023-02-24T23:36:39Z"),
        (("proof", "verificationMethod"), VECTOR.proof_config["verificationMethod"] + "x"),
    ],
)
def test_a_changed_statement_breaks_the_signature(path: tuple[str, ...], value: str) -> None:
    document = copy.deepcopy(VECTOR.signed)
    target = document
    for name in path[:-1]:
        target = target[name]
    target[path[-1]] = value
    assert codes(document)[0] in {"PROOF_SIGNATURE_INVALID", "PROOF_KEY_UNRESOLVED"}


def test_rdfc_ignores_json_that_makes_no_rdf_difference() -> None:
    # Key order and whitespace are not signed; the RDF statements are.
    document = dict(reversed(list(copy.deepcopy(VECTOR.signed).items())))
    assert codes(document) == ["PROOF_VALID"]


def test_an_unknown_context_is_not_canonicalisable() -> None:
    document = copy.deepcopy(VECTOR.signed)
    document["@context"] = [*document["@context"], "https://example.org/unknown/v1"]
    [result] = verify_proofs(document, resolve_did_key)
    assert result.code == "PROOF_DOCUMENT_NOT_CANONICALIZABLE"
    assert "JSONLD_CONTEXT_UNKNOWN" in result.message_en
    with pytest.raises(RegistryError) as caught:
        add_proof_rdfc(
            {k: v for k, v in document.items() if k != "proof"}, SIGNING_KEY, vector_options()
        )
    assert caught.value.code == "JSONLD_CONTEXT_UNKNOWN"


def test_proof_context_must_be_a_prefix_of_the_documents() -> None:
    document = copy.deepcopy(VECTOR.signed)
    document["proof"]["@context"] = [VECTOR.signed["@context"][0]]
    assert codes(document) == ["PROOF_VALID"]
    document["proof"]["@context"] = [VECTOR.signed["@context"][1]]
    assert codes(document) == ["PROOF_CONTEXT_MISMATCH"]


def test_own_context_is_served_only_where_the_caller_says() -> None:
    own = "https://registry.example/contexts/v1"
    unsigned = {**VECTOR.unsigned, "@context": [*VECTOR.unsigned["@context"], own]}
    with pytest.raises(RegistryError):
        add_proof_rdfc(unsigned, SIGNING_KEY, vector_options())
    signed = add_proof_rdfc(unsigned, SIGNING_KEY, vector_options(own_context=own.__eq__))
    assert codes(signed) == ["PROOF_DOCUMENT_NOT_CANONICALIZABLE"]
    results = verify_proofs(signed, resolve_did_key, own_context=own.__eq__)
    assert [r.code for r in results] == ["PROOF_VALID"]


def test_suites_are_picked_by_name() -> None:
    assert CRYPTOSUITES == ("eddsa-jcs-2022", "eddsa-rdfc-2022")
    assert signer("eddsa-jcs-2022") is add_proof_jcs
    assert signer("eddsa-rdfc-2022") is add_proof_rdfc
    jcs = signer(JCS_CRYPTOSUITE)(VECTOR.unsigned, SIGNING_KEY, vector_options())
    assert jcs["proof"]["cryptosuite"] == JCS_CRYPTOSUITE
    assert codes(jcs) == ["PROOF_VALID"]
    with pytest.raises(RegistryError) as caught:
        signer("ecdsa-rdfc-2019")
    assert caught.value.code == "PROOF_UNSUPPORTED_CRYPTOSUITE"
    with pytest.raises(RegistryError) as options_error:
        vector_options(cryptosuite="eddsa-2022")
    assert options_error.value.code == "PROOF_OPTIONS_INVALID"


def test_a_mixed_proof_set_verifies_member_by_member() -> None:
    jcs = add_proof_jcs(VECTOR.unsigned, SIGNING_KEY, vector_options())
    both = add_proof_rdfc(jcs, SIGNING_KEY, vector_options())
    assert [proof["cryptosuite"] for proof in both["proof"]] == list(CRYPTOSUITES)
    assert codes(both) == ["PROOF_VALID", "PROOF_VALID"]

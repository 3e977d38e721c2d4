"""``core.verification.presentation``: a presentation's shape and its holder proof, each
rule with a case that holds and one that breaks it."""

from __future__ import annotations

import pytest

from registry.core.errors import ErrorKind, RegistryError
from registry.core.formats import dataintegrity
from registry.core.formats.multibase import multibase_encode_base58btc
from registry.core.formats.multikey import did_key_verification_method
from registry.core.verification.presentation import check_presentation
from tests.support.presentations import (
    holder_did,
    holder_key,
    presentation,
    sign_presentation,
)

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
}
KEY = holder_key()
HOLDER = holder_did(KEY)


def signed(**options):
    return sign_presentation(presentation([CREDENTIAL], HOLDER), KEY, **options)


def refused(document, code, **options):
    with pytest.raises(RegistryError) as caught:
        check_presentation(document, **options)
    assert caught.value.code == code
    return caught.value


def test_a_signed_presentation_answers_its_challenge_and_domain():
    checked = check_presentation(
        signed(challenge="c-1", domain="partner.example"), challenge="c-1", domain="partner.example"
    )
    assert checked.holder == HOLDER
    assert checked.credentials == (CREDENTIAL,)
    assert checked.proof.verification_method.startswith(HOLDER + "#")
    assert checked.proof.challenge == "c-1"


def test_a_proof_for_another_challenge_or_domain_is_refused():
    refused(signed(challenge="c-1"), "CHALLENGE_MISMATCH", challenge="c-2")
    refused(
        signed(challenge="c-1", domain="a.example"),
        "DOMAIN_MISMATCH",
        challenge="c-1",
        domain="b.example",
    )
    refused(signed(), "CHALLENGE_MISMATCH", challenge="c-1")


def test_an_altered_presentation_fails_its_signature():
    document = signed(challenge="c-1")
    document["verifiableCredential"] = []
    refused(document, "PRESENTATION_SIGNATURE_INVALID", challenge="c-1")


def test_a_proof_by_another_key_than_the_holders_is_refused():
    document = sign_presentation(presentation([CREDENTIAL], holder_did(holder_key(9))), KEY)
    refused(document, "HOLDER_KEY_MISMATCH")


def test_the_holder_proof_must_be_for_authentication():
    refused(signed(purpose="assertionMethod"), "PRESENTATION_PROOF_PURPOSE_INVALID")


def test_without_a_proof_only_when_no_challenge_was_asked():
    unsigned = presentation([CREDENTIAL])
    assert not check_presentation(unsigned).proof.present
    refused(unsigned, "PRESENTATION_PROOF_MISSING", challenge="c-1")
    refused(unsigned, "PRESENTATION_PROOF_MISSING", domain="partner.example")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"@context": ["https://www.w3.org/2018/credentials/v1"]}, "VC_V1_UNSUPPORTED"),
        ({"@context": []}, "PRESENTATION_CONTEXT_INVALID"),
        ({"@context": "https://www.w3.org/ns/credentials/v2"}, "PRESENTATION_CONTEXT_INVALID"),
        ({"type": ["VerifiableCredential"]}, "PRESENTATION_TYPE_INVALID"),
        ({"type": None}, "PRESENTATION_TYPE_INVALID"),
        ({"holder": "not a url"}, "PRESENTATION_HOLDER_INVALID"),
        ({"verifiableCredential": ["text"]}, "PRESENTATION_CREDENTIAL_INVALID"),
        ({"proof": "text"}, "PRESENTATION_PROOF_INVALID"),
    ],
)
def test_a_malformed_presentation_is_refused_with_its_code(change, code):
    document = {**presentation([CREDENTIAL]), **change}
    assert refused(document, code).kind == ErrorKind.INVALID


def test_a_presentation_that_is_not_an_object_is_malformed():
    assert refused(["VerifiablePresentation"], "PRESENTATION_MALFORMED").kind == ErrorKind.MALFORMED


def test_only_did_key_holder_proofs_are_taken():
    document = signed()
    document["proof"]["verificationMethod"] = "https://example.org/keys#1"
    del document["holder"]
    refused(document, "PRESENTATION_METHOD_UNSUPPORTED")


def test_a_proof_of_another_suite_is_refused():
    document = signed()
    document["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    refused(document, "PRESENTATION_PROOF_UNSUPPORTED")


def test_a_domain_list_may_name_the_verifiers_domain():
    document = sign_presentation(presentation([]), KEY, domain=["a.example", "b.example"])  # type: ignore[arg-type]
    assert check_presentation(document, domain="b.example").proof.present


def test_an_rdfc_holder_proof_is_verified_too():
    vp = presentation([], HOLDER)
    unsecured = dataintegrity.unsecured_document(vp)
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-12-01T00:00:00Z",
        "verificationMethod": did_key_verification_method(KEY.public_key()),
        "proofPurpose": "authentication",
        "challenge": "c-9",
    }
    signature = KEY.sign(dataintegrity.rdfc_proof_hash_data(proof, unsecured))
    signed_vp = {
        **unsecured,
        "proof": {**proof, "proofValue": multibase_encode_base58btc(signature)},
    }
    assert check_presentation(signed_vp, challenge="c-9").proof.present
    signed_vp["holder"] = holder_did(holder_key(3))
    refused(signed_vp, "HOLDER_KEY_MISMATCH", challenge="c-9")
    signed_vp["holder"] = HOLDER
    signed_vp["proof"]["challenge"] = "c-9"
    signed_vp["verifiableCredential"] = [CREDENTIAL]
    refused(signed_vp, "PRESENTATION_SIGNATURE_INVALID", challenge="c-9")

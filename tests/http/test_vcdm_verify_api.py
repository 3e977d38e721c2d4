"""VC-API ``POST /credentials/verify`` against VCDM 2.0: the ``data_model`` checks in the
answer, subject sets, rdfc proofs and status types a verifier cannot check."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from registry.core.formats import dataintegrity, multikey
from tests.support.api_checks import assert_not_verified, check_of
from tests.support.vectors_dataintegrity import key_pair, rdfc_suite

VECTOR = rdfc_suite()
KEY = multikey.private_key_from_multikey(key_pair().private_multikey)
MALFORMED = "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR"


def signed(suite: str = dataintegrity.RDFC_CRYPTOSUITE, **changes: Any) -> dict[str, Any]:
    """The W3C unsigned vector, issued by the vector key's did:key and signed by it."""
    document = copy.deepcopy(VECTOR.unsigned)
    document["issuer"] = multikey.did_key(KEY.public_key())
    document.update(changes)
    options = dataintegrity.ProofOptions(
        multikey.did_key_verification_method(KEY.public_key()),
        datetime.now(UTC) - timedelta(hours=1),
        cryptosuite=suite,
    )
    return dataintegrity.add_proof(document, KEY, options)


def verify(client, credential: dict[str, Any]):
    return client.post("/credentials/verify", json={"verifiableCredential": credential})


def data_model(answer: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [
        (c["outcome"], c["code"], c.get("detail", {}).get("pointer"))
        for c in answer["checks"]
        if c["check"] == "data_model"
    ]


def test_data_model_failures_are_listed_with_their_pointers(client):
    answer = assert_not_verified(verify(client, signed(issuer="fake-issuer")))
    assert data_model(answer) == [("failed", "VC_ISSUER_INVALID", "/issuer")]
    problem = next(p for p in answer["problemDetails"] if p["check"] == "data_model")
    assert problem["type"] == MALFORMED

    broken = signed(  # jcs: rdfc cannot even canonicalise the bad language value object
        dataintegrity.JCS_CRYPTOSUITE,
        credentialSubject={},
        evidence=[{"name": "seen"}],
        name={"@value": "Alumni", "@language": "en", "note": "x"},
    )
    answer = assert_not_verified(verify(client, broken))
    assert data_model(answer) == [
        ("failed", "VC_SUBJECT_NO_CLAIMS", "/credentialSubject"),
        ("failed", "VC_NAME_INVALID", "/name"),
        ("failed", "VC_EVIDENCE_INVALID", "/evidence/0"),
        ("failed", "JSONLD_INVALID", ""),  # the language value object does not expand
    ]
    assert check_of(answer, "signature")["outcome"] == "passed"

    unknown = signed()
    unknown["@context"] = [*unknown["@context"], "https://vc.example/contexts/private"]
    answer = assert_not_verified(verify(client, unknown))
    assert [code for _, code, _ in data_model(answer)] == ["JSONLD_CONTEXT_UNKNOWN"]

    v1 = copy.deepcopy(VECTOR.signed)
    v1["@context"] = ["https://www.w3.org/2018/credentials/v1"]
    answer = assert_not_verified(verify(client, v1))
    assert check_of(answer, "format")["code"] == "FORMAT_INVALID"
    assert [code for _, code, _ in data_model(answer)] == ["VC_V1_UNSUPPORTED"]


def test_a_did_key_credential_with_a_subject_set_verifies_with_its_issuer_unknown(client):
    subjects = [{"id": "did:example:a", "alumniOf": "A"}, {"id": "did:example:b", "alumniOf": "B"}]
    status = {"id": "https://vc.example/status/1#3", "type": "ExampleStatusEntry"}
    response = verify(client, signed(credentialSubject=subjects, credentialStatus=status))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["verified"] is True
    assert data_model(answer) == [("passed", "DATA_MODEL_VALID", None)]
    assert check_of(answer, "signature")["code"] == "SIGNATURE_VALID"
    assert check_of(answer, "issuer_known")["code"] == "ISSUER_NOT_IN_REGISTRY"
    assert check_of(answer, "status")["code"] == "STATUS_TYPE_NOT_CHECKED"
    assert check_of(answer, "status")["outcome"] == "warning"


def test_the_w3c_rdfc_vector_is_sound_but_its_issuer_does_not_control_the_key(client):
    answer = assert_not_verified(verify(client, VECTOR.signed))
    assert data_model(answer) == [("passed", "DATA_MODEL_VALID", None)]
    signature = check_of(answer, "signature")
    assert signature["code"] == "KEY_NOT_CONTROLLED_BY_ISSUER"
    assert signature["detail"]["proofs"][0]["valid"] is True

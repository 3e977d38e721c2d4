"""``POST /presentations/verify``: a holder presents credentials of ours; the holder proof
is checked with the verifier's challenge and domain, each credential as /credentials/verify
checks it."""

from __future__ import annotations

from registry.demo.data import DEMO_RECORDS, QINGPU_BUREAU
from tests.support.api_checks import VC_V2, assert_problem, check_of, issue, issuer_headers
from tests.support.presentations import holder_did, holder_key, presentation, sign_presentation

KEY = holder_key()
HOLDER = holder_did(KEY)


def generic_credential(client, demo):
    response = client.post(
        "/credentials/issue",
        json={
            "credential": {
                "@context": [VC_V2],
                "type": ["VerifiableCredential"],
                "credentialSubject": {"id": HOLDER, "name": "Example Holder"},
            }
        },
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 201, response.text
    return response.json()


def post_vp(client, vp, **options):
    body = {"verifiablePresentation": vp}
    if options:
        body["options"] = options
    return client.post("/presentations/verify", json=body)


def test_a_signed_presentation_of_our_credentials_verifies(client, demo):
    ours = issue(client, demo, DEMO_RECORDS[0])["verifiableCredential"]
    generic = generic_credential(client, demo)["verifiableCredential"]
    vp = sign_presentation(
        presentation([ours, generic], HOLDER), KEY, challenge="n-1", domain="hr.example"
    )
    response = post_vp(client, vp, challenge="n-1", domain="hr.example")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["verified"] is True
    assert body["presentationResult"]["holder"] == HOLDER
    assert body["presentationResult"]["proof"]["challenge"] == "n-1"
    assert [r["verified"] for r in body["credentialResults"]] == [True, True]


def test_a_revoked_credential_in_a_valid_presentation_answers_422_with_its_result(client, demo):
    issued = generic_credential(client, demo)
    revoked = client.post(
        f"/credentials/{issued['id']}/revoke",
        json={"reason": "issued_in_error"},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert revoked.status_code == 200, revoked.text
    vp = sign_presentation(
        presentation([issued["verifiableCredential"]], HOLDER), KEY, challenge="n-2"
    )
    response = post_vp(client, vp, challenge="n-2")
    assert response.status_code == 422, response.text
    result = response.json()["credentialResults"][0]
    assert result["verified"] is False
    assert check_of(result, "status")["detail"]["status"] == "revoked"


def test_a_wrong_challenge_is_a_problem_with_its_code(client, demo):
    vp = sign_presentation(presentation([], HOLDER), KEY, challenge="n-3")
    assert_problem(post_vp(client, vp, challenge="other"), 422, "CHALLENGE_MISMATCH")


def test_an_unsigned_presentation_without_challenge_verifies_its_credentials(client, demo):
    generic = generic_credential(client, demo)["verifiableCredential"]
    response = post_vp(client, presentation([generic]))
    assert response.status_code == 200, response.text
    assert response.json()["presentationResult"]["proof"] is None
    assert_problem(
        post_vp(client, presentation([generic]), challenge="n-4"), 422, "PRESENTATION_PROOF_MISSING"
    )


def test_a_presentation_without_its_type_or_context_is_refused(client):
    assert_problem(
        post_vp(client, {"@context": [VC_V2], "type": ["X"]}), 422, "PRESENTATION_TYPE_INVALID"
    )
    assert_problem(
        post_vp(client, {"type": ["VerifiablePresentation"]}), 422, "PRESENTATION_CONTEXT_INVALID"
    )


def test_unknown_options_are_refused(client):
    response = post_vp(client, presentation([]), checks=["proof"])
    assert_problem(response, 400, "REQUEST_INVALID")

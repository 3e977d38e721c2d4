"""``POST /credentials/issue`` for a generic VCDM 2.0 credential (no type of ours): what is
signed, the options the VC-API defines, lifecycle and status lists, and the QR routes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from registry.core.formats import dataintegrity
from registry.core.formats.statuslist import StatusList
from registry.demo.data import DEMO_RECORDS, QINGPU_BUREAU, WUJIANG_BUREAU
from registry.services.verification.verifier import Verifier
from registry.storage.repositories import IssuerRepository
from tests.support.api_checks import VC_V2, assert_problem, check_of, issuer_headers, issuer_id
from tests.support.fixtures import BASE_URL

EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"


def generic(**changes):
    credential = {
        "@context": [VC_V2, EXAMPLES_V2],
        "type": ["VerifiableCredential", "ExampleMembershipCredential"],
        "credentialSubject": {"id": "did:example:member", "memberOf": "YRD partner network"},
    }
    credential.update(changes)
    return {key: value for key, value in credential.items() if value is not None}


def post_issue(client, demo, credential, uscc=QINGPU_BUREAU.uscc, **options):
    body = {"credential": credential}
    if options:
        body["options"] = options
    return client.post("/credentials/issue", json=body, headers=issuer_headers(demo, uscc))


def issued_generic(client, demo, **options):
    response = post_issue(client, demo, generic(), **options)
    assert response.status_code == 201, response.text
    return response.json()


def verify(client, credential):
    return client.post("/credentials/verify", json={"verifiableCredential": credential}).json()


def test_a_generic_credential_is_signed_with_id_issuer_and_two_status_entries(client, demo):
    body = issued_generic(client, demo)
    credential = body["verifiableCredential"]
    assert credential["id"] == f"urn:uuid:{body['id']}"
    assert str(uuid.UUID(body["id"])) == body["id"]
    assert credential["issuer"] == issuer_id(QINGPU_BUREAU.uscc)
    assert credential["credentialSubject"]["memberOf"] == "YRD partner network"
    assert credential["@context"] == [VC_V2, EXAMPLES_V2]
    entries = credential["credentialStatus"]
    assert [e["statusPurpose"] for e in entries] == ["revocation", "suspension"]
    assert {e["type"] for e in entries} == {"BitstringStatusListEntry"}
    assert entries[0]["statusListIndex"] == entries[1]["statusListIndex"]
    assert (
        entries[0]["statusListCredential"] == f"{BASE_URL}/status/{QINGPU_BUREAU.uscc}/revocation"
    )
    proof = credential["proof"]
    assert proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["verificationMethod"].startswith(issuer_id(QINGPU_BUREAU.uscc) + "#")
    assert "qr" not in body and "electronicLicenceId" not in body
    assert body["transparency"]["leafIndex"] >= 0


def test_a_generic_credential_of_ours_verifies_with_its_stored_status(client, demo):
    answer = verify(client, issued_generic(client, demo)["verifiableCredential"])
    assert answer["verified"] is True, answer
    assert check_of(answer, "status")["code"] == "STATUS_ACTIVE"
    assert check_of(answer, "issuer_known")["outcome"] == "passed"


@pytest.mark.parametrize(
    ("action", "reason", "state", "purpose"),
    [
        ("revoke", "issued_in_error", "revoked", "revocation"),
        ("suspend", "under_investigation", "suspended", "suspension"),
    ],
)
def test_lifecycle_shows_in_the_answer_and_the_status_list(
    client, demo, action, reason, state, purpose
):
    body = issued_generic(client, demo)
    response = client.post(
        f"/credentials/{body['id']}/{action}",
        json={"reason": reason},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 200, response.text
    answer = verify(client, body["verifiableCredential"])
    assert answer["verified"] is False
    assert check_of(answer, "status")["detail"]["status"] == state
    index = int(body["verifiableCredential"]["credentialStatus"][0]["statusListIndex"])
    listed = client.get(f"/status/{QINGPU_BUREAU.uscc}/{purpose}").json()
    assert StatusList.decode(listed["credentialSubject"]["encodedList"]).get(index)


def test_a_copy_altered_and_unsigned_does_not_borrow_the_stored_status(client, demo):
    credential = issued_generic(client, demo)["verifiableCredential"]
    credential["credentialSubject"]["memberOf"] = "someone else"
    answer = verify(client, credential)
    assert answer["verified"] is False
    assert check_of(answer, "signature")["outcome"] == "failed"


@pytest.mark.parametrize(
    "credential_id", ["urn:uuid:{u}", f"{BASE_URL}/credentials/{{u}}"], ids=["urn", "url"]
)
def test_credential_id_option_and_credential_id_are_honoured(client, demo, credential_id):
    wanted = credential_id.format(u=uuid.uuid4())
    body = issued_generic(client, demo, credentialId=wanted)
    assert body["verifiableCredential"]["id"] == wanted
    again = post_issue(client, demo, generic(id=wanted))
    assert_problem(again, 409, "CREDENTIAL_ID_TAKEN")


BAD_IDS = ["https://elsewhere.example/credentials/1", "urn:uuid:not-a-uuid", "example:1"]


def test_a_foreign_or_malformed_credential_id_is_refused(client, demo):
    for bad in BAD_IDS:  # one app for every case: the refusals write nothing
        assert_problem(post_issue(client, demo, generic(id=bad)), 422, "CREDENTIAL_ID_INVALID")
        response = post_issue(client, demo, generic(), credentialId=bad)
        assert_problem(response, 422, "CREDENTIAL_ID_INVALID")


REFUSED_OPTIONS = [
    ({"mandatoryPointers": ["/issuer"]}, 422, "MANDATORY_POINTERS_UNSUPPORTED"),
    ({"credentialStatus": {"type": "StatusList2021Entry"}}, 422, "STATUS_TYPE_UNSUPPORTED"),
    (
        {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "message"}},
        422,
        "STATUS_PURPOSE_UNSUPPORTED",
    ),
    ({"cryptosuite": "ecdsa-sd-2023"}, 422, "CRYPTOSUITE_UNSUPPORTED"),
]


def test_options_the_issuer_cannot_honour_are_refused(client, demo):
    for options, status, code in REFUSED_OPTIONS:
        assert_problem(post_issue(client, demo, generic(), **options), status, code)


def test_status_purposes_revocation_and_suspension_are_accepted(client, demo):
    status = {"type": "BitstringStatusListEntry", "statusPurpose": ["revocation", "suspension"]}
    body = issued_generic(client, demo, credentialStatus=status)
    assert len(body["verifiableCredential"]["credentialStatus"]) == 2


VC_V1 = [
    generic(**{"@context": ["https://www.w3.org/2018/credentials/v1"]}),
    generic(issuanceDate="2026-01-01T00:00:00Z"),
]


def test_vc_1_1_input_is_refused(client, demo):
    for credential in VC_V1:
        body = assert_problem(post_issue(client, demo, credential), 422, "VC_V1_UNSUPPORTED")
        assert "VC 1.1" in body["message"]["en"]


MALFORMED = [
    ({"@context": [EXAMPLES_V2]}, "CONTEXT_INVALID"),
    ({"type": ["ExampleMembershipCredential"]}, "TYPE_INVALID"),
    ({"credentialSubject": {"id": "did:example:member"}}, "SUBJECT_INVALID"),
    ({"credentialSubject": []}, "SUBJECT_INVALID"),
    ({"validFrom": "yesterday"}, "DATETIME_INVALID"),
    ({"evidence": [{"id": "https://example.org/e/1"}]}, "ENTRY_TYPE_MISSING"),
    ({"credentialSchema": {"type": "JsonSchema"}}, "ENTRY_TYPE_MISSING"),
    ({"proof": {"type": "DataIntegrityProof"}}, "ISSUER_OWNED_PROPERTY"),
    ({"credentialStatus": {"type": "BitstringStatusListEntry"}}, "ISSUER_OWNED_PROPERTY"),
]


def test_malformed_generic_credentials_are_refused(client, demo):
    for changes, code in MALFORMED:
        response = post_issue(client, demo, generic(**changes))
        assert response.status_code == 422, response.text
        assert response.json()["code"] == code, (changes, response.json())


def test_a_credential_naming_another_issuer_is_forbidden(client, demo):
    credential = generic(issuer=issuer_id(WUJIANG_BUREAU.uscc))
    assert_problem(post_issue(client, demo, credential), 403, "ISSUER_MISMATCH")


def test_an_issuer_object_naming_the_caller_is_kept(client, demo):
    named = {"id": issuer_id(QINGPU_BUREAU.uscc), "name": "青浦区人社局"}
    response = post_issue(client, demo, generic(issuer=named))
    assert response.status_code == 201, response.text
    assert response.json()["verifiableCredential"]["issuer"] == named


def test_the_qr_routes_answer_a_clear_404_for_a_generic_credential(client, demo):
    body = issued_generic(client, demo)
    for route in ("/qr", "/qr.svg", "/qr.png"):
        response = client.get(
            f"/api/v1/credentials/{body['id']}{route}",
            headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
        )
        assert_problem(response, 404, "QR_NOT_AVAILABLE")


def test_the_issuer_reads_a_generic_credential_back(client, demo):
    body = issued_generic(client, demo)
    response = client.get(
        f"/api/v1/credentials/{body['id']}", headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
    )
    assert response.status_code == 200, response.text
    assert response.json()["verifiableCredential"] == body["verifiableCredential"]
    assert response.json()["status"] == "active"


def test_an_idempotent_retry_answers_the_first_generic_credential(client, demo):
    first = issued_generic(client, demo, idempotencyKey="generic-1")
    again = post_issue(client, demo, generic(), idempotencyKey="generic-1")
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first["id"]
    assert "qr" not in again.json()


PERSONAL = [
    {"id": "did:example:member", "note": "holder 310118197811169912"},
    {"id": "did:example:member", "idNumber": "masked"},
    {"id": "did:example:member", "people": [{"passportNumber": "E12345678"}]},
]


def test_a_generic_credential_may_carry_no_personal_number(client, demo):
    for subject in PERSONAL:  # an ID number in text, an idNumber key, a passportNumber key
        response = post_issue(client, demo, generic(credentialSubject=subject))
        body = assert_problem(response, 422, "PERSONAL_NUMBER_NOT_ALLOWED")
        assert "310118197811169912" not in response.text
        assert body["errors"][0]["pointer"] == "/credential/credentialSubject"


def test_a_number_that_fails_the_id_check_character_is_just_text(client, demo):
    subject = {"id": "did:example:member", "memberNumber": "310118197811169913"}
    assert post_issue(client, demo, generic(credentialSubject=subject)).status_code == 201


def test_eddsa_rdfc_2022_is_signed_on_request_and_verifies(client, demo):
    body = issued_generic(client, demo, cryptosuite="eddsa-rdfc-2022")
    credential = body["verifiableCredential"]
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    answer = verify(client, credential)
    assert answer["verified"] is True, answer
    assert check_of(answer, "status")["code"] == "STATUS_ACTIVE"


def test_our_record_types_are_signed_with_jcs_only(client, demo):
    body = {
        "credential": DEMO_RECORDS[0].issuance_request(),
        "options": {"cryptosuite": "eddsa-rdfc-2022"},
    }
    response = client.post(
        "/credentials/issue", json=body, headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
    )
    assert_problem(response, 422, "CRYPTOSUITE_NOT_APPLICABLE")


def test_a_term_the_contexts_do_not_define_is_refused_before_signing(client, demo):
    credential = generic(**{"@context": [VC_V2]})  # no examples context: memberOf is undefined
    body = assert_problem(post_issue(client, demo, credential), 422, "DATA_MODEL_INVALID")
    assert {e["code"] for e in body["errors"]} == {"VC_TERM_UNDEFINED"}
    assert body["errors"][0]["pointer"].startswith("/credential/")


def test_each_entry_points_at_a_list_of_its_purpose_signed_by_the_issuer(client, demo):
    credential = issued_generic(client, demo)["verifiableCredential"]
    for entry in credential["credentialStatus"]:
        listed = client.get(entry["statusListCredential"].removeprefix(BASE_URL)).json()
        assert listed["id"] == entry["statusListCredential"]
        assert listed["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
        bits = StatusList.decode(listed["credentialSubject"]["encodedList"])
        assert bits.entries >= 131_072
        assert int(entry["statusListIndex"]) < bits.entries
        assert listed["proof"]["verificationMethod"].startswith(issuer_id(QINGPU_BUREAU.uscc) + "#")
        assert verify(client, listed)["verified"] is True


def test_an_offline_verifier_reads_a_generic_credentials_status_from_the_lists(
    client, demo, registry
):
    body = issued_generic(client, demo)
    client.post(
        f"/credentials/{body['id']}/suspend",
        json={"reason": "under_investigation"},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    lists = [
        client.get(f"/status/{QINGPU_BUREAU.uscc}/{purpose}").json()
        for purpose in ("revocation", "suspension")
    ]
    verifier = Verifier(registry)
    now = datetime.now(UTC)
    verifier.add_status_lists(lists, now)
    status = next(
        c
        for c in verifier.credential(body["verifiableCredential"], now=now).checks
        if c.name == "status"
    )
    assert (status.code, status.detail["source"]) == ("STATUS_SUSPENDED", "status-list")


def test_no_holder_link_and_no_certificate_for_a_generic_credential(client, demo):
    body = issued_generic(client, demo)
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    link = client.post(f"/credentials/{body['id']}/holder-link", headers=headers)
    assert_problem(link, 404, "HOLDER_LINK_NOT_AVAILABLE")
    pdf = client.get(f"/api/v1/credentials/{body['id']}/certificate.pdf", headers=headers)
    assert_problem(pdf, 404, "CERTIFICATE_NOT_AVAILABLE")


def test_a_malformed_status_entry_signed_by_our_issuer_fails_the_status_check(
    client, demo, registry
):
    credential = issued_generic(client, demo)["verifiableCredential"]
    proof = credential.pop("proof")
    credential["credentialStatus"][0]["statusListIndex"] = 42  # a number, not decimal text
    with registry.reading() as session:
        _, key_row = IssuerRepository(session).with_signing_key(QINGPU_BUREAU.uscc)
    assert key_row is not None
    options = dataintegrity.ProofOptions(proof["verificationMethod"], datetime.now(UTC))
    resigned = dataintegrity.add_proof(credential, registry.keystore.private_key(key_row), options)
    answer = verify(client, resigned)
    assert check_of(answer, "signature")["outcome"] == "passed"
    assert check_of(answer, "status")["code"] == "STATUS_ENTRY_INVALID"
    assert answer["verified"] is False

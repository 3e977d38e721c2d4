"""``POST /credentials/issue``: what an issuer gets back, and what it may not issue."""

from __future__ import annotations

import re
import uuid

import pytest

from registry.demo.data import (
    DEMO_PEOPLE,
    DEMO_RECORDS,
    JIASHAN_BUREAU,
    JOINT_MECHANICAL_COMMITTEE,
    QINGPU_BUREAU,
    WUJIANG_BUREAU,
)
from tests.support.api_checks import (
    VC_V2,
    assert_problem,
    credential_count,
    issue,
    issuer_headers,
    issuer_id,
)
from tests.support.fixtures import BASE_URL, bearer

TITLE_RECORD = DEMO_RECORDS[0]  # Qingpu bureau, 王建华, 工程师
JOINT_RECORD = DEMO_RECORDS[4]  # joint committee, 欧阳振华, 高级工程师
MASKED_ID = re.compile(r"^\*{14}[0-9]{3}[0-9X]$")


def _person(record):
    number = record.credential["credentialSubject"]["idNumber"]
    return next(p for p in DEMO_PEOPLE if p.id_number == number)


@pytest.mark.parametrize("record", [TITLE_RECORD, JOINT_RECORD], ids=["title", "joint"])
def test_both_title_types_are_issued_with_201(client, demo, registry, record):
    before = credential_count(registry)
    response = client.post(
        "/credentials/issue",
        json={"credential": record.issuance_request()},
        headers=issuer_headers(demo, record.issuer_uscc),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert str(uuid.UUID(body["id"])) == body["id"]
    record_type = record.credential["type"][1]
    assert body["verifiableCredential"]["type"] == ["VerifiableCredential", record_type]
    assert body["qr"]["payload"].startswith("RC1:")
    assert body["qr"]["url"] == f"{BASE_URL}/v#{body['qr']['payload']}"
    assert credential_count(registry) == before + 1


def test_issued_credential_carries_the_registry_identifiers(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    credential = issued["verifiableCredential"]
    uscc = QINGPU_BUREAU.uscc
    assert credential["@context"] == [VC_V2, f"{BASE_URL}/contexts/v1"]
    assert credential["id"] == f"{BASE_URL}/credentials/{issued['id']}"
    assert credential["id"].rsplit("/", 1)[-1] == issued["id"]
    assert credential["issuer"] == {"id": issuer_id(uscc), "name": QINGPU_BUREAU.name_zh}
    assert credential["credentialSchema"] == {
        "id": f"{BASE_URL}/schemas/ProfessionalTitleCredential/v1.schema.json",
        "type": "JsonSchema",
    }


def test_issued_credential_has_bitstring_status_entries(client, demo):
    entries = issue(client, demo, TITLE_RECORD)["verifiableCredential"]["credentialStatus"]
    assert [entry["statusPurpose"] for entry in entries] == ["revocation", "suspension"]
    index = entries[0]["statusListIndex"]
    assert index.isdigit()
    assert 0 <= int(index) < 131_072
    for status in entries:
        list_url = f"{BASE_URL}/status/{QINGPU_BUREAU.uscc}/{status['statusPurpose']}"
        assert status["type"] == "BitstringStatusListEntry"
        assert status["statusListCredential"] == list_url
        assert status["statusListIndex"] == index
        assert status["id"] == f"{list_url}#{index}"


@pytest.mark.parametrize("record", [TITLE_RECORD, JOINT_RECORD], ids=["title", "joint"])
def test_id_number_is_masked_and_never_returned_in_clear(client, demo, record):
    clear = _person(record).id_number
    response = client.post(
        "/credentials/issue",
        json={"credential": record.issuance_request()},
        headers=issuer_headers(demo, record.issuer_uscc),
    )
    assert response.status_code == 201
    masked = response.json()["verifiableCredential"]["credentialSubject"]["idNumber"]
    assert MASKED_ID.match(masked)
    assert masked == "*" * 14 + clear[-4:]
    assert clear not in response.text
    assert clear[4:14] not in response.text  # the hidden middle (birth date and sequence)


def test_issued_proof_is_eddsa_jcs_2022_by_the_issuer_key(client, demo):
    proof = issue(client, demo, TITLE_RECORD)["verifiableCredential"]["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert re.fullmatch(
        re.escape(issuer_id(QINGPU_BUREAU.uscc)) + "#[0-9a-f]{16}", proof["verificationMethod"]
    )
    assert proof["proofValue"].startswith("z")


def test_joint_title_carries_a_proof_set_of_four(client, demo):
    proofs = issue(client, demo, JOINT_RECORD)["verifiableCredential"]["proof"]
    assert isinstance(proofs, list)
    assert len(proofs) == 4
    controllers = [p["verificationMethod"].split("#")[0] for p in proofs]
    assert controllers[0] == issuer_id(JOINT_MECHANICAL_COMMITTEE.uscc)
    assert sorted(controllers[1:]) == sorted(
        issuer_id(b.uscc) for b in (QINGPU_BUREAU, WUJIANG_BUREAU, JIASHAN_BUREAU)
    )
    assert len({p["proofValue"] for p in proofs}) == 4
    assert all(p["cryptosuite"] == "eddsa-jcs-2022" for p in proofs)


def test_issuer_is_taken_from_the_token_not_the_body(client, demo):
    # The Qingpu request sent with the Wujiang bureau's token is Wujiang's record.
    response = client.post(
        "/credentials/issue",
        json={"credential": TITLE_RECORD.issuance_request()},
        headers=issuer_headers(demo, WUJIANG_BUREAU.uscc),
    )
    assert response.status_code == 201
    credential = response.json()["verifiableCredential"]
    assert credential["issuer"]["id"] == issuer_id(WUJIANG_BUREAU.uscc)
    assert credential["proof"]["verificationMethod"].startswith(
        issuer_id(WUJIANG_BUREAU.uscc) + "#"
    )


@pytest.mark.parametrize("form", ["string", "object"])
def test_body_may_name_the_token_issuer(client, demo, form):
    request = TITLE_RECORD.issuance_request()
    own = issuer_id(QINGPU_BUREAU.uscc)
    request["issuer"] = own if form == "string" else {"id": own, "name": "任意名称"}
    response = client.post(
        "/credentials/issue",
        json={"credential": request},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 201, response.text
    # The registry's own name wins over whatever name the request gave.
    assert response.json()["verifiableCredential"]["issuer"] == {
        "id": own,
        "name": QINGPU_BUREAU.name_zh,
    }


@pytest.mark.parametrize("form", ["string", "object"])
def test_body_naming_another_issuer_is_refused(client, demo, registry, form):
    request = TITLE_RECORD.issuance_request()
    other = issuer_id(WUJIANG_BUREAU.uscc)
    request["issuer"] = other if form == "string" else {"id": other}
    before = credential_count(registry)
    response = client.post(
        "/credentials/issue",
        json={"credential": request},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert_problem(response, 403, "ISSUER_MISMATCH")
    assert credential_count(registry) == before


def test_bureau_token_may_not_issue_a_joint_title(client, demo, registry):
    before = credential_count(registry)
    response = client.post(
        "/credentials/issue",
        json={"credential": JOINT_RECORD.issuance_request()},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert_problem(response, 403, "ISSUER_OUT_OF_SCOPE")
    assert credential_count(registry) == before


def test_committee_token_may_not_issue_a_single_region_title(client, demo, registry):
    before = credential_count(registry)
    response = client.post(
        "/credentials/issue",
        json={"credential": TITLE_RECORD.issuance_request()},
        headers=issuer_headers(demo, JOINT_MECHANICAL_COMMITTEE.uscc),
    )
    assert_problem(response, 403, "ISSUER_OUT_OF_SCOPE")
    assert credential_count(registry) == before


def test_partner_token_may_not_issue(client, demo, registry):
    before = credential_count(registry)
    response = client.post(
        "/credentials/issue",
        json={"credential": TITLE_RECORD.issuance_request()},
        headers=bearer(demo.tokens["partner:310118"]),
    )
    body = assert_problem(response, 403, "ROLE_FORBIDDEN")
    assert "issuer" in body["message"]["en"]
    assert credential_count(registry) == before


def test_admin_token_is_not_bound_to_an_issuer(client, demo, registry):
    before = credential_count(registry)
    response = client.post(
        "/credentials/issue",
        json={"credential": TITLE_RECORD.issuance_request()},
        headers=bearer(demo.tokens["admin"]),
    )
    assert_problem(response, 403, "TOKEN_NOT_ISSUER")
    assert credential_count(registry) == before


def test_same_idempotency_key_and_body_replays_the_record(client, demo, registry):
    first = issue(client, demo, TITLE_RECORD, key="batch-2024-001")
    after_first = credential_count(registry)
    again = client.post(
        "/credentials/issue",
        json={
            "credential": TITLE_RECORD.issuance_request(),
            "options": {"idempotencyKey": "batch-2024-001"},
        },
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first["id"]
    assert again.json()["verifiableCredential"] == first["verifiableCredential"]
    assert again.json()["qr"] == first["qr"]
    assert credential_count(registry) == after_first


def test_same_idempotency_key_with_another_body_is_a_conflict(client, demo, registry):
    issue(client, demo, TITLE_RECORD, key="batch-2024-002")
    before = credential_count(registry)
    changed = TITLE_RECORD.issuance_request()
    changed["credentialSubject"]["professionalTitle"]["obtainedOn"] = "2020-12-30"
    response = client.post(
        "/credentials/issue",
        json={"credential": changed, "options": {"idempotencyKey": "batch-2024-002"}},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert_problem(response, 409, "IDEMPOTENCY_KEY_REUSED")
    assert credential_count(registry) == before


def test_idempotency_keys_belong_to_one_issuer(client, demo, registry):
    first = issue(client, demo, TITLE_RECORD, key="shared-key")
    response = client.post(
        "/credentials/issue",
        json={
            "credential": TITLE_RECORD.issuance_request(),
            "options": {"idempotencyKey": "shared-key"},
        },
        headers=issuer_headers(demo, WUJIANG_BUREAU.uscc),
    )
    assert response.status_code == 201
    assert response.json()["id"] != first["id"]


def test_without_a_key_each_request_is_a_new_record(client, demo):
    first = issue(client, demo, TITLE_RECORD)
    second = issue(client, demo, TITLE_RECORD)
    assert first["id"] != second["id"]


def test_title_name_must_match_the_level(client, demo, registry):
    request = TITLE_RECORD.issuance_request()
    request["credentialSubject"]["professionalTitle"]["titleName"] = "高级工程师"  # level 中级
    before = credential_count(registry)
    response = client.post(
        "/credentials/issue",
        json={"credential": request},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert_problem(response, 422, "TITLE_NAME_MISMATCH")
    assert credential_count(registry) == before


def test_stated_validity_is_normalised_to_utc(client, demo):
    request = TITLE_RECORD.issuance_request()
    request["validFrom"] = "2020-01-01T08:00:00+08:00"
    request["validUntil"] = "2030-12-31T00:00:00+08:00"
    response = client.post(
        "/credentials/issue",
        json={"credential": request},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 201, response.text
    credential = response.json()["verifiableCredential"]
    assert credential["validFrom"] == "2020-01-01T00:00:00Z"
    assert credential["validUntil"] == "2030-12-30T16:00:00Z"


def test_request_carrying_a_proof_is_refused(client, demo, registry):
    request = TITLE_RECORD.issuance_request()
    request["proof"] = {"type": "DataIntegrityProof"}
    before = credential_count(registry)
    response = client.post(
        "/credentials/issue",
        json={"credential": request},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    body = assert_problem(response, 422, "CREDENTIAL_SCHEMA_INVALID")
    assert [e["pointer"].rsplit("/", 1)[-1] for e in body["errors"]] == ["proof"]
    assert credential_count(registry) == before


def test_a_type_of_none_of_ours_is_a_generic_credential_checked_as_such(client, demo, registry):
    """No longer RECORD_TYPE_UNSUPPORTED: the VC-API issues any VCDM 2.0 credential, and
    this one, without the credentials v2 context, is not one."""
    request = TITLE_RECORD.issuance_request()
    request["type"] = ["VerifiableCredential", "DriverLicence"]
    before = credential_count(registry)
    response = client.post(
        "/credentials/issue",
        json={"credential": request},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    body = assert_problem(response, 422, "CONTEXT_INVALID")
    assert [e["pointer"] for e in body["errors"]] == ["/credential/@context"]
    request["@context"] = [VC_V2]
    response = client.post(
        "/credentials/issue",
        json={"credential": request},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert_problem(response, 422, "PERSONAL_NUMBER_NOT_ALLOWED")
    assert credential_count(registry) == before


def test_a_refused_request_does_not_use_up_its_idempotency_key(client, demo, registry):
    broken = TITLE_RECORD.issuance_request()
    broken["credentialSubject"]["professionalTitle"]["titleName"] = "高级工程师"
    body = {"credential": broken, "options": {"idempotencyKey": "retry-after-fix"}}
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    assert client.post("/credentials/issue", json=body, headers=headers).status_code == 422
    body["credential"] = TITLE_RECORD.issuance_request()
    response = client.post("/credentials/issue", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert credential_count(registry) == len(demo.records) + 1


@pytest.mark.parametrize(
    "key",
    ["", "k" * 129, "tab\tinside", "batch:2026-qp:0", "sheet:2026-qp:2"],
    ids=["empty", "too-long", "control-character", "session-item", "session-row"],
)
def test_an_unusable_idempotency_key_is_refused_before_anything_is_stored(
    client, demo, registry, key
):
    """Over 128 characters it would not fit its column (a 500 on PostgreSQL before this
    check); review sessions' row keys are not a client's to take."""
    before = credential_count(registry)
    response = client.post(
        "/credentials/issue",
        json={"credential": TITLE_RECORD.issuance_request(), "options": {"idempotencyKey": key}},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    problem = assert_problem(response, 422, "IDEMPOTENCY_KEY_INVALID")
    assert [error["pointer"] for error in problem["errors"]] == ["/options/idempotencyKey"]
    assert credential_count(registry) == before


def test_a_key_of_128_characters_is_taken(client, demo):
    assert issue(client, demo, TITLE_RECORD, key="k" * 128)["id"]

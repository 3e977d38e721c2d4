"""Verification over HTTP: VC-API ``/credentials/verify``, the partner API with its
purpose and region, the public scan and the ID-number match."""

from __future__ import annotations

import json

import pytest

from registry.demo.data import (
    DEMO_PEOPLE,
    DEMO_RECORDS,
    JIASHAN_BUREAU,
    QINGPU_BUREAU,
    demo_id_number,
)
from registry.services.people.access_log import access_entries
from tests.support.api_checks import (
    CHECK_NAMES,
    assert_not_verified,
    assert_problem,
    check_of,
    issue,
)
from tests.support.fixtures import bearer
from tests.support.vectors_dataintegrity import JCS_SUITE

TITLE_RECORD = DEMO_RECORDS[0]  # Qingpu bureau, 王建华
JOINT_RECORD = DEMO_RECORDS[4]  # joint committee, 欧阳振华; reviewed in all three regions
WANG, ZHANG = DEMO_PEOPLE[0], DEMO_PEOPLE[1]
SIGNED_JCS = (JCS_SUITE / "signedJCS.json").read_bytes()
JSON_HEADERS = {"content-type": "application/json"}


def _byte_positions() -> list[int]:
    """About fifty positions spread over the vector's text, plus the proof's key fields."""
    spread = set(range(0, len(SIGNED_JCS), len(SIGNED_JCS) // 48))
    marked = set()
    for marker in (b'"proofValue": "z', b'"created"', b'"verificationMethod"', b'"issuer"'):
        start = SIGNED_JCS.index(marker)
        marked.update({start, start + len(marker) - 1, start + len(marker) + 3})
    return sorted(spread | marked | {len(SIGNED_JCS) - 1, len(SIGNED_JCS) - 3})


@pytest.mark.parametrize("record", [TITLE_RECORD, JOINT_RECORD], ids=["title", "joint"])
def test_issued_credential_verifies_with_every_check(client, demo, record):
    issued = issue(client, demo, record)
    response = client.post(
        "/credentials/verify", json={"verifiableCredential": issued["verifiableCredential"]}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["verified"] is True
    assert answer["source"] == "credential"
    assert answer["status"] == "active"
    assert "problemDetails" not in answer
    names = ["format", "data_model", *CHECK_NAMES[1:]]  # a document's VCDM 2.0 checks
    assert [c["check"] for c in answer["checks"]] == names
    assert check_of(answer, "data_model")["code"] == "DATA_MODEL_VALID"
    joint = record is JOINT_RECORD
    expected_skipped = {"recognition"} if joint else {"recognition", "proof_set"}
    assert {c["check"] for c in answer["checks"] if c["outcome"] == "skipped"} == expected_skipped
    assert {c["check"] for c in answer["checks"] if c["outcome"] == "passed"} == set(
        names
    ) - expected_skipped
    assert check_of(answer, "proof_set")["code"] == (
        "PROOF_SET_COMPLETE" if joint else "PROOF_SET_NOT_REQUIRED"
    )
    assert len(check_of(answer, "signature")["detail"]["proofs"]) == (4 if joint else 1)
    assert answer["record"]["id"] == issued["id"]
    assert answer["issuer"]["uscc"] == record.issuer_uscc


def test_answer_holds_public_facts_only(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post(
        "/credentials/verify", json={"verifiableCredential": issued["verifiableCredential"]}
    )
    record = response.json()["record"]
    assert record["maskedName"] == "王*华"
    assert record["professionalTitle"]["titleName"] == {
        "code": "工程师",
        "zh": "工程师",
        "en": "Engineer",
    }
    assert "王建华" not in response.text
    assert "idNumber" not in response.text
    assert "certificateNumber" not in response.text


def test_w3c_eddsa_jcs_2022_vector_proof_holds_but_its_issuer_does_not_control_the_key(client):
    """The vector's issuer is an https URL unknown here and its proof is by a did:key: the
    proof itself is sound, but nothing binds that key to the issuer, so it is not verified."""
    response = client.post(
        "/credentials/verify",
        content=b'{"verifiableCredential": ' + SIGNED_JCS + b"}",
        headers=JSON_HEADERS,
    )
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["verified"] is False
    signature = check_of(answer, "signature")
    assert signature["code"] == "KEY_NOT_CONTROLLED_BY_ISSUER"
    assert signature["detail"]["proofs"][0]["valid"] is True
    assert check_of(answer, "issuer_known")["code"] == "ISSUER_UNKNOWN"
    assert answer["record"] is None


# The proof and JSON layers do not touch the store: these cases run on SQLite only.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("position", _byte_positions(), ids=lambda p: f"byte{p}")
def test_w3c_vector_with_one_byte_changed_never_verifies(client, position):
    # XOR 0x01 never turns JSON whitespace into whitespace, so every change alters the text.
    changed = bytearray(SIGNED_JCS)
    changed[position] ^= 0x01
    try:
        json.loads(bytes(changed))
        still_json = True
    except ValueError:
        still_json = False
    response = client.post(
        "/credentials/verify",
        content=b'{"verifiableCredential": ' + bytes(changed) + b"}",
        headers=JSON_HEADERS,
    )
    if still_json:
        answer = assert_not_verified(response)
        assert answer["checks"][0]["check"] == "format"
    else:
        assert_problem(response, 400, "MALFORMED_JSON")


def test_partner_verifies_a_qr_for_its_own_region(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post(
        "/api/v1/verify",
        json={"qr": issued["qr"]["url"], "purpose": "人才引进资格审核"},
        headers=bearer(demo.tokens[f"partner:{JIASHAN_BUREAU.region}"]),
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["verified"] is True
    assert answer["source"] == "qr"
    assert answer["record"]["id"] == issued["id"]
    assert answer["issuer"]["uscc"] == QINGPU_BUREAU.uscc
    assert answer["issuer"]["region"]["code"] == "310118"
    recognition = check_of(answer, "recognition")
    assert recognition["code"] == "RECOGNITION_AGREEMENT"
    assert recognition["outcome"] == "passed"
    assert recognition["detail"]["region"] == JIASHAN_BUREAU.region
    assert recognition["detail"]["agreement"]["id"] == "YRDZ-MR-2020"
    assert {e["kind"]: e["target"] for e in recognition["detail"]["equivalent"]} == {
        "title_name": "工程师",
        "level": "中级",
    }
    assert answer["warnings"] == []


def test_an_admin_verifies_a_credential_for_a_named_region(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post(
        "/api/v1/verify",
        json={
            "credential": issued["verifiableCredential"],
            "region": "310118",
            "purpose": "职称评审材料核验",
        },
        headers=bearer(demo.tokens["admin"]),
    )
    assert response.status_code == 200, response.text
    recognition = check_of(response.json(), "recognition")
    assert recognition["code"] == "RECOGNITION_NATIVE"
    assert recognition["outcome"] == "passed"
    assert recognition["detail"] == {"region": "310118", "via": "issuer"}


def test_a_partner_may_not_ask_as_another_region(client, demo, registry):
    issued = issue(client, demo, TITLE_RECORD)
    with registry.reading() as session:
        before = len(access_entries(session, issued["id"]))
    token = bearer(demo.tokens["partner:330421"])
    claimed = client.post(
        "/api/v1/verify",
        json={"qr": issued["qr"]["payload"], "region": "310118", "purpose": "核验"},
        headers=token,
    )
    body = assert_problem(claimed, 403, "REGION_MISMATCH")
    assert body["message"]["zh"] and body["message"]["en"]
    own = client.post(
        "/api/v1/verify",
        json={"qr": issued["qr"]["payload"], "region": "330421", "purpose": "核验"},
        headers=token,
    )
    assert own.status_code == 200
    with registry.reading() as session:
        entries = access_entries(session, issued["id"])
    assert len(entries) == before + 1
    assert entries[0].region == "330421"  # the claimed region was never logged


def test_joint_title_is_native_in_every_reviewing_region(client, demo):
    issued = issue(client, demo, JOINT_RECORD)
    for region in ("310118", "320509", "330421"):
        response = client.post(
            "/api/v1/verify",
            json={"qr": issued["qr"]["payload"], "purpose": "跨区域执业"},
            headers=bearer(demo.tokens[f"partner:{region}"]),
        )
        assert response.status_code == 200
        assert check_of(response.json(), "recognition")["code"] == "RECOGNITION_NATIVE"


def test_partner_region_must_be_a_division_code(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post(
        "/api/v1/verify",
        json={"qr": issued["qr"]["url"], "purpose": "核验", "region": "not-a-region"},
        headers=bearer(demo.tokens["partner:310118"]),
    )
    assert response.status_code == 422
    assert "not-a-region" not in response.text


def test_partner_must_give_a_purpose(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post(
        "/api/v1/verify",
        json={"qr": issued["qr"]["url"]},
        headers=bearer(demo.tokens["partner:310118"]),
    )
    body = assert_problem(response, 400, "REQUEST_INVALID")
    assert any("purpose" in e["message"]["en"] for e in body["errors"])


@pytest.mark.parametrize(
    "purpose", ["", "   ", "\t\n", "事" * 201], ids=["empty", "spaces", "ws", "long"]
)
def test_partner_purpose_must_be_stated_briefly(client, demo, purpose):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post(
        "/api/v1/verify",
        json={"qr": issued["qr"]["url"], "purpose": purpose},
        headers=bearer(demo.tokens["partner:310118"]),
    )
    assert_problem(response, 422, "PURPOSE_REQUIRED")


def test_partner_purpose_of_200_characters_is_enough(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post(
        "/api/v1/verify",
        json={"qr": issued["qr"]["url"], "purpose": "事" * 200},
        headers=bearer(demo.tokens["partner:310118"]),
    )
    assert response.status_code == 200


def test_partner_gives_exactly_one_of_qr_and_credential(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    headers = bearer(demo.tokens["partner:310118"])
    both = client.post(
        "/api/v1/verify",
        json={
            "qr": issued["qr"]["url"],
            "credential": issued["verifiableCredential"],
            "purpose": "核验",
        },
        headers=headers,
    )
    assert_problem(both, 422, "VERIFY_INPUT_REQUIRED")
    neither = client.post("/api/v1/verify", json={"purpose": "核验"}, headers=headers)
    assert_problem(neither, 422, "VERIFY_INPUT_REQUIRED")


def test_partner_api_needs_a_partner_token(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    body = {"qr": issued["qr"]["url"], "purpose": "核验"}
    assert_problem(client.post("/api/v1/verify", json=body), 401, "TOKEN_MISSING")
    issuer_token = bearer(demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"])
    assert_problem(
        client.post("/api/v1/verify", json=body, headers=issuer_token), 403, "ROLE_FORBIDDEN"
    )


def test_public_scan_verifies_payload_and_url(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    for text in (issued["qr"]["payload"], issued["qr"]["url"]):
        response = client.post("/api/v1/scan", json={"payload": text})
        assert response.status_code == 200, response.text
        assert response.json()["verified"] is True
        assert response.json()["record"]["id"] == issued["id"]


def test_match_answers_true_for_the_holder(client, demo):
    record_id = demo.records[0]  # 王建华's record
    response = client.post(
        "/api/v1/verify/match", json={"record": record_id, "idNumber": WANG.id_number}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "record": record_id,
        "match": True,
        "message": {"zh": "一致", "en": "match"},
    }
    assert WANG.id_number not in response.text


def test_match_answers_false_for_someone_else(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post(
        "/api/v1/verify/match", json={"record": issued["qr"]["url"], "idNumber": ZHANG.id_number}
    )
    assert response.status_code == 200
    assert response.json()["record"] == issued["id"]
    assert response.json()["match"] is False
    assert response.json()["message"] == {"zh": "不一致", "en": "no match"}


def _id_number_ending_in_x() -> str:
    """A fictional Qingpu resident ID whose check character is X."""
    for day in range(1, 29):
        for sequence in range(990, 1000):
            number = demo_id_number("310118", f"198808{day:02d}", sequence)
            if number.endswith("X"):
                return number
    raise AssertionError("no fictional ID number with check character X")


def test_match_accepts_a_lower_case_check_character(client, demo):
    number = _id_number_ending_in_x()
    request = TITLE_RECORD.issuance_request()
    request["credentialSubject"]["idNumber"] = number
    issued = client.post(
        "/credentials/issue",
        json={"credential": request},
        headers=bearer(demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"]),
    )
    assert issued.status_code == 201
    response = client.post(
        "/api/v1/verify/match",
        json={"record": issued.json()["id"], "idNumber": number.lower()},
    )
    assert response.status_code == 200
    assert response.json()["match"] is True


@pytest.mark.parametrize(
    "typed",
    [
        WANG.id_number[:-1] + ("0" if WANG.id_number[-1] != "0" else "1"),  # wrong check char
        WANG.id_number[:17],  # one character short
        WANG.id_number[:6] + "19781316" + WANG.id_number[14:],  # month 13
    ],
    ids=["check", "short", "date"],
)
def test_match_with_a_malformed_id_number_is_refused_without_echo(client, demo, typed):
    response = client.post(
        "/api/v1/verify/match", json={"record": demo.records[0], "idNumber": typed}
    )
    assert_problem(response, 422, "ID_NUMBER_INVALID")
    assert typed not in response.text
    assert typed[:17] not in response.text


def test_match_on_unknown_or_malformed_records(client, demo):
    unknown = client.post(
        "/api/v1/verify/match",
        json={"record": "00000000-0000-4000-8000-000000000000", "idNumber": WANG.id_number},
    )
    assert_problem(unknown, 404, "RECORD_UNKNOWN")
    malformed = client.post(
        "/api/v1/verify/match", json={"record": "record-1", "idNumber": WANG.id_number}
    )
    assert_problem(malformed, 422, "RECORD_ID_INVALID")
    bad_qr = client.post(
        "/api/v1/verify/match",
        json={
            "record": "https://talent.yrd-demo.example.cn/v#RC1:AAAA",
            "idNumber": WANG.id_number,
        },
    )
    assert_problem(bad_qr, 422, "QR_INVALID")

"""Bad input over HTTP: each refusal has its status, a stable code and both languages,
echoes no personal data, and writes nothing."""

from __future__ import annotations

import base64
import random
import zlib

import pytest

from registry.core.formats import qrcontainer
from registry.core.people.identifiers import uscc_check_char
from registry.demo.data import DEMO_PEOPLE, DEMO_RECORDS, QINGPU_BUREAU
from tests.support.api_checks import (
    assert_not_verified,
    assert_problem,
    check_of,
    credential_count,
    issue,
    issuer_headers,
)
from tests.support.fixtures import bearer

TITLE_RECORD = DEMO_RECORDS[0]  # Qingpu bureau, 王建华
JOINT_RECORD = DEMO_RECORDS[4]  # joint committee
WANG = DEMO_PEOPLE[0]
JSON_HEADERS = {"content-type": "application/json"}
MAX_BODY = 65_536
CRYPTO_ERROR = "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR"
PARSING_ERROR = "https://www.w3.org/TR/vc-data-model#PARSING_ERROR"
# Each POST endpoint with the token it needs (None: public).
ENDPOINTS = {
    "issue": ("/credentials/issue", f"issuer:{TITLE_RECORD.issuer_uscc}"),
    "verify": ("/credentials/verify", None),
    "partner": ("/api/v1/verify", "partner:310118"),
    "match": ("/api/v1/verify/match", None),
    "scan": ("/api/v1/scan", None),
}


def _post(client, demo, endpoint: str, **kwargs):
    path, token = ENDPOINTS[endpoint]
    headers = dict(kwargs.pop("headers", {}))
    if token:
        headers.update(bearer(demo.tokens[token]))
    return client.post(path, headers=headers, **kwargs)


def _issue_request(client, demo, credential, headers=None):
    return client.post(
        "/credentials/issue",
        json={"credential": credential},
        headers=headers if headers is not None else issuer_headers(demo, QINGPU_BUREAU.uscc),
    )


def _wrong_check(number: str, alphabet: str = "0123456789X") -> str:
    return number[:-1] + alphabet.replace(number[-1], "")[0]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_malformed_json_is_refused(client, demo, registry, endpoint):
    before = credential_count(registry)
    response = _post(client, demo, endpoint, content=b'{"a": ,}', headers=JSON_HEADERS)
    assert_problem(response, 400, "MALFORMED_JSON")
    assert credential_count(registry) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_truncated_json_is_refused_without_writing(client, demo, registry, endpoint):
    before = credential_count(registry)
    response = _post(client, demo, endpoint, content=b'{"credential": {', headers=JSON_HEADERS)
    assert response.status_code == 400
    assert_problem(response, 400, response.json()["code"])
    assert credential_count(registry) == before


@pytest.mark.parametrize("endpoint", ["issue", "verify"])
def test_truncated_json_is_malformed_json(client, demo, endpoint):
    response = _post(client, demo, endpoint, content=b'{"credential": {', headers=JSON_HEADERS)
    assert_problem(response, 400, "MALFORMED_JSON")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_invalid_utf8_in_a_string_is_malformed_json(client, demo, registry, endpoint):
    before = credential_count(registry)
    body = b'{"payload": "RC1:\xff", "credential": {"a": "\xfe"}}'
    response = _post(client, demo, endpoint, content=body, headers=JSON_HEADERS)
    assert_problem(response, 400, "MALFORMED_JSON")
    assert credential_count(registry) == before


@pytest.mark.parametrize(
    ("endpoint", "body", "field"),
    [
        ("issue", {}, "credential"),
        ("issue", {"credential": {}, "extra": 1}, "extra"),
        ("issue", {"credential": {}, "options": {"retries": 3}}, "retries"),
        ("issue", {"credential": []}, "object"),
        ("verify", {"credential": {}}, "credential"),
        ("partner", {"qr": "RC1:AAAA"}, "purpose"),
        ("partner", {"qr": "RC1:AAAA", "purpose": "核验", "reason": "x"}, "reason"),
        ("match", {"record": "x"}, "idNumber"),
        ("match", {"record": "x", "idNumber": 310118}, "str"),
        ("scan", {"qr": "RC1:AAAA"}, "qr"),
        ("scan", [], "object"),
    ],
)
def test_missing_unknown_or_mistyped_fields_are_refused(
    client, demo, registry, endpoint, body, field
):
    before = credential_count(registry)
    response = _post(client, demo, endpoint, json=body)
    problem = assert_problem(response, 400, "REQUEST_INVALID")
    assert any(field in error["message"]["en"] for error in problem["errors"]), problem
    assert credential_count(registry) == before


def test_empty_body_is_refused(client, demo):
    response = _post(client, demo, "scan", content=b"", headers=JSON_HEADERS)
    problem = assert_problem(response, 400, "REQUEST_INVALID")
    assert problem["errors"][0]["message"]["en"] == "request body required"


@pytest.mark.parametrize(
    ("change", "pointer", "code"),
    [
        (lambda s: s.update(hobby="围棋"), "/credential/credentialSubject/hobby", "FIELD_UNKNOWN"),
        (lambda s: s.pop("name"), "/credential/credentialSubject/name", "FIELD_MISSING"),
        (
            lambda s: s["professionalTitle"].update(level="特级"),
            "/credential/credentialSubject/professionalTitle/level",
            "FIELD_INVALID",
        ),
    ],
    ids=["unknown", "missing", "enum"],
)
def test_credential_fields_are_checked_by_schema(client, demo, registry, change, pointer, code):
    request = TITLE_RECORD.issuance_request()
    change(request["credentialSubject"])
    before = credential_count(registry)
    problem = assert_problem(
        _issue_request(client, demo, request), 422, "CREDENTIAL_SCHEMA_INVALID"
    )
    # Every pointer in an issue error is relative to the request body.
    assert [(e["pointer"], e["code"]) for e in problem["errors"]] == [(pointer, code)]
    assert credential_count(registry) == before


@pytest.mark.parametrize(
    "number",
    [
        _wrong_check(WANG.id_number),
        WANG.id_number[:6] + "19780230" + WANG.id_number[14:],  # 30 February
    ],
    ids=["check-digit", "birth-date"],
)
def test_wrong_id_number_is_refused_with_its_pointer(client, demo, registry, number):
    request = TITLE_RECORD.issuance_request()
    request["credentialSubject"]["idNumber"] = number
    before = credential_count(registry)
    response = _issue_request(client, demo, request)
    problem = assert_problem(response, 422, "ID_NUMBER_INVALID")
    assert [e["pointer"] for e in problem["errors"]] == ["/credential/credentialSubject/idNumber"]
    assert number not in response.text
    assert number[:17] not in response.text
    assert credential_count(registry) == before


def test_badly_shaped_id_number_is_not_echoed(client, demo, registry):
    request = TITLE_RECORD.issuance_request()
    request["credentialSubject"]["idNumber"] = WANG.id_number[:17]
    before = credential_count(registry)
    response = _issue_request(client, demo, request)
    problem = assert_problem(response, 422, "CREDENTIAL_SCHEMA_INVALID")
    assert [e["pointer"] for e in problem["errors"]] == ["/credential/credentialSubject/idNumber"]
    assert WANG.id_number[:17] not in response.text
    assert credential_count(registry) == before


def _joint_with_committee(uscc: str) -> dict:
    request = JOINT_RECORD.issuance_request()
    request["credentialSubject"]["professionalTitle"]["jointCommittee"] = uscc
    return request


COMMITTEE_POINTER = "/credential/credentialSubject/professionalTitle/jointCommittee"
BAD_CHECK_USCC = _wrong_check(JOINT_RECORD.issuer_uscc, "0123456789ABCDEFGHJKLMNPQRTUWXY")


def test_committee_uscc_with_a_bad_check_character_is_refused(client, demo, registry):
    before = credential_count(registry)
    response = _issue_request(
        client,
        demo,
        _joint_with_committee(BAD_CHECK_USCC),
        issuer_headers(demo, JOINT_RECORD.issuer_uscc),
    )
    assert response.status_code == 422
    problem = assert_problem(response, 422, response.json()["code"])
    assert [e["pointer"] for e in problem["errors"]] == [COMMITTEE_POINTER]
    assert credential_count(registry) == before


def test_committee_uscc_check_character_has_its_own_code(client, demo):
    response = _issue_request(
        client,
        demo,
        _joint_with_committee(BAD_CHECK_USCC),
        issuer_headers(demo, JOINT_RECORD.issuer_uscc),
    )
    assert_problem(response, 422, "USCC_INVALID")


@pytest.mark.parametrize(
    "uscc",
    ["11320509MB0000092" + uscc_check_char("11320509MB0000092"), QINGPU_BUREAU.uscc],
    ids=["unregistered", "a-bureau"],
)
def test_unknown_joint_committee_is_refused(client, demo, registry, uscc):
    before = credential_count(registry)
    response = _issue_request(
        client, demo, _joint_with_committee(uscc), issuer_headers(demo, JOINT_RECORD.issuer_uscc)
    )
    problem = assert_problem(response, 422, "JOINT_COMMITTEE_UNKNOWN")
    assert [e["pointer"] for e in problem["errors"]] == [COMMITTEE_POINTER]
    assert credential_count(registry) == before


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "TOKEN_MISSING"),
        ({"Authorization": "Bearer rgt_no-such-token"}, "TOKEN_UNKNOWN"),
        ({"Authorization": "Basic cXA6c2VjcmV0"}, "TOKEN_MISSING"),
        ({"Authorization": "Bearer "}, "TOKEN_MISSING"),
    ],
    ids=["none", "unknown", "basic", "empty"],
)
def test_issue_needs_a_valid_token(client, demo, registry, headers, code):
    before = credential_count(registry)
    response = _issue_request(client, demo, TITLE_RECORD.issuance_request(), headers)
    assert_problem(response, 401, code)
    assert credential_count(registry) == before


def test_tampered_proof_value_is_not_verified(client, demo):
    credential = issue(client, demo, TITLE_RECORD)["verifiableCredential"]
    value = credential["proof"]["proofValue"]
    credential["proof"]["proofValue"] = value[:-1] + ("2" if value[-1] != "2" else "3")
    answer = assert_not_verified(
        client.post("/credentials/verify", json={"verifiableCredential": credential})
    )
    assert check_of(answer, "signature")["code"] == "SIGNATURE_INVALID"
    assert {"code": "SIGNATURE_INVALID", "type": CRYPTO_ERROR} in [
        {"code": p["code"], "type": p["type"]} for p in answer["problemDetails"]
    ]


def test_tampered_content_is_not_verified(client, demo):
    credential = issue(client, demo, TITLE_RECORD)["verifiableCredential"]
    credential["credentialSubject"]["professionalTitle"]["level"] = "副高级"
    credential["credentialSubject"]["professionalTitle"]["titleName"] = "高级工程师"
    answer = assert_not_verified(
        client.post("/credentials/verify", json={"verifiableCredential": credential})
    )
    assert check_of(answer, "signature")["outcome"] == "failed"
    assert check_of(answer, "format")["outcome"] == "passed"


def test_qr_with_a_tampered_signature_is_not_verified(client, demo):
    payload = issue(client, demo, TITLE_RECORD)["qr"]["payload"]
    cose = bytearray(qrcontainer.decode_payload(payload))
    cose[-1] ^= 0x01  # the last byte of the Ed25519 signature
    response = client.post(
        "/api/v1/scan", json={"payload": qrcontainer.encode_payload(bytes(cose))}
    )
    answer = assert_not_verified(response)
    assert check_of(answer, "format")["outcome"] == "passed"
    assert check_of(answer, "signature")["code"] == "SIGNATURE_INVALID"


def _deflated_base32(data: bytes) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    return base64.b32encode(packed).decode("ascii").rstrip("=")


def _garbled() -> str:
    rng = random.Random(20240517)
    return "RC1:" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(240))


QR_CASES = {
    "truncated": (lambda p: p[: len(p) // 2], {"QR_ENCODING_INVALID", "QR_COMPRESSION_INVALID"}),
    "last-char-cut": (lambda p: p[:-1], {"QR_ENCODING_INVALID", "QR_COMPRESSION_INVALID"}),
    "garbled": (
        lambda p: _garbled(),
        {"QR_ENCODING_INVALID", "QR_COMPRESSION_INVALID", "COSE_MALFORMED"},
    ),
    "prefix": (lambda p: "HC1:" + p[4:], {"QR_PREFIX_UNKNOWN"}),
    "no-prefix": (lambda p: p[4:], {"QR_PREFIX_UNKNOWN"}),
    "empty": (lambda p: "", {"QR_PREFIX_UNKNOWN"}),
    "bomb": (lambda p: "RC1:" + _deflated_base32(b"\x00" * 2049), {"QR_TOO_LARGE"}),
    "big-bomb": (lambda p: "RC1:" + _deflated_base32(b"\x00" * 1_000_000), {"QR_TOO_LARGE"}),
    "too-long": (lambda p: "RC1:" + "A" * 5000, {"QR_TOO_LARGE"}),
    "not-cose": (lambda p: "RC1:" + _deflated_base32(b"hello"), {"COSE_MALFORMED"}),
}


@pytest.mark.parametrize("case", QR_CASES)
def test_broken_qr_is_not_verified_with_a_format_code(client, demo, case):
    make, codes = QR_CASES[case]
    payload = make(issue(client, demo, TITLE_RECORD)["qr"]["payload"])
    for response in (
        client.post("/api/v1/scan", json={"payload": payload}),
        _post(client, demo, "partner", json={"qr": payload, "purpose": "核验"}),
    ):
        answer = assert_not_verified(response)
        first = answer["checks"][0]
        assert (first["check"], first["outcome"]) == ("format", "failed")
        assert first["code"] in codes
        assert {c["outcome"] for c in answer["checks"][1:]} == {"skipped"}
        assert answer["record"] is None
        assert answer["issuer"] is None
        assert answer["problemDetails"][0]["type"] == PARSING_ERROR


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_body_over_64_kib_is_too_large(client, demo, registry, endpoint):
    before = credential_count(registry)
    body = b'{"payload": "' + b"A" * MAX_BODY + b'"}'
    response = _post(client, demo, endpoint, content=body, headers=JSON_HEADERS)
    assert_problem(response, 413, "BODY_TOO_LARGE")
    assert credential_count(registry) == before


def test_body_of_exactly_64_kib_is_read(client):
    head, tail = b'{"payload": "RC1:', b'"}'
    body = head + b"A" * (MAX_BODY - len(head) - len(tail)) + tail
    assert len(body) == MAX_BODY
    answer = assert_not_verified(client.post("/api/v1/scan", content=body, headers=JSON_HEADERS))
    assert answer["checks"][0]["code"] == "QR_TOO_LARGE"
    too_big = client.post("/api/v1/scan", content=body[:-2] + b'A"}', headers=JSON_HEADERS)
    assert_problem(too_big, 413, "BODY_TOO_LARGE")


@pytest.mark.parametrize("endpoint", ["verify", "partner"])
def test_credential_without_valid_from_is_answered(client, demo, endpoint):
    credential = issue(client, demo, TITLE_RECORD)["verifiableCredential"]
    del credential["validFrom"]
    key = "verifiableCredential" if endpoint == "verify" else "credential"
    body = {key: credential, "purpose": "核验"} if endpoint == "partner" else {key: credential}
    answer = assert_not_verified(_post(client, demo, endpoint, json=body))
    assert check_of(answer, "signature")["code"] == "SIGNATURE_INVALID"

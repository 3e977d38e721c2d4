"""Residence permits, recommendation letters and postdoctoral affiliations over HTTP: the
published schema examples issue, an employer's scan shows the public facts only, a
partner's check adds the partner-only facts, and the dependant-permit rule holds."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from registry.core.records import qrclaims
from registry.core.records.schemas import schema_document
from registry.core.recordtypes import RECORD_TYPES
from registry.demo.data import QINGPU_BUREAU
from registry.demo.talent import (
    EXECUTIVE_COMMITTEE,
    POSTDOC_AFFILIATION,
    POSTDOC_STATION,
    RECOMMENDATION_LETTER,
    RESIDENCE_PERMIT,
)
from tests.support.api_checks import assert_problem, credential_count, issuer_headers
from tests.support.fixtures import BASE_URL, bearer

ISSUER_OF = {
    RESIDENCE_PERMIT: QINGPU_BUREAU.uscc,
    RECOMMENDATION_LETTER: EXECUTIVE_COMMITTEE.uscc,
    POSTDOC_AFFILIATION: POSTDOC_STATION.uscc,
}
NEW_TYPES = tuple(ISSUER_OF)
PURPOSE = "人才引进资格审核"


def example(record_type: str, position: int = 0) -> dict[str, Any]:
    return copy.deepcopy(schema_document(record_type)["examples"][position])


def post_issue(client, demo, record_type: str, credential: dict[str, Any]):
    return client.post(
        "/credentials/issue",
        json={"credential": credential},
        headers=issuer_headers(demo, ISSUER_OF[record_type]),
    )


def issued(client, demo, record_type: str, credential: dict[str, Any]) -> dict[str, Any]:
    response = post_issue(client, demo, record_type, credential)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def dependant_of(principal_id: str) -> dict[str, Any]:
    credential = example(RESIDENCE_PERMIT, 1)
    permit = credential["credentialSubject"]["residencePermit"]
    permit["principalRecord"] = f"{BASE_URL}/credentials/{principal_id}"
    return credential


def scan(client, payload: str) -> dict[str, Any]:
    response = client.post("/api/v1/scan", json={"payload": payload})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def partner_check(client, demo, payload: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/verify",
        json={"qr": payload, "purpose": PURPOSE},
        headers=bearer(demo.tokens["partner:310118"]),
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


@pytest.mark.parametrize("record_type", NEW_TYPES)
def test_schema_example_issues_and_scans_with_labelled_public_facts(client, demo, record_type):
    body = issued(client, demo, record_type, example(record_type))
    credential = body["verifiableCredential"]
    assert credential["type"] == ["VerifiableCredential", record_type]
    assert credential["credentialSchema"]["id"] == (
        f"{BASE_URL}/schemas/{record_type}/v1.schema.json"
    )
    answer = scan(client, body["qr"]["payload"])
    assert answer["verified"] is True, answer["checks"]
    record = answer["record"]
    spec = RECORD_TYPES[record_type]
    assert record["detailsKey"] == spec.subject_key
    assert set(record[spec.subject_key]) <= set(spec.public_fields)
    assert set(record["labels"]) == set(record[spec.subject_key])
    for labels in record["labels"].values():
        assert labels["zh"] and labels["en"]


def test_dependant_permit_issues_when_its_principal_is_recorded(client, demo):
    principal = issued(client, demo, RESIDENCE_PERMIT, example(RESIDENCE_PERMIT))
    dependant = issued(client, demo, RESIDENCE_PERMIT, dependant_of(principal["id"]))
    answer = scan(client, dependant["qr"]["payload"])
    permit = answer["record"]["residencePermit"]
    assert permit["role"] == {"code": "随员证", "zh": "随员证", "en": "Dependant"}
    assert "principalRecord" not in permit  # partner-only
    partner = partner_check(client, demo, dependant["qr"]["payload"])
    assert partner["partner"]["residencePermit"]["principalRecord"] == (
        f"{BASE_URL}/credentials/{principal['id']}"
    )


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ("https://elsewhere.example/credentials/7d0c5e2a-4b1f-4e8a-9c3d-1a2b3c4d5e6f", "UNKNOWN"),
        (f"{BASE_URL}/credentials/7d0c5e2a-4b1f-4e8a-9c3d-1a2b3c4d5e6f", "UNKNOWN"),
        ("title", "UNKNOWN"),
        ("dependant", "NOT_PRINCIPAL"),
    ],
    ids=["other-registry", "no-such-record", "not-a-permit", "a-dependant"],
)
def test_dependant_permit_must_point_to_a_principal_permit_here(
    client, demo, registry, target, code
):
    if target == "title":
        title = example("ProfessionalTitleCredential")
        response = client.post(
            "/credentials/issue",
            json={"credential": title},
            headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
        )
        assert response.status_code == 201, response.text
        target = f"{BASE_URL}/credentials/{response.json()['id']}"
    elif target == "dependant":
        principal = issued(client, demo, RESIDENCE_PERMIT, example(RESIDENCE_PERMIT))
        first = issued(client, demo, RESIDENCE_PERMIT, dependant_of(principal["id"]))
        target = f"{BASE_URL}/credentials/{first['id']}"
    credential = example(RESIDENCE_PERMIT, 1)
    credential["credentialSubject"]["residencePermit"]["principalRecord"] = target
    before = credential_count(registry)
    body = assert_problem(
        post_issue(client, demo, RESIDENCE_PERMIT, credential), 422, f"PRINCIPAL_PERMIT_{code}"
    )
    assert [e["pointer"] for e in body["errors"]] == [
        "/credential/credentialSubject/residencePermit/principalRecord"
    ]
    assert credential_count(registry) == before


@pytest.mark.parametrize(
    ("change", "pointer", "code"),
    [
        (
            {"validUntil": "2026-02-27"},
            "residencePermit/validUntil",
            "PERMIT_VALIDITY_OUT_OF_RANGE",
        ),
        (
            {"validUntil": "2031-03-02"},
            "residencePermit/validUntil",
            "PERMIT_VALIDITY_OUT_OF_RANGE",
        ),
        ({"category": "Z"}, "residencePermit/category", "FIELD_INVALID"),
    ],
    ids=["under-a-year", "over-five-years", "unknown-category"],
)
def test_permit_validity_and_codes_are_enforced(client, demo, change, pointer, code):
    credential = example(RESIDENCE_PERMIT)
    credential["credentialSubject"]["residencePermit"].update(change)
    response = post_issue(client, demo, RESIDENCE_PERMIT, credential)
    body = assert_problem(
        response, 422, "CREDENTIAL_SCHEMA_INVALID" if code == "FIELD_INVALID" else code
    )
    assert f"/credential/credentialSubject/{pointer}" in [e["pointer"] for e in body["errors"]]


def test_partner_check_adds_partner_facts_the_scan_never_shows(client, demo):
    body = issued(client, demo, RECOMMENDATION_LETTER, example(RECOMMENDATION_LETTER))
    payload = body["qr"]["payload"]
    public = scan(client, payload)
    assert "partner" not in public
    assert "Julien" not in str(public) and "嘉善演示电子" not in str(public)
    partner = partner_check(client, demo, payload)
    letter = partner["partner"]["recommendationLetter"]
    assert letter["employer"] == "嘉善演示电子科技有限公司"
    assert [d["name"] for d in letter["dependants"]] == ["Julien Martin", "Léa Martin"]
    assert all("*" in d["passport"]["number"] for d in letter["dependants"])
    assert partner["partner"]["name"] == "Sophie Martin"
    assert "*" in partner["partner"]["passport"]["number"]
    assert partner["partner"]["labels"]["dependants"] == {
        "zh": "随行家属",
        "en": "Accompanying family",
    }
    assert "idNumber" not in partner["partner"]


def test_partner_facts_never_carry_an_id_number(client, demo):
    body = issued(client, demo, POSTDOC_AFFILIATION, example(POSTDOC_AFFILIATION))
    partner = partner_check(client, demo, body["qr"]["payload"])["partner"]
    assert "idNumber" not in partner
    assert partner["postdocAffiliation"]["university"] == "示例理工大学"
    assert partner["postdocAffiliation"]["supervisors"][0]["name"] == "欧阳振华"


def test_schema_index_lists_every_record_type(client):
    response = client.get("/api/v1/schemas")
    assert response.status_code == 200
    entries = {entry["type"]: entry for entry in response.json()["recordTypes"]}
    assert set(entries) == set(RECORD_TYPES)
    for record_type in NEW_TYPES:
        entry = entries[record_type]
        assert entry["schema"] == f"{BASE_URL}/schemas/{record_type}/v1.schema.json"
        assert client.get(entry["schema"].removeprefix(BASE_URL)).status_code == 200
        assert entry["subjectKey"] == RECORD_TYPES[record_type].subject_key


def test_new_code_lists_and_context_terms_are_published(client):
    lists = client.get("/api/v1/codes").json()
    for name in (
        "permit-roles",
        "permit-categories",
        "family-relations",
        "recommendation-purposes",
        "postdoc-stations",
        "postdoc-states",
    ):
        assert lists[name]["entries"], name
    assert [e["code"] for e in lists["permit-categories"]["entries"]] == list("LFCMHAT")
    context = client.get("/contexts/v1").json()["@context"]
    for term in (*NEW_TYPES, "residencePermit", "recommendationLetter", "postdocAffiliation"):
        assert term in context
    assert {"supersedes", "electronicLicenceId"} <= set(context)


@pytest.mark.parametrize("record_type", NEW_TYPES)
def test_qr_claims_of_an_issued_record_round_trip(client, demo, record_type):
    body = issued(client, demo, record_type, example(record_type))
    facts = qrclaims.decode_payload(body["qr"]["payload"]).facts
    assert facts.record_type == record_type
    assert facts.record_id == body["id"]


def test_a_dependant_permit_needs_an_active_principal(client, demo, registry):
    principal = issued(client, demo, RESIDENCE_PERMIT, example(RESIDENCE_PERMIT))
    response = client.post(
        f"/credentials/{principal['id']}/revoke",
        json={"reason": "issued_in_error"},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 200, response.text
    before = credential_count(registry)
    body = assert_problem(
        post_issue(client, demo, RESIDENCE_PERMIT, dependant_of(principal["id"])),
        422,
        "PRINCIPAL_PERMIT_NOT_ACTIVE",
    )
    assert body["errors"][0]["pointer"].endswith("/residencePermit/principalRecord")
    assert credential_count(registry) == before


def test_leaving_the_station_supersedes_the_in_station_version(client, demo):
    first = issued(client, demo, POSTDOC_AFFILIATION, example(POSTDOC_AFFILIATION))
    left = example(POSTDOC_AFFILIATION)
    left["credentialSubject"]["postdocAffiliation"].update(state="出站", exitDate="2026-08-31")
    response = client.post(
        f"/credentials/{first['id']}/amend",
        json={"credential": left, "reason": "other", "note": "出站"},
        headers=issuer_headers(demo, POSTDOC_STATION.uscc),
    )
    assert response.status_code == 201, response.text
    second = response.json()
    assert second["verifiableCredential"]["supersedes"] == f"{BASE_URL}/credentials/{first['id']}"
    now = scan(client, second["qr"]["payload"])
    assert now["verified"] is True
    assert now["record"]["postdocAffiliation"]["state"]["code"] == "出站"
    assert now["record"]["postdocAffiliation"]["exitDate"] == "2026-08-31"
    old = client.post("/api/v1/scan", json={"payload": first["qr"]["payload"]}).json()
    assert old["verified"] is False
    status = next(c for c in old["checks"] if c["check"] == "status")
    assert status["detail"]["status"] == "superseded"
    assert status["detail"]["supersededBy"]["id"].endswith(second["id"])

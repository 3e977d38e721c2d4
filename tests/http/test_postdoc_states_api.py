"""Postdoctoral states over HTTP: leaving the station (出站, 退站) amends the in-station
record, a fresh record of leaving is refused while that record is open (active or
suspended), and no amendment brings a completed or withdrawn record back in station."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from registry.core.records.schemas import schema_document
from registry.demo.data import ZHANG_LIJUAN, DemoPerson
from registry.demo.talent import POSTDOC_AFFILIATION, POSTDOC_STATION
from tests.support.api_checks import assert_problem, credential_count, issuer_headers
from tests.support.fixtures import BASE_URL

KEY = "postdocAffiliation"
EXIT_DATE = "2026-08-31"


def request(state: str = "在站", holder: DemoPerson | None = None) -> dict[str, Any]:
    """The published example (林雨桐 in station), in ``state``, for ``holder`` if named."""
    credential: dict[str, Any] = copy.deepcopy(schema_document(POSTDOC_AFFILIATION)["examples"][0])
    subject = credential["credentialSubject"]
    if holder is not None:
        subject.update(name=holder.name, idNumber=holder.id_number)
    subject[KEY]["state"] = state
    if state != "在站":
        subject[KEY]["exitDate"] = EXIT_DATE
    return credential


def post(client, demo, path: str, body: dict[str, Any]):
    return client.post(path, json=body, headers=issuer_headers(demo, POSTDOC_STATION.uscc))


def issue(client, demo, credential: dict[str, Any]):
    return post(client, demo, "/credentials/issue", {"credential": credential})


def amend(client, demo, record_id: str, credential: dict[str, Any]):
    body = {"credential": credential, "reason": "other", "note": "在站状态变更"}
    return post(client, demo, f"/credentials/{record_id}/amend", body)


def created(response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def scan(client, issued: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/scan", json={"payload": issued["qr"]["payload"]})
    assert response.status_code in (200, 422), response.text
    answer: dict[str, Any] = response.json()
    return answer


def status_of(answer: dict[str, Any]) -> dict[str, Any]:
    check: dict[str, Any] = next(c for c in answer["checks"] if c["check"] == "status")
    return check


@pytest.mark.parametrize("state", ["出站", "退站"])
def test_a_fresh_record_of_leaving_is_refused_while_in_station(client, demo, registry, state):
    created(issue(client, demo, request(holder=ZHANG_LIJUAN)))
    before = credential_count(registry)
    response = issue(client, demo, request(state, ZHANG_LIJUAN))
    body = assert_problem(response, 409, "POSTDOC_ACTIVE_AFFILIATION")
    assert "修订" in body["message"]["zh"] and "amend" in body["message"]["en"]
    assert body["errors"][0]["pointer"] == f"/credential/credentialSubject/{KEY}/state"
    assert ZHANG_LIJUAN.id_number not in response.text
    assert credential_count(registry) == before


@pytest.mark.parametrize("state", ["出站", "退站"])
def test_a_fresh_record_of_leaving_issues_without_an_active_in_station_record(client, demo, state):
    first = created(issue(client, demo, request(holder=ZHANG_LIJUAN)))
    response = post(
        client, demo, f"/credentials/{first['id']}/revoke", {"reason": "issued_in_error"}
    )
    assert response.status_code == 200, response.text
    left = created(issue(client, demo, request(state, ZHANG_LIJUAN)))
    assert left["verifiableCredential"]["credentialSubject"][KEY]["state"] == state
    assert "supersedes" not in left["verifiableCredential"]


def test_withdrawing_supersedes_the_in_station_version(client, demo):
    first = created(issue(client, demo, request()))
    second = created(amend(client, demo, first["id"], request("退站")))
    assert second["supersedes"] == f"{BASE_URL}/credentials/{first['id']}"
    now = scan(client, second)
    assert now["verified"] is True
    assert now["record"][KEY]["state"] == {"code": "退站", "zh": "退站", "en": "Withdrawn"}
    assert now["record"][KEY]["exitDate"] == EXIT_DATE
    old = scan(client, first)
    assert old["verified"] is False
    status = status_of(old)
    assert (status["outcome"], status["code"]) == ("failed", "STATUS_SUPERSEDED")
    assert status["detail"]["supersededBy"]["id"].endswith(second["id"])


@pytest.mark.parametrize("state", ["出站", "退站"])
def test_an_amendment_never_returns_a_record_to_in_station(client, demo, registry, state):
    first = created(issue(client, demo, request()))
    left = created(amend(client, demo, first["id"], request(state)))
    before = credential_count(registry)
    response = amend(client, demo, left["id"], request("在站"))
    body = assert_problem(response, 409, "POSTDOC_STATE_FINAL")
    assert state in body["message"]["zh"]
    assert body["errors"][0]["pointer"] == f"/credential/credentialSubject/{KEY}/state"
    assert credential_count(registry) == before
    still = scan(client, left)
    assert (still["verified"], still["status"]) == (True, "active")


def test_an_amendment_may_correct_how_the_postdoc_left(client, demo):
    first = created(issue(client, demo, request()))
    completed = created(amend(client, demo, first["id"], request("出站")))
    withdrawn = created(amend(client, demo, completed["id"], request("退站")))
    assert withdrawn["supersedes"] == f"{BASE_URL}/credentials/{completed['id']}"
    assert status_of(scan(client, completed))["code"] == "STATUS_SUPERSEDED"


def test_a_suspended_in_station_record_still_blocks_a_fresh_record_of_leaving(client, demo):
    first = created(issue(client, demo, request(holder=ZHANG_LIJUAN)))
    suspended = post(
        client, demo, f"/credentials/{first['id']}/suspend", {"reason": "under_investigation"}
    )
    assert suspended.status_code == 200, suspended.text
    response = issue(client, demo, request("出站", ZHANG_LIJUAN))
    assert_problem(response, 409, "POSTDOC_ACTIVE_AFFILIATION")

"""Issue 13: failed ID-number matches of one record pause its matching (429 MATCH_LOCKED),
whoever asks and from whatever address; successful matches do not count; the holder's
page says so."""

from __future__ import annotations

from registry.demo.data import DEMO_PEOPLE, QINGPU_BUREAU
from registry.http.holder_page import local_time
from tests.support.api_checks import assert_problem, issuer_headers
from tests.support.fixtures import BASE_URL, bearer

WANG, ZHANG = DEMO_PEOPLE[0], DEMO_PEOPLE[1]  # WANG holds demo.records[0]
JSON = {"Accept": "application/json"}
LIMIT = 5  # REGISTRY_MATCH_FAILURE_LIMIT's default


def match(client, record: str, number: str, headers=None, purpose: str | None = None):
    body = {"record": record, "idNumber": number}
    if purpose:
        body["purpose"] = purpose
    return client.post("/api/v1/verify/match", json=body, headers=headers or {})


def holder_link(client, demo) -> str:
    response = client.post(
        f"/credentials/{demo.records[0]}/holder-link",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["url"]).removeprefix(BASE_URL)


def test_failed_matches_pause_matching_of_the_record_and_the_holder_is_told(client, demo):
    record = demo.records[0]
    link = holder_link(client, demo)
    for _ in range(LIMIT - 1):
        assert match(client, record, ZHANG.id_number).json()["match"] is False
        assert match(client, record, WANG.id_number).json()["match"] is True  # not counted
    assert client.get(link, headers=JSON).json()["matchLimit"] is None
    tripping = match(client, record, ZHANG.id_number)  # the last failure allowed is answered
    assert tripping.status_code == 200 and tripping.json()["match"] is False

    for asked in (
        match(client, record, WANG.id_number),  # even the right number: nothing is compared
        match(
            client,
            record,
            WANG.id_number,
            headers=bearer(demo.tokens["partner:330421"]),
            purpose="入职核验",
        ),
    ):
        body = assert_problem(asked, 429, "MATCH_LOCKED")
        assert "match" not in body
        assert 3500 <= int(asked.headers["retry-after"]) <= 3600
        assert WANG.id_number not in asked.text

    other = match(client, demo.records[1], DEMO_PEOPLE[1].id_number)
    assert other.status_code == 200  # one record's lock leaves the others alone

    view = client.get(link, headers=JSON).json()
    limit = view["matchLimit"]
    assert limit["locked"] is True and limit["timesTripped"] == 1
    assert limit["lastTrippedAt"].endswith("Z") and limit["lockedUntil"] > limit["lastTrippedAt"]
    page = client.get(link)
    assert "证件号码核对已暂停" in page.text and "ID-number matching is paused" in page.text
    assert local_time(limit["lockedUntil"]) in page.text  # in China time, as the page says


def test_the_locked_answer_is_documented(client):
    schema = client.get("/schema/openapi.json").json()
    responses = schema["paths"]["/api/v1/verify/match"]["post"]["responses"]
    assert "MATCH_LOCKED" in responses["429"]["description"]

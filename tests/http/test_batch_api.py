"""``POST /api/v1/verify/batch``: one answer per item, in order; bad items fail alone."""

from __future__ import annotations

from sqlmodel import func, select

from registry.demo.data import DEMO_RECORDS
from registry.storage.tables import RecordAccessRow
from tests.support.api_checks import assert_problem, check_of, issue
from tests.support.fixtures import bearer

WUJIANG_TITLE = next(r for r in DEMO_RECORDS if r.key == "wujiang-li-engineer")
JOINT = next(r for r in DEMO_RECORDS if r.key == "joint-ouyang-senior")


def logged(registry) -> int:
    with registry.reading() as session:
        return int(session.exec(select(func.count()).select_from(RecordAccessRow)).one())


def test_mixed_items_get_one_answer_each_in_order(client, demo, registry):
    title = issue(client, demo, WUJIANG_TITLE)
    joint = issue(client, demo, JOINT)
    items = [
        title["qr"]["url"],
        {"qr": joint["qr"]["payload"]},
        {"credential": title["verifiableCredential"]},
        42,
        {"qr": title["qr"]["payload"], "credential": title["verifiableCredential"]},
        "RC1:NOTAPAYLOAD",
        {"credential": {"not": "a credential"}},
    ]
    before = logged(registry)
    response = client.post(
        "/api/v1/verify/batch",
        json={"items": items, "purpose": "批量人才引进资格审核"},
        headers=bearer(demo.tokens["partner:330421"]),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["count"], body["verified"], body["region"]) == (7, 3, "330421")
    results = body["results"]
    assert [r["index"] for r in results] == list(range(7))
    assert [r["verified"] for r in results] == [True, True, True, False, False, False, False]
    assert check_of(results[0], "recognition")["code"] == "RECOGNITION_AGREEMENT"
    assert check_of(results[1], "recognition")["code"] == "RECOGNITION_NATIVE"
    assert [r["record"]["id"] for r in results[:3]] == [title["id"], joint["id"], title["id"]]
    for bad in (3, 4):
        assert check_of(results[bad], "format")["code"] == "BATCH_ITEM_INVALID"
    assert check_of(results[5], "format")["outcome"] == "failed"
    assert check_of(results[6], "format")["code"] == "FORMAT_INVALID"
    assert logged(registry) == before + 3  # every check of a held record, for its holder


def test_a_partner_asks_for_its_own_region_only(client, demo, registry):
    title = issue(client, demo, WUJIANG_TITLE)
    before = logged(registry)
    item = [title["qr"]["payload"]]
    response = client.post(
        "/api/v1/verify/batch",
        json={"items": item, "purpose": "核验", "region": "440100"},
        headers=bearer(demo.tokens["partner:330421"]),
    )
    body = assert_problem(response, 403, "REGION_MISMATCH")
    assert body["message"]["zh"] and body["message"]["en"]
    assert logged(registry) == before  # nothing logged under a claimed region
    own = client.post(
        "/api/v1/verify/batch",
        json={"items": item, "purpose": "核验", "region": "330421"},
        headers=bearer(demo.tokens["partner:330421"]),
    )
    assert own.status_code == 200
    assert own.json()["region"] == "330421"


def test_an_admin_may_name_the_asking_region(client, demo):
    title = issue(client, demo, WUJIANG_TITLE)
    response = client.post(
        "/api/v1/verify/batch",
        json={"items": [title["qr"]["payload"]], "purpose": "核验", "region": "440100"},
        headers=bearer(demo.tokens["admin"]),
    )
    answer = response.json()["results"][0]
    assert check_of(answer, "signature")["outcome"] == "passed"
    assert check_of(answer, "recognition")["code"] == "RECOGNITION_NO_AGREEMENT"


def test_more_than_a_thousand_items_are_refused(client, demo, registry):
    before = logged(registry)
    response = client.post(
        "/api/v1/verify/batch",
        json={"items": ["RC1:X"] * 1001, "purpose": "核验"},
        headers=bearer(demo.tokens["partner:330421"]),
    )
    body = assert_problem(response, 413, "BATCH_TOO_LARGE")
    assert "1000" in body["message"]["en"]
    assert logged(registry) == before


def test_a_thousand_items_are_answered(client, demo):
    title = issue(client, demo, WUJIANG_TITLE)
    response = client.post(
        "/api/v1/verify/batch",
        json={"items": [title["qr"]["payload"]] * 1000, "purpose": "核验"},
        headers=bearer(demo.tokens["partner:320509"]),
    )
    assert response.status_code == 200
    assert response.json()["verified"] == 1000


def test_batch_needs_a_partner_token_and_a_purpose(client, demo):
    body = {"items": [], "purpose": "核验"}
    assert_problem(client.post("/api/v1/verify/batch", json=body), 401, "TOKEN_MISSING")
    issuer = demo.tokens[next(k for k in demo.tokens if k.startswith("issuer:"))]
    response = client.post("/api/v1/verify/batch", json=body, headers=bearer(issuer))
    assert_problem(response, 403, "ROLE_FORBIDDEN")
    response = client.post(
        "/api/v1/verify/batch",
        json={"items": [], "purpose": " "},
        headers=bearer(demo.tokens["partner:330421"]),
    )
    assert_problem(response, 422, "PURPOSE_REQUIRED")
    response = client.post(
        "/api/v1/verify/batch",
        json={"items": "RC1:X", "purpose": "核验"},
        headers=bearer(demo.tokens["partner:330421"]),
    )
    assert_problem(response, 400, "REQUEST_INVALID")

"""Status changes by API: every transition, who may make it, the history, nothing changed
on a refused request, and the scan answer after each change."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from registry.demo.data import DEMO_RECORDS, LI_SIYUAN, QINGPU_BUREAU, WUJIANG_BUREAU
from registry.storage.tables import CredentialRow, LogEntryRow, StatusChangeRow
from tests.support.api_checks import assert_problem, check_of, issue, issuer_headers
from tests.support.fixtures import BASE_URL, bearer

TITLE_RECORD = DEMO_RECORDS[0]  # issued by the Qingpu bureau
NUMBER = LI_SIYUAN.id_number  # a fictional demo person's


@pytest.fixture
def issued(client, demo):
    """A Qingpu record issued through the API."""
    return issue(client, demo, TITLE_RECORD)


def act(client, demo, record_id, action, reason, note=None, uscc=QINGPU_BUREAU.uscc):
    body = {"reason": reason} if note is None else {"reason": reason, "note": note}
    return client.post(
        f"/credentials/{record_id}/{action}", json=body, headers=issuer_headers(demo, uscc)
    )


def scan(client, issued):
    response = client.post("/api/v1/scan", json={"payload": issued["qr"]["payload"]})
    assert response.status_code in (200, 422), response.text
    return response.json()


def counts(registry):
    with registry.reading() as session:
        return (
            session.exec(select(func.count()).select_from(StatusChangeRow)).one(),
            session.exec(select(func.count()).select_from(LogEntryRow)).one(),
        )


def stored(registry, record_id):
    with registry.reading() as session:
        row = session.get(CredentialRow, record_id)
        assert row is not None
        return row.status, row.status_reason


def test_suspend_then_reinstate_shows_in_the_scan(client, demo, registry, issued):
    record = issued["id"]
    response = act(client, demo, record, "suspend", "under_investigation", "举报核查中")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "suspended"
    assert body["from"] == "active"
    assert body["reason"] == {
        "code": "under_investigation",
        "zh": "正在调查核实",
        "en": "under investigation",
    }
    assert body["note"] == "举报核查中"
    assert body["actor"].startswith("issuer:")
    answer = scan(client, issued)
    status = check_of(answer, "status")
    assert answer["verified"] is False
    assert status["code"] == "STATUS_SUSPENDED"
    assert status["detail"]["reason"]["code"] == "under_investigation"
    assert status["detail"]["source"] == "registry"

    response = act(client, demo, record, "reinstate", "investigation_closed")
    assert response.status_code == 200, response.text
    assert stored(registry, record) == ("active", "investigation_closed")
    answer = scan(client, issued)
    assert answer["verified"] is True
    assert check_of(answer, "status")["code"] == "STATUS_ACTIVE"


@pytest.mark.parametrize(
    ("action", "reason", "state", "code"),
    [
        ("revoke", "obtained_by_fraud", "revoked", "STATUS_REVOKED"),
        ("cancel", "holder_request", "cancelled", "STATUS_CANCELLED"),
    ],
)
def test_final_changes_show_with_their_reason(client, demo, issued, action, reason, state, code):
    response = act(client, demo, issued["id"], action, reason)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == state
    status = check_of(scan(client, issued), "status")
    assert status["outcome"] == "failed"
    assert status["code"] == code
    assert status["detail"]["reason"]["code"] == reason
    assert status["detail"]["reason"]["zh"]
    assert status["detail"]["reason"]["en"]


def test_a_suspended_record_can_be_revoked(client, demo, registry, issued):
    assert act(client, demo, issued["id"], "suspend", "obtained_by_fraud").status_code == 200
    assert act(client, demo, issued["id"], "revoke", "obtained_by_fraud").status_code == 200
    assert stored(registry, issued["id"]) == ("revoked", "obtained_by_fraud")


@pytest.mark.parametrize(
    ("setup", "action", "reason", "code"),
    [
        ([], "reinstate", "investigation_closed", "RECORD_NOT_SUSPENDED"),
        ([("suspend", "under_investigation")], "suspend", "under_investigation",
         "RECORD_ALREADY_SUSPENDED"),
        ([("revoke", "issued_in_error")], "revoke", "issued_in_error", "RECORD_ALREADY_REVOKED"),
        ([("revoke", "issued_in_error")], "reinstate", "data_corrected",
         "RECORD_ALREADY_REVOKED"),
        ([("revoke", "issued_in_error")], "suspend", "under_investigation",
         "RECORD_ALREADY_REVOKED"),
        ([("revoke", "issued_in_error")], "cancel", "holder_request", "RECORD_ALREADY_REVOKED"),
        ([("cancel", "holder_deceased")], "revoke", "issued_in_error",
         "RECORD_ALREADY_CANCELLED"),
        ([("cancel", "holder_deceased")], "reinstate", "data_corrected",
         "RECORD_ALREADY_CANCELLED"),
    ],
)  # fmt: skip
def test_illegal_transitions_are_409_and_change_nothing(
    client, demo, registry, issued, setup, action, reason, code
):
    for earlier, why in setup:
        assert act(client, demo, issued["id"], earlier, why).status_code == 200
    before = (stored(registry, issued["id"]), counts(registry))
    assert_problem(act(client, demo, issued["id"], action, reason), 409, code)
    assert (stored(registry, issued["id"]), counts(registry)) == before


def test_another_issuer_cannot_change_the_record(client, demo, registry, issued):
    before = counts(registry)
    response = act(
        client, demo, issued["id"], "revoke", "issued_in_error", uscc=WUJIANG_BUREAU.uscc
    )
    assert_problem(response, 403, "RECORD_NOT_YOURS")
    assert stored(registry, issued["id"]) == ("active", None)
    assert counts(registry) == before


def test_partners_and_strangers_are_refused_and_admins_pass(client, demo, issued):
    path = f"/credentials/{issued['id']}/suspend"
    body = {"reason": "under_investigation"}
    assert_problem(client.post(path, json=body), 401, "TOKEN_MISSING")
    partner = bearer(demo.tokens["partner:330421"])
    assert_problem(client.post(path, json=body, headers=partner), 403, "ROLE_FORBIDDEN")
    admin = bearer(demo.tokens["admin"])
    response = client.post(path, json=body, headers=admin)
    assert response.status_code == 200, response.text
    assert response.json()["actor"].startswith("admin:")


@pytest.mark.parametrize(
    ("body", "status", "code", "pointer"),
    [
        ({"reason": "炼丹"}, 422, "STATUS_REASON_UNKNOWN", "/reason"),
        ({"reason": "holder_deceased"}, 422, "STATUS_REASON_NOT_APPLICABLE", "/reason"),
        ({"reason": ""}, 422, "STATUS_REASON_REQUIRED", "/reason"),
        ({"reason": "other"}, 422, "STATUS_NOTE_REQUIRED", "/note"),
        ({"reason": "other", "note": "x" * 501}, 422, "STATUS_NOTE_TOO_LONG", "/note"),
        ({}, 400, "REQUEST_INVALID", None),
        ({"reason": "other", "note": "n", "extra": 1}, 400, "REQUEST_INVALID", None),
    ],
)
def test_bad_reasons_are_refused(client, demo, registry, issued, body, status, code, pointer):
    before = counts(registry)
    response = client.post(
        f"/credentials/{issued['id']}/revoke",
        json=body,
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    problem = assert_problem(response, status, code)
    if pointer:
        assert [e["pointer"] for e in problem["errors"]] == [pointer]
    assert stored(registry, issued["id"]) == ("active", None)
    assert counts(registry) == before


def test_unknown_and_malformed_records(client, demo):
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_problem(act(client, demo, unknown, "revoke", "issued_in_error"), 404, "RECORD_UNKNOWN")
    assert_problem(act(client, demo, "nope", "revoke", "issued_in_error"), 422, "RECORD_ID_INVALID")


def test_history_keeps_every_change_with_who_when_and_why(client, demo, registry, issued):
    record = issued["id"]
    act(client, demo, record, "suspend", "under_investigation", f"身份证号 {NUMBER} 核查")
    act(client, demo, record, "reinstate", "investigation_closed")
    act(client, demo, record, "suspend", "disciplinary_measure")
    act(client, demo, record, "revoke", "disciplinary_measure", "处分决定")
    response = client.get(
        f"/credentials/{record}/history", headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
    )
    assert response.status_code == 200, response.text
    changes = response.json()["changes"]
    assert [(c["action"], c["from"], c["status"]) for c in changes] == [
        ("suspend", "active", "suspended"),
        ("reinstate", "suspended", "active"),
        ("suspend", "active", "suspended"),
        ("revoke", "suspended", "revoked"),
    ]
    assert all(c["actor"].startswith("issuer:") and c["at"].endswith("Z") for c in changes)
    assert NUMBER not in response.text  # a number in a note is stored masked
    assert changes[0]["note"] == f"身份证号 {'*' * 14}{NUMBER[-4:]} 核查"  # the last four only
    assert changes[3]["reason"]["code"] == "disciplinary_measure"
    other = client.get(
        f"/credentials/{record}/history", headers=issuer_headers(demo, WUJIANG_BUREAU.uscc)
    )
    assert_problem(other, 403, "RECORD_NOT_YOURS")
    with registry.reading() as session:
        kinds = session.exec(
            select(LogEntryRow.kind)
            .where(LogEntryRow.record_id == record)
            .order_by(LogEntryRow.seq)
        ).all()
    assert kinds == ["issued", "suspended", "reinstated", "suspended", "revoked"]


def test_a_change_reaches_the_published_lists_at_once(client, demo, issued):
    from registry.core.formats.statuslist import StatusList

    entries = issued["verifiableCredential"]["credentialStatus"]
    assert {e["statusPurpose"] for e in entries} == {"revocation", "suspension"}
    assert len({e["statusListIndex"] for e in entries}) == 1  # one index serves both lists
    for entry in entries:
        purpose = entry["statusPurpose"]
        assert entry["statusListCredential"] == f"{BASE_URL}/status/{QINGPU_BUREAU.uscc}/{purpose}"
    index = int(entries[0]["statusListIndex"])

    def bit(purpose):
        url = f"/status/{QINGPU_BUREAU.uscc}/{purpose}"
        listed = client.get(url).json()
        assert listed["id"] == BASE_URL + url
        return StatusList.decode(listed["credentialSubject"]["encodedList"]).get(index)

    assert (bit("revocation"), bit("suspension")) == (0, 0)
    act(client, demo, issued["id"], "suspend", "under_investigation")
    assert (bit("revocation"), bit("suspension")) == (0, 1)
    act(client, demo, issued["id"], "reinstate", "investigation_closed")
    assert (bit("revocation"), bit("suspension")) == (0, 0)
    act(client, demo, issued["id"], "cancel", "holder_request")
    assert (bit("revocation"), bit("suspension")) == (1, 0)


def test_openapi_documents_the_lifecycle_calls_and_their_codes(client):
    paths = client.get("/schema/openapi.json").json()["paths"]
    for action in ("suspend", "reinstate", "revoke", "cancel"):
        responses = paths["/credentials/{record_id}/" + action]["post"]["responses"]
        assert {"200", "401", "403", "404", "409", "422"} <= set(responses)
        assert "RECORD_ALREADY_REVOKED" in responses["409"]["description"]
        assert "STATUS_REASON_NOT_APPLICABLE" in responses["422"]["description"]
        assert "application/problem+json" in responses["409"]["content"]
    amend = paths["/credentials/{record_id}/amend"]["post"]["responses"]
    assert "AMEND_HOLDER_MISMATCH" in amend["422"]["description"]
    assert "201" in amend
    assert "/credentials/{record_id}/history" in paths
    status = paths["/status/{uscc}/{purpose}"]["get"]["responses"]
    assert "STATUS_LIST_UNKNOWN" in status["404"]["description"]

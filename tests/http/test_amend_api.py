"""Amending a record: a new version supersedes the old in one transaction; the old one
verifies as superseded and points to the new one."""

from __future__ import annotations

import copy

import pytest
from sqlmodel import func, select

from registry.core.formats.statuslist import StatusList
from registry.demo.data import DEMO_RECORDS, QINGPU_BUREAU, WUJIANG_BUREAU, ZHANG_LIJUAN
from registry.storage.tables import CredentialRow, LogEntryRow, StatusChangeRow
from tests.support.api_checks import assert_problem, check_of, issue, issuer_headers
from tests.support.fixtures import BASE_URL, bearer

TITLE_RECORD = DEMO_RECORDS[0]  # 王建华, Qingpu bureau


@pytest.fixture
def issued(client, demo):
    return issue(client, demo, TITLE_RECORD)


def corrected(**title_changes):
    request = copy.deepcopy(TITLE_RECORD.issuance_request())
    request["credentialSubject"]["professionalTitle"].update(title_changes)
    return request


def amend(client, demo, record_id, credential, uscc=QINGPU_BUREAU.uscc, **extra):
    return client.post(
        f"/credentials/{record_id}/amend",
        json={"credential": credential, **extra},
        headers=issuer_headers(demo, uscc),
    )


def scan(client, payload):
    return client.post("/api/v1/scan", json={"payload": payload}).json()


def totals(registry):
    with registry.reading() as session:
        return tuple(
            session.exec(select(func.count()).select_from(table)).one()
            for table in (CredentialRow, StatusChangeRow, LogEntryRow)
        )


def test_amendment_supersedes_the_old_version(client, demo, registry, issued):
    old = issued["id"]
    response = amend(
        client, demo, old, corrected(obtainedOn="2019-12-31"), reason="data_corrected", note="日期"
    )
    assert response.status_code == 201, response.text
    new = response.json()
    assert new["id"] != old
    assert new["supersedes"] == f"{BASE_URL}/credentials/{old}"
    assert new["verifiableCredential"]["supersedes"] == new["supersedes"]
    title = new["verifiableCredential"]["credentialSubject"]["professionalTitle"]
    assert title["obtainedOn"] == "2019-12-31"

    answer = scan(client, issued["qr"]["payload"])
    status = check_of(answer, "status")
    assert answer["verified"] is False
    assert (status["code"], answer["status"]) == ("STATUS_SUPERSEDED", "superseded")
    assert status["detail"]["supersededBy"] == {
        "id": new["id"],
        "url": f"{BASE_URL}/credentials/{new['id']}",
        "verifyUrl": new["qr"]["url"],
    }
    assert status["detail"]["reason"]["code"] == "data_corrected"
    assert scan(client, new["qr"]["payload"])["verified"] is True

    with registry.reading() as session:
        old_row, new_row = session.get(CredentialRow, old), session.get(CredentialRow, new["id"])
        assert old_row is not None and new_row is not None
        assert (old_row.status, old_row.superseded_by) == ("superseded", new["id"])
        assert (new_row.status, new_row.supersedes) == ("active", old)
        assert new_row.status_list_index != old_row.status_list_index
        assert new_row.id_number_digest == old_row.id_number_digest
        kinds = session.exec(
            select(LogEntryRow.kind).where(LogEntryRow.record_id.in_([old, new["id"]]))  # type: ignore[union-attr]
        ).all()
    assert sorted(kinds) == ["amended", "issued", "issued"]
    listed = client.get(f"/status/{QINGPU_BUREAU.uscc}/revocation").json()
    bits = StatusList.decode(listed["credentialSubject"]["encodedList"])
    assert bits.get(old_row.status_list_index) == 1  # superseded sets the revocation bit
    assert bits.get(new_row.status_list_index) == 0

    history = client.get(
        f"/credentials/{old}/history", headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
    ).json()["changes"]
    assert [(c["action"], c["status"], c["relatedRecord"]) for c in history] == [
        ("amend", "superseded", new["id"])
    ]


def test_a_suspended_record_cannot_be_amended_until_reinstated(client, demo, registry, issued):
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    suspend = client.post(
        f"/credentials/{issued['id']}/suspend", json={"reason": "data_error"}, headers=headers
    )
    assert suspend.status_code == 200, suspend.text
    before = totals(registry)
    refused = amend(client, demo, issued["id"], corrected(obtainedOn="2019-12-31"))
    problem = assert_problem(refused, 409, "RECORD_SUSPENDED")
    assert "reinstate" in problem["detail"]
    assert totals(registry) == before
    answer = scan(client, issued["qr"]["payload"])
    assert answer["status"] == "suspended"  # the suspension still holds
    reinstate = client.post(
        f"/credentials/{issued['id']}/reinstate",
        json={"reason": "investigation_closed"},
        headers=headers,
    )
    assert reinstate.status_code == 200, reinstate.text
    assert amend(client, demo, issued["id"], corrected(obtainedOn="2019-12-31")).status_code == 201


def test_every_superseded_version_points_to_the_current_one(client, demo, issued):
    second = amend(client, demo, issued["id"], corrected(obtainedOn="2019-12-31"))
    assert second.status_code == 201, second.text
    third = amend(client, demo, second.json()["id"], corrected(obtainedOn="2019-12-30"))
    assert third.status_code == 201, third.text
    current = third.json()["id"]
    expected = {
        "id": current,
        "url": f"{BASE_URL}/credentials/{current}",
        "verifyUrl": third.json()["qr"]["url"],
    }
    for version in (issued, second.json()):
        answer = scan(client, version["qr"]["payload"])
        assert answer["status"] == "superseded"
        assert check_of(answer, "status")["detail"]["supersededBy"] == expected
    assert scan(client, third.json()["qr"]["payload"])["verified"] is True


def test_only_the_current_version_can_be_amended_or_changed(client, demo, registry, issued):
    assert amend(client, demo, issued["id"], corrected(obtainedOn="2019-12-31")).status_code == 201
    before = totals(registry)
    again = amend(client, demo, issued["id"], corrected(obtainedOn="2019-12-29"))
    assert_problem(again, 409, "RECORD_ALREADY_SUPERSEDED")
    revoke = client.post(
        f"/credentials/{issued['id']}/revoke",
        json={"reason": "issued_in_error"},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert_problem(revoke, 409, "RECORD_ALREADY_SUPERSEDED")
    assert totals(registry) == before


@pytest.mark.parametrize(
    ("change", "status", "code", "pointer"),
    [
        ("holder", 422, "AMEND_HOLDER_MISMATCH", "/credential/credentialSubject"),
        ("reason", 422, "STATUS_REASON_NOT_APPLICABLE", "/reason"),
        ("schema", 422, "CREDENTIAL_SCHEMA_INVALID", None),
    ],
)
def test_refused_amendments_store_nothing(
    client, demo, registry, issued, change, status, code, pointer
):
    credential = corrected(obtainedOn="2019-12-31")
    extra = {}
    if change == "holder":
        credential["credentialSubject"]["idNumber"] = ZHANG_LIJUAN.id_number
        credential["credentialSubject"]["name"] = ZHANG_LIJUAN.name
    elif change == "reason":
        extra = {"reason": "holder_deceased"}
    else:
        del credential["credentialSubject"]["professionalTitle"]["level"]
    before = totals(registry)
    problem = assert_problem(amend(client, demo, issued["id"], credential, **extra), status, code)
    if pointer:
        assert pointer in [e["pointer"] for e in problem["errors"]]
    assert totals(registry) == before
    assert scan(client, issued["qr"]["payload"])["verified"] is True


def test_another_organisation_cannot_amend(client, demo, registry, issued):
    before = totals(registry)
    response = amend(client, demo, issued["id"], corrected(), uscc=WUJIANG_BUREAU.uscc)
    assert response.status_code == 403
    assert totals(registry) == before
    admin = client.post(
        f"/credentials/{issued['id']}/amend",
        json={"credential": corrected()},
        headers=bearer(demo.tokens["admin"]),
    )
    assert_problem(admin, 403, "TOKEN_NOT_ISSUER")


def test_a_retried_amendment_answers_the_first(client, demo, issued):
    body = {"options": {"idempotencyKey": "amend-1"}}
    first = amend(client, demo, issued["id"], corrected(obtainedOn="2019-12-31"), **body)
    second = amend(client, demo, issued["id"], corrected(obtainedOn="2019-12-31"), **body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]

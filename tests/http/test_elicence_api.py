"""A record's national e-licence identifier (GB/T 36904) names it wherever its id does."""

from __future__ import annotations

import copy

import pytest

from registry.core.records import elicence
from registry.demo.data import DEMO_PEOPLE, DEMO_RECORDS, QINGPU_BUREAU
from tests.support.api_checks import assert_problem, issue, issuer_headers

WANG = DEMO_PEOPLE[0]


@pytest.fixture
def issued(client, demo):
    return issue(client, demo, DEMO_RECORDS[0])


def test_issuance_answers_the_elicence_id(issued):
    parsed = elicence.parse(issued["electronicLicenceId"])
    assert (parsed.type_code, parsed.issuer_uscc, parsed.version) == (
        elicence.type_code_of("ProfessionalTitleCredential"),
        QINGPU_BUREAU.uscc,
        1,
    )
    assert str(parsed) == issued["electronicLicenceId"]


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/credentials/{}", "application/json"),
        ("/api/v1/credentials/{}", "application/json"),
        ("/api/v1/credentials/{}/qr", "application/json"),
        ("/api/v1/credentials/{}/qr.png", "image/png"),
        ("/api/v1/credentials/{}/qr.svg", "image/svg+xml"),
    ],
)
def test_the_elicence_id_reads_the_record(client, demo, issued, path, media_type):
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    by_id = client.get(path.format(issued["id"]), headers=headers)
    by_elicence = client.get(path.format(issued["electronicLicenceId"]), headers=headers)
    lower = client.get(path.format(issued["electronicLicenceId"].lower()), headers=headers)
    for response in (by_id, by_elicence, lower):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media_type)
    assert by_elicence.content == by_id.content == lower.content
    if media_type == "image/png":
        assert by_id.content.startswith(b"\x89PNG\r\n\x1a\n")
    elif media_type == "image/svg+xml":
        assert b"<svg" in by_id.content
    else:
        assert by_elicence.json() == by_id.json() == lower.json()


def test_the_elicence_id_makes_and_revokes_the_holder_link(client, demo, issued):
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    made = client.post(f"/credentials/{issued['electronicLicenceId']}/holder-link", headers=headers)
    assert made.status_code == 201, made.text
    assert made.json()["record"] == issued["id"]
    page = "/holder/" + made.json()["url"].rsplit("/holder/", 1)[1]
    view = client.get(page, headers={"Accept": "application/json"})
    assert view.status_code == 200, view.text
    assert view.json()["record"]["id"] == issued["id"]
    assert view.json()["electronicLicenceId"] == issued["electronicLicenceId"]

    revoked = client.delete(
        f"/credentials/{issued['electronicLicenceId'].lower()}/holder-link", headers=headers
    )
    assert revoked.status_code == 200, revoked.text
    assert revoked.json() == {"revoked": 1}
    assert_problem(
        client.get(page, headers={"Accept": "application/json"}), 404, "HOLDER_LINK_UNKNOWN"
    )


def test_match_takes_the_elicence_id(client, issued):
    response = client.post(
        "/api/v1/verify/match",
        json={"record": issued["electronicLicenceId"], "idNumber": WANG.id_number},
    )
    assert response.status_code == 200
    assert response.json()["record"] == issued["id"]
    assert response.json()["match"] is True


def test_a_mistyped_elicence_id_is_refused_by_its_check(client, demo, issued):
    text = issued["electronicLicenceId"]
    position = text.index(QINGPU_BUREAU.uscc) + len(QINGPU_BUREAU.uscc) + 3  # in the serial
    changed = text[:position] + ("1" if text[position] != "1" else "2") + text[position + 1 :]
    response = client.get(
        f"/api/v1/credentials/{changed}", headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
    )
    problem = assert_problem(response, 422, "ELICENCE_ID_INVALID")
    assert "check" in problem["message"]["en"]


def test_an_unknown_elicence_id_is_not_found(client, demo):
    unknown = elicence.build(
        elicence.type_code_of("ProfessionalTitleCredential"),
        QINGPU_BUREAU.uscc,
        "20000101000000000000",
    )
    response = client.get(
        f"/api/v1/credentials/{unknown}", headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
    )
    assert_problem(response, 404, "RECORD_UNKNOWN")
    match = client.post(
        "/api/v1/verify/match", json={"record": str(unknown), "idNumber": WANG.id_number}
    )
    assert_problem(match, 404, "RECORD_UNKNOWN")


def test_the_log_proves_inclusion_by_elicence_id(client, issued):
    by_id = client.get("/log/proof/inclusion", params={"record": issued["id"]})
    by_elicence = client.get(
        "/log/proof/inclusion", params={"record": issued["electronicLicenceId"]}
    )
    assert by_elicence.status_code == 200, by_elicence.text
    assert by_elicence.json()["record"] == issued["id"]
    assert by_elicence.json()["entries"] == by_id.json()["entries"]
    unknown = elicence.build(
        elicence.type_code_of("ProfessionalTitleCredential"),
        QINGPU_BUREAU.uscc,
        "20000101000000000000",
    )
    assert_problem(
        client.get("/log/proof/inclusion", params={"record": str(unknown)}), 404, "RECORD_UNKNOWN"
    )


def test_status_changes_and_history_take_the_elicence_id(client, demo, issued):
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    name = issued["electronicLicenceId"]
    suspend = client.post(
        f"/credentials/{name}/suspend", json={"reason": "under_investigation"}, headers=headers
    )
    assert suspend.status_code == 200, suspend.text
    assert suspend.json()["status"] == "suspended"
    reinstate = client.post(
        f"/credentials/{name.lower()}/reinstate",
        json={"reason": "investigation_closed"},
        headers=headers,
    )
    assert reinstate.status_code == 200, reinstate.text
    history = client.get(f"/credentials/{name}/history", headers=headers)
    assert history.status_code == 200, history.text
    assert history.json()["id"] == issued["id"]
    assert [c["action"] for c in history.json()["changes"]] == ["suspend", "reinstate"]


def test_amending_by_elicence_id_supersedes_the_record(client, demo, issued):
    request = copy.deepcopy(DEMO_RECORDS[0].issuance_request())
    request["credentialSubject"]["professionalTitle"]["obtainedOn"] = "2019-12-31"
    response = client.post(
        f"/credentials/{issued['electronicLicenceId']}/amend",
        json={"credential": request, "reason": "data_corrected"},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 201, response.text
    new = response.json()
    assert new["supersedes"].endswith(f"/credentials/{issued['id']}")
    old = elicence.parse(issued["electronicLicenceId"])
    current = elicence.parse(new["electronicLicenceId"])
    assert (current.serial, current.version) == (old.serial, old.version + 1)

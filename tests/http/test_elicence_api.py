"""A record's national e-licence identifier (GB/T 36904) names it wherever its id does."""

from __future__ import annotations

import pytest

from registry.core import elicence
from registry.services.demo_data import DEMO_PEOPLE, DEMO_RECORDS, QINGPU_BUREAU
from tests.support.api_checks import assert_problem, issue, issuer_headers

WANG = DEMO_PEOPLE[0]


@pytest.fixture
def issued(client, demo):
    return issue(client, demo, DEMO_RECORDS[0])


def test_issuance_answers_the_elicence_id(issued):
    parsed = elicence.parse(issued["electronicLicenceId"])
    assert (parsed.type_code, parsed.issuer_uscc, parsed.version) == ("01", QINGPU_BUREAU.uscc, 1)
    assert str(parsed) == issued["electronicLicenceId"]


@pytest.mark.parametrize(
    "path",
    ["/credentials/{}", "/api/v1/credentials/{}", "/api/v1/credentials/{}/qr"],
)
def test_the_elicence_id_reads_the_record(client, demo, issued, path):
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    by_id = client.get(path.format(issued["id"]), headers=headers)
    by_elicence = client.get(path.format(issued["electronicLicenceId"]), headers=headers)
    lower = client.get(path.format(issued["electronicLicenceId"].lower()), headers=headers)
    assert by_elicence.status_code == 200, by_elicence.text
    assert by_elicence.json() == by_id.json() == lower.json()


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
    unknown = elicence.build("01", QINGPU_BUREAU.uscc, "20000101000000000000")
    response = client.get(
        f"/api/v1/credentials/{unknown}", headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
    )
    assert_problem(response, 404, "RECORD_UNKNOWN")
    match = client.post(
        "/api/v1/verify/match", json={"record": str(unknown), "idNumber": WANG.id_number}
    )
    assert_problem(match, 404, "RECORD_UNKNOWN")

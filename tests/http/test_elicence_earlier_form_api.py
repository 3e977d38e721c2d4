"""A record issued before migration 0011 keeps being named by its earlier-form e-licence
identifier wherever an identifier is accepted; its amendment takes the national form."""

from __future__ import annotations

import copy

import pytest

from registry.core.records import elicence
from registry.demo.data import DEMO_PEOPLE, DEMO_RECORDS, QINGPU_BUREAU
from tests.support.api_checks import issue, issuer_headers
from tests.support.earlier_elicence import give_earlier_form

WANG = DEMO_PEOPLE[0]


@pytest.fixture
def issued(client, demo, registry):
    record = issue(client, demo, DEMO_RECORDS[0])
    record["earlier"] = give_earlier_form(registry, record["id"])
    return record


def test_the_earlier_form_reads_the_record(client, demo, issued):
    assert elicence.parse(issued["earlier"]).legacy
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    for path in ("/credentials/{}", "/api/v1/credentials/{}"):
        by_id = client.get(path.format(issued["id"]), headers=headers)
        by_earlier = client.get(path.format(issued["earlier"]), headers=headers)
        assert by_earlier.status_code == 200, by_earlier.text
        assert by_earlier.json() == by_id.json()
    # the record answers its national form: the one to show and print from now on
    assert by_earlier.json()["electronicLicenceId"] == issued["electronicLicenceId"]


def test_match_and_the_log_take_the_earlier_form(client, issued):
    match = client.post(
        "/api/v1/verify/match", json={"record": issued["earlier"], "idNumber": WANG.id_number}
    )
    assert match.status_code == 200, match.text
    assert match.json()["match"] is True
    proof = client.get("/log/proof/inclusion", params={"record": issued["earlier"].lower()})
    assert proof.status_code == 200 and proof.json()["record"] == issued["id"]


def test_holder_link_and_lifecycle_take_the_earlier_form(client, demo, issued):
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    made = client.post(f"/credentials/{issued['earlier']}/holder-link", headers=headers)
    assert made.status_code in (200, 201), made.text
    suspend = client.post(
        f"/credentials/{issued['earlier']}/suspend",
        json={"reason": "under_investigation"},
        headers=headers,
    )
    assert suspend.status_code == 200 and suspend.json()["status"] == "suspended"
    history = client.get(f"/credentials/{issued['earlier']}/history", headers=headers)
    assert history.status_code == 200 and history.json()["id"] == issued["id"]


def test_amending_by_the_earlier_form_takes_the_next_national_version(client, demo, issued):
    request = copy.deepcopy(DEMO_RECORDS[0].issuance_request())
    request["credentialSubject"]["professionalTitle"]["obtainedOn"] = "2019-12-31"
    response = client.post(
        f"/credentials/{issued['earlier']}/amend",
        json={"credential": request, "reason": "data_corrected"},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 201, response.text
    amended = elicence.parse(response.json()["electronicLicenceId"])
    earlier = elicence.parse(issued["earlier"])
    assert not amended.legacy and amended.version_text == "002"
    assert (amended.issuer_uscc, amended.serial) == (earlier.issuer_uscc, earlier.serial)
    assert amended.licence_key == elicence.parse(issued["electronicLicenceId"]).licence_key

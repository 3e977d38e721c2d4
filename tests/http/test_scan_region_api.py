"""The public scan for the employer's region: ``POST /api/v1/scan`` with ``region`` answers
recognition for that region, as the partner API does, and refuses an unknown region."""

from __future__ import annotations

from registry.demo.data import DEMO_RECORDS
from tests.support.api_checks import assert_problem, check_of, issue

TITLE_RECORD = DEMO_RECORDS[0]  # Qingpu bureau, 王建华
JOINT_RECORD = DEMO_RECORDS[4]  # joint committee; reviewed in all three regions


def test_a_qingpu_title_scanned_in_jiashan_is_recognised_under_an_agreement(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post(
        "/api/v1/scan", json={"payload": issued["qr"]["url"], "region": "330421"}
    )
    assert response.status_code == 200, response.text
    recognition = check_of(response.json(), "recognition")
    assert recognition["outcome"] == "passed"
    assert recognition["code"] == "RECOGNITION_AGREEMENT"
    detail = recognition["detail"]
    assert detail["region"] == "330421"
    assert detail["agreement"]["legalBasis"]
    assert detail["agreement"]["name"]["zh"]
    assert detail["equivalent"]


def test_a_record_scanned_where_it_was_issued_is_native(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post(
        "/api/v1/scan", json={"payload": issued["qr"]["payload"], "region": "310118"}
    )
    assert check_of(response.json(), "recognition")["code"] == "RECOGNITION_NATIVE"


def test_a_joint_title_is_native_in_each_reviewing_region_on_the_public_page(client, demo):
    issued = issue(client, demo, JOINT_RECORD)
    for region in ("310118", "320509", "330421"):
        response = client.post(
            "/api/v1/scan", json={"payload": issued["qr"]["payload"], "region": region}
        )
        assert check_of(response.json(), "recognition")["code"] == "RECOGNITION_NATIVE"


def test_a_region_outside_every_agreement_is_told_so(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post(
        "/api/v1/scan", json={"payload": issued["qr"]["payload"], "region": "440100"}
    )
    recognition = check_of(response.json(), "recognition")
    assert recognition["outcome"] == "failed"
    assert recognition["code"] == "RECOGNITION_NO_AGREEMENT"


def test_without_a_region_recognition_is_not_asked(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post("/api/v1/scan", json={"payload": issued["qr"]["payload"]})
    assert response.status_code == 200
    assert check_of(response.json(), "recognition")["code"] == "RECOGNITION_NOT_ASKED"


def test_an_unknown_region_is_refused_without_echo(client, demo):
    issued = issue(client, demo, TITLE_RECORD)
    response = client.post(
        "/api/v1/scan", json={"payload": issued["qr"]["payload"], "region": "elsewhere-9"}
    )
    assert_problem(response, 422, "REGION_UNKNOWN")
    assert "elsewhere-9" not in response.text

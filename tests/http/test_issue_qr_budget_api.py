"""Issuance refuses a record whose QR payload would be over budget: 422
``QR_PAYLOAD_TOO_LONG``, nothing stored or logged, nothing personal echoed.

No schema-valid record exceeds the real 395-byte budget (tests/render/
test_recordtype_qr_budget.py), so the test lowers the budget under a real record's payload
and drives the real issuance path."""

from __future__ import annotations

from registry.core.formats import qrcontainer
from registry.demo.data import DEMO_RECORDS, VOCATIONAL_QUALIFICATION
from tests.support.api_checks import assert_problem, credential_count, issuer_headers

RECORD = next(r for r in DEMO_RECORDS if r.credential["type"][1] == VOCATIONAL_QUALIFICATION)


def _issue(client, demo):
    return client.post(
        "/credentials/issue",
        json={"credential": RECORD.issuance_request()},
        headers=issuer_headers(demo, RECORD.issuer_uscc),
    )


def test_a_payload_over_the_budget_is_refused_and_nothing_is_stored(
    client, demo, registry, monkeypatch
):
    issued = _issue(client, demo)
    assert issued.status_code == 201, issued.text
    size = len(qrcontainer.decode_payload(issued.json()["qr"]["payload"]))
    assert size <= qrcontainer.MAX_SIGNED_BYTES
    records, log_size = credential_count(registry), client.get("/log/head").json()["treeSize"]

    monkeypatch.setattr(qrcontainer, "MAX_SIGNED_BYTES", size - 32)  # ids vary a few bytes
    refused = _issue(client, demo)

    body = assert_problem(refused, 422, "QR_PAYLOAD_TOO_LONG")
    assert str(size - 32) in body["message"]["en"]
    assert credential_count(registry) == records
    assert client.get("/log/head").json()["treeSize"] == log_size
    subject = RECORD.credential["credentialSubject"]
    block = subject["vocationalQualification"]
    texts = [value for value in block.values() if isinstance(value, str)]
    for personal in (subject["name"], subject["idNumber"], subject["idNumber"][-4:], *texts):
        assert personal not in refused.text, personal

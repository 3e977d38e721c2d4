"""The demo zone's agreements cover every record type it seeds: a partner in any of the
three regions relies on every demo record without a second review."""

from __future__ import annotations

import pytest

from registry.storage.repositories import CredentialRepository
from tests.support.fixtures import bearer


@pytest.mark.parametrize("region", ["310118", "320509", "330421"])
def test_every_demo_record_is_recognised_in_every_region_of_the_zone(
    client, registry, demo, region
):
    with registry.reading() as session:
        repository = CredentialRepository(session)
        payloads = {
            record_id: (row.record_type, row.qr_payload)
            for record_id in demo.records
            if (row := repository.get(record_id)) is not None
        }
    assert len(payloads) == len(demo.records)
    unrecognised = {}
    for record_type, payload in payloads.values():
        response = client.post(
            "/api/v1/verify",
            json={"qr": payload, "purpose": "人才引进资格审核"},
            headers=bearer(demo.tokens[f"partner:{region}"]),
        )
        answer = response.json()
        (recognition,) = [c for c in answer["checks"] if c["check"] == "recognition"]
        if recognition["outcome"] != "passed":
            unrecognised[record_type] = recognition["code"]
    assert unrecognised == {}

"""Vocational qualifications, continuing-education hours and equivalences over HTTP: issued,
scanned (public facts only: partner-only sentinels never appear), verified by a partner
(who sees them under ``partner``), and the credential itself verifies."""

from __future__ import annotations

import copy
import json

import pytest

from registry.core.resources import schemas_dir
from tests.support.fixtures import bearer

CASES = {
    "VocationalQualificationCredential": (
        "11330421MB0000001N",
        "vocationalQualification",
        {"certificateNumber": "SENTINEL-VQ-1", "registrationNumber": "SENTINEL-VQ-2"},
    ),
    "ContinuingEducationCredential": (
        "11310118MB0000001L",
        "continuingEducation",
        {
            "courses": [
                {
                    "title": "SENTINEL-CE-1",
                    "kind": "公需科目",
                    "hours": 30,
                    "provider": "SENTINEL-CE-2",
                },
                {
                    "title": "SENTINEL-CE-3",
                    "kind": "专业科目",
                    "hours": 24,
                    "provider": "SENTINEL-CE-4",
                },
            ]
        },
    ),
    "QualificationEquivalenceCredential": (
        "11310118MB0000001L",
        "qualificationEquivalence",
        {
            "decisionNumber": "SENTINEL-EQ-1",
            "foreignQualification": "SENTINEL-EQ-2",
            "awardingBody": "SENTINEL-EQ-3",
            "foreignCertificateNumber": "SENTINEL-EQ-4",
        },
    ),
}

# The zone's demo agreement covers qualifications and hours, not equivalences: those are
# asked about where they were decided.
ASKING = {
    "VocationalQualificationCredential": "320509",
    "ContinuingEducationCredential": "320509",
    "QualificationEquivalenceCredential": "310118",
}


def _issue(client, demo, record_type):
    uscc, key, sentinels = CASES[record_type]
    path = schemas_dir() / record_type / "v1.schema.json"
    credential = copy.deepcopy(json.loads(path.read_text(encoding="utf-8"))["examples"][0])
    credential["credentialSubject"][key].update(sentinels)
    response = client.post(
        "/credentials/issue",
        json={"credential": credential},
        headers=bearer(demo.tokens[f"issuer:{uscc}"]),
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize("record_type", CASES)
def test_public_scan_shows_no_partner_field_and_the_partner_sees_them(client, demo, record_type):
    issued = _issue(client, demo, record_type)
    _, key, _ = CASES[record_type]
    scanned = client.post("/api/v1/scan", json={"payload": issued["qr"]["payload"]})
    assert scanned.status_code == 200
    assert scanned.json()["verified"] is True
    assert scanned.json()["record"]["detailsKey"] == key
    assert "SENTINEL" not in scanned.text

    partner = client.post(
        "/api/v1/verify",
        json={"qr": issued["qr"]["url"], "purpose": "人才服务资格审核"},
        headers=bearer(demo.tokens[f"partner:{ASKING[record_type]}"]),
    )
    assert partner.status_code == 200, partner.text
    body = partner.json()
    assert "SENTINEL" not in json.dumps(body["record"])
    assert "SENTINEL" in json.dumps(body["partner"][key])

    verified = client.post(
        "/credentials/verify", json={"verifiableCredential": issued["verifiableCredential"]}
    )
    assert verified.status_code == 200, verified.text
    assert [c["code"] for c in verified.json()["checks"] if c["check"] == "schema"] == [
        "SCHEMA_VALID"
    ]


def test_a_qualification_level_it_lacks_is_refused_at_the_field(client, demo):
    credential = copy.deepcopy(
        json.loads(
            (schemas_dir() / "VocationalQualificationCredential" / "v1.schema.json").read_text(
                encoding="utf-8"
            )
        )["examples"][0]
    )
    credential["credentialSubject"]["vocationalQualification"]["level"] = "一级"
    response = client.post(
        "/credentials/issue",
        json={"credential": credential},
        headers=bearer(demo.tokens["issuer:11330421MB0000001N"]),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "QUALIFICATION_LEVEL_MISMATCH"
    assert [e["pointer"] for e in response.json()["errors"]] == [
        "/credential/credentialSubject/vocationalQualification/level"
    ]

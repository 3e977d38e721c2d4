"""Privacy by construction, per record type: a sentinel put in every partner-only (A) field
and in the holder's full name never reaches the QR payload or the public scan answer, and
does reach the partner's answer (so the test can fail)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import cbor2
import pytest

from registry.core import cose, qrcontainer
from registry.core.qrclaims import RECORD_CLAIM
from registry.core.recordtypes import RECORD_TYPES
from registry.core.schemas import schema_document
from registry.services.demo_data import JOINT_MECHANICAL_COMMITTEE, QINGPU_BUREAU
from registry.services.demo_talent import EXECUTIVE_COMMITTEE, POSTDOC_STATION
from tests.support.api_checks import issuer_headers
from tests.support.fixtures import bearer

Sentinels = Callable[[dict[str, Any]], list[str]]


def _title(block: dict[str, Any]) -> list[str]:
    block.update(
        approvalNumber="SENTINEL-APPROVAL",
        certificateNumber="SENTINEL-CERTIFICATE",
        employer="SENTINEL-EMPLOYER",
    )
    return ["SENTINEL-APPROVAL", "SENTINEL-CERTIFICATE", "SENTINEL-EMPLOYER"]


def _permit(block: dict[str, Any]) -> list[str]:
    block.update(permitNumber="SENTINEL-PERMIT-NUMBER", employer="SENTINEL-EMPLOYER", category="T")
    return ["SENTINEL-PERMIT-NUMBER", "SENTINEL-EMPLOYER"]


def _letter(block: dict[str, Any]) -> list[str]:
    block["employer"] = "SENTINEL-EMPLOYER"
    block["dependants"][0]["name"] = "SENTINEL-SPOUSE"
    block["dependants"][1]["name"] = "SENTINEL-CHILD"
    return ["SENTINEL-EMPLOYER", "SENTINEL-SPOUSE", "SENTINEL-CHILD"]


def _postdoc(block: dict[str, Any]) -> list[str]:
    block.update(
        university="SENTINEL-UNIVERSITY",
        discipline="SENTINEL-DISCIPLINE",
        certificateNumber="SENTINEL-CERTIFICATE",
        supervisors=[{"name": "SENTINEL-SUPERVISOR", "unit": "SENTINEL-UNIT"}],
    )
    return [
        "SENTINEL-UNIVERSITY",
        "SENTINEL-DISCIPLINE",
        "SENTINEL-CERTIFICATE",
        "SENTINEL-SUPERVISOR",
        "SENTINEL-UNIT",
    ]


CASES: dict[str, tuple[str, Sentinels]] = {
    "ProfessionalTitleCredential": (QINGPU_BUREAU.uscc, _title),
    "JointTitleCredential": (JOINT_MECHANICAL_COMMITTEE.uscc, _title),
    "ResidencePermitCredential": (QINGPU_BUREAU.uscc, _permit),
    "RecommendationLetterCredential": (EXECUTIVE_COMMITTEE.uscc, _letter),
    "PostdocAffiliationCredential": (POSTDOC_STATION.uscc, _postdoc),
}
HOLDER = "Sentinelname Holderfield"


def _record_map(payload: str) -> dict[int, Any]:
    message = cose.decode_sign1(qrcontainer.decode_payload(payload))
    record: dict[int, Any] = cbor2.loads(message.payload)[RECORD_CLAIM]
    return record


@pytest.mark.parametrize("record_type", list(CASES))
def test_partner_fields_never_reach_the_qr_or_the_scan(client, demo, record_type):
    uscc, fill = CASES[record_type]
    spec = RECORD_TYPES[record_type]
    credential = copy.deepcopy(schema_document(record_type)["examples"][0])
    subject = credential["credentialSubject"]
    sentinels = fill(subject[spec.subject_key])
    subject["name"] = HOLDER
    response = client.post(
        "/credentials/issue", json={"credential": credential}, headers=issuer_headers(demo, uscc)
    )
    assert response.status_code == 201, response.text
    payload = response.json()["qr"]["payload"]

    raw = qrcontainer.decode_payload(payload)
    record = _record_map(payload)
    allowed_keys = {0, 1, 8} | set(spec.encode(spec.read(_public(spec, subject))))
    assert set(record) == allowed_keys
    scan = client.post("/api/v1/scan", json={"payload": payload})
    assert scan.status_code == 200
    scanned = json.dumps(scan.json(), ensure_ascii=False)
    for secret in [*sentinels, HOLDER, "Sentinelname", "Holderfield"]:
        assert secret.encode() not in raw, secret
        assert secret not in payload
        assert secret not in scanned, secret
    assert set(scan.json()["record"][spec.subject_key]) <= set(spec.public_fields)

    partner = client.post(
        "/api/v1/verify",
        json={"qr": payload, "purpose": "人才引进资格审核"},
        headers=bearer(demo.tokens[f"partner:{_native_region(record_type)}"]),
    )
    told = json.dumps(partner.json(), ensure_ascii=False)
    for secret in [*sentinels, HOLDER]:
        assert secret in told, secret


def _public(spec: Any, subject: dict[str, Any]) -> dict[str, Any]:
    block = subject[spec.subject_key]
    return {name: block[name] for name in spec.public_fields if name in block}


def _native_region(record_type: str) -> str:
    """A region where the record counts natively, so the partner check passes."""
    return "320509" if record_type == "JointTitleCredential" else "310118"

"""QR payloads of vocational qualifications, continuing-education hours and equivalences:
partner-only fields never reach the QR or the public view, and the payload round-trips.

The size budget of every record type, these included, is proven in
tests/render/test_recordtype_qr_budget.py."""

from __future__ import annotations

import copy
import json
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.records import qrclaims
from registry.core.records.credential import RecordFacts, facts_from_credential
from registry.core.recordtypes import public_view, spec_of
from registry.core.resources import schemas_dir
from tests.support.memory_trust import kid_for

PARTNER_SENTINELS = {
    "VocationalQualificationCredential": {
        "certificateNumber": "SENTINEL-CERT-7Q1",
        "registrationNumber": "SENTINEL-REG-7Q2",
    },
    "ContinuingEducationCredential": {
        "courses": [
            {
                "title": "SENTINEL-COURSE-7Q3",
                "kind": "公需科目",
                "hours": 30,
                "provider": "SENTINEL-PROVIDER-7Q4",
            },
            {
                "title": "SENTINEL-COURSE-7Q5",
                "kind": "专业科目",
                "hours": 24,
                "provider": "SENTINEL-PROVIDER-7Q6",
            },
        ]
    },
    "QualificationEquivalenceCredential": {
        "decisionNumber": "SENTINEL-DECISION-7Q7",
        "foreignQualification": "SENTINEL-FOREIGN-7Q8",
        "awardingBody": "SENTINEL-BODY-7Q9",
        "foreignCertificateNumber": "SENTINEL-NUMBER-7QA",
    },
}


def _signed(facts: RecordFacts) -> str:
    key = Ed25519PrivateKey.generate()
    return qrclaims.sign_payload(facts, key, kid_for(key))


def _issued_credential(record_type: str) -> dict[str, Any]:
    """The schema's issued example with sentinel values in every partner-only field."""
    path = schemas_dir() / record_type / "v1.schema.json"
    document = copy.deepcopy(json.loads(path.read_text(encoding="utf-8"))["examples"][1])
    spec = spec_of(record_type)
    document["credentialSubject"][spec.subject_key].update(PARTNER_SENTINELS[record_type])
    return document


@pytest.mark.parametrize("record_type", PARTNER_SENTINELS)
def test_partner_only_fields_never_reach_the_qr_or_the_public_view(record_type):
    document = _issued_credential(record_type)
    spec = spec_of(record_type)
    assert set(PARTNER_SENTINELS[record_type]) == set(spec.partner_fields)
    facts = facts_from_credential(document, "张*娟")
    encoded = cbor2.dumps(qrclaims.claims_of(facts))
    shown = json.dumps(public_view(spec, facts.details), ensure_ascii=False)
    for sentinel in json.dumps(PARTNER_SENTINELS[record_type]).split('"'):
        if sentinel.startswith("SENTINEL"):
            assert sentinel.encode() not in encoded
            assert sentinel not in shown
            assert sentinel in json.dumps(document)  # the sentinel really was there
    assert qrclaims.decode_payload(_signed(facts)).facts == facts

"""QR payloads of vocational qualifications, continuing-education hours and equivalences:
round trip, the size budget with the longest realistic values (rendered and read back),
and partner-only fields that never reach the QR or the public view."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core import qrclaims, qrcontainer
from registry.core.codes import code_list
from registry.core.records import RecordFacts, facts_from_credential
from registry.core.recordtypes import public_view, spec_of
from registry.core.recordtypes.continuing_education import ContinuingEducationFacts
from registry.core.recordtypes.equivalence import EquivalenceFacts
from registry.core.recordtypes.vocational import VocationalQualificationFacts
from registry.core.resources import schemas_dir
from registry.render.qrimage import qr_version, render_png
from registry.render.scan import read_qr_text
from tests.support.memory_trust import kid_for

LONG_BASE = "https://talent.yrd-zone.example.cn"  # 35 characters, as DESIGN.md measured
FAR = datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC)
LONG_MASKED_NAME = "阿**丽·买***提·艾*尔"

LONGEST: dict[str, Any] = {
    "VocationalQualificationCredential": VocationalQualificationFacts(
        qualification="计算机技术与软件专业技术资格",
        level="高级",
        kind="水平评价类",
        authority="上海市住房和城乡建设管理委员会",
        obtained_on=date(2099, 12, 31),
        shared_across_zone=True,
        specialty="金属非金属矿山安全",
        registration_region="330421",
    ),
    "ContinuingEducationCredential": ContinuingEducationFacts(
        year=2099,
        general_hours=499.5,
        professional_hours=499.5,
        regions=tuple(code_list("divisions").codes),  # every division the list knows
    ),
    "QualificationEquivalenceCredential": EquivalenceFacts(
        catalogue="SH-FOREIGN-QUALIFICATIONS-2099-X",  # 32 characters, the most allowed
        catalogue_version="2099.12.31-rev99",  # 16
        item="ENG-CIVIL-STRUCTURAL-00000001.99",  # 32
        mapped_series="民用航空飞行技术",
        mapped_level="正高级",
        decided_on=date(2099, 12, 31),
        mapped_specialty="船舶与海洋工程",
    ),
}
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


def _facts(record_type: str, details: Any) -> RecordFacts:
    return RecordFacts(
        record_id=str(uuid.uuid4()),
        record_type=record_type,
        issuer_uscc="11330421MB0000001N",
        issued_at=FAR,
        valid_from=FAR,
        valid_until=FAR,
        masked_name=LONG_MASKED_NAME,
        details=details,
        status_index=131_071,
    )


def _signed(facts: RecordFacts) -> str:
    key = Ed25519PrivateKey.generate()
    return qrclaims.sign_payload(facts, key, kid_for(key))


@pytest.mark.parametrize("record_type", LONGEST)
def test_longest_values_fit_version_15_at_level_m_and_read_back(record_type):
    facts = _facts(record_type, LONGEST[record_type])
    text = _signed(facts)
    assert len(qrcontainer.decode_payload(text)) <= 395
    url = qrcontainer.verify_url(LONG_BASE, text)
    assert qr_version(url, "M") <= 15
    read = read_qr_text(render_png(url))
    assert read == url
    assert qrclaims.decode_payload(read).facts == facts


def _issued_credential(record_type: str) -> dict[str, Any]:
    """The schema's issued example with sentinel values in every partner-only field."""
    path = schemas_dir() / record_type / "v1.schema.json"
    document = copy.deepcopy(json.loads(path.read_text(encoding="utf-8"))["examples"][1])
    spec = spec_of(record_type)
    document["credentialSubject"][spec.subject_key].update(PARTNER_SENTINELS[record_type])
    return document


@pytest.mark.parametrize("record_type", LONGEST)
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

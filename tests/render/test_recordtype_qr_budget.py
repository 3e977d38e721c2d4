"""Every record type's QR, with the longest values its schema allows, stays within 395
payload bytes and QR version 15 at level M: rendered as a PNG and read back with zxing-cpp.

"Longest" is measured in QR bytes: text fields at their schema ``maxLength`` (realistic
text, which compresses no better than real records), arrays at ``maxItems``, every optional
public field present, and for code-list fields the code with the largest QR number (codes
travel as numbers, so the widest number, not the longest label, costs the most bytes)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.codes import code_list
from registry.core.formats import qrcontainer
from registry.core.records import qrclaims
from registry.core.records.credential import RecordFacts
from registry.core.records.schemas import schema_document
from registry.core.recordtypes import RECORD_TYPES
from registry.core.recordtypes.base import RecordDetails
from registry.core.recordtypes.continuing_education import (
    CONTINUING_EDUCATION,
    ContinuingEducationFacts,
)
from registry.core.recordtypes.equivalence import QUALIFICATION_EQUIVALENCE, EquivalenceFacts
from registry.core.recordtypes.postdoc import (
    BRANCH_MAX,
    HOST_UNIT_MAX,
    POSTDOC_AFFILIATION,
    PostdocFacts,
)
from registry.core.recordtypes.recommendation import (
    LETTER_NUMBER_MAX,
    RECOMMENDATION_LETTER,
    RecommendationFacts,
)
from registry.core.recordtypes.residence import RESIDENCE_PERMIT, ResidencePermitFacts
from registry.core.recordtypes.title import JOINT_TITLE, TITLE, TitleFacts
from registry.core.recordtypes.vocational import (
    VOCATIONAL_QUALIFICATION,
    VocationalQualificationFacts,
)
from registry.render.qrimage import qr_version, render_png
from registry.render.scan import read_qr_text
from tests.support.memory_trust import kid_for

LONG_BASE = "https://talent.yrd-zone.example.cn"  # the longest base URL planned for
FAR = datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC)
MAX_PAYLOAD = qrcontainer.MAX_SIGNED_BYTES  # 395, the budget issuance enforces
MAX_VERSION = 15
LONG_HAN_NAME = "阿**丽·买***提·艾*尔"  # masked form of a long minority name
# Masked form of a 64-character name written in Latin letters (the schema's longest).
LONG_LATIN_NAME = "M********* A******** v** H**********-S************* d* l* T*****"
LONG_BRANCH = "长三角示范区汾湖装备分站"
LONG_HOST_UNIT = "嘉兴市嘉善县姚庄镇经济开发区智能精密仪器装备制造有限公司"
LONG_LETTER_NUMBER = "长三角一体化示范区执行委员会外籍高层次人才永久居留推荐函〔2099〕第9999号"
LONG_CATALOGUE = "SH-FOREIGN-QUALIFICATIONS-2099-X"
LONG_CATALOGUE_VERSION = "2099.12.31-rev99"
LONG_ITEM = "ENG-CIVIL-STRUCTURAL-00000001.99"
LAST_DAY = date(2099, 12, 31)


def _widest(list_name: str, count: int = 1) -> list[str]:
    """The ``count`` codes of a list with the largest QR numbers (the most CBOR bytes)."""
    codes = code_list(list_name)
    return sorted(codes.codes, key=lambda code: codes.by_code(code).qr)[-count:]


def _code(list_name: str) -> str:
    return _widest(list_name)[0]


def _facts(record_type: str, details: RecordDetails, name: str) -> RecordFacts:
    return RecordFacts(
        record_id=str(uuid.uuid4()),
        record_type=record_type,
        issuer_uscc="11310118MB0000060P",
        issued_at=FAR,
        valid_from=FAR,
        valid_until=FAR,
        masked_name=name,
        details=details,
        status_index=131_071,
    )


def _title(joint: bool) -> TitleFacts:
    return TitleFacts(
        _code("title-series"),
        _code("specialties"),
        _code("title-levels"),
        _code("title-names"),
        _code("obtained-by"),
        LAST_DAY,
        "11320509MB0000091M" if joint else None,
        tuple(_widest("divisions", 3)) if joint else (),
    )


LONGEST: dict[str, RecordDetails] = {
    TITLE: _title(joint=False),
    JOINT_TITLE: _title(joint=True),
    RESIDENCE_PERMIT: ResidencePermitFacts(_code("permit-roles"), date(2095, 1, 1), LAST_DAY),
    RECOMMENDATION_LETTER: RecommendationFacts(
        LONG_LETTER_NUMBER, date(2099, 1, 1), _code("recommendation-purposes"), LAST_DAY
    ),
    POSTDOC_AFFILIATION: PostdocFacts(
        _code("postdoc-stations"),
        LONG_BRANCH,
        LONG_HOST_UNIT,
        date(2095, 1, 1),
        _code("postdoc-states"),
        LAST_DAY,
    ),
    VOCATIONAL_QUALIFICATION: VocationalQualificationFacts(
        qualification=_code("vocational-qualifications"),
        level=_code("qualification-levels"),
        kind=_code("qualification-kinds"),
        authority=_code("qualification-authorities"),
        obtained_on=LAST_DAY,
        shared_across_zone=True,
        specialty=_code("qualification-specialties"),
        registration_region=_code("divisions"),
    ),
    CONTINUING_EDUCATION: ContinuingEducationFacts(
        year=2099,
        general_hours=500,
        professional_hours=500,
        regions=tuple(_widest("divisions", 10)),
    ),
    QUALIFICATION_EQUIVALENCE: EquivalenceFacts(
        catalogue=LONG_CATALOGUE,
        catalogue_version=LONG_CATALOGUE_VERSION,
        item=LONG_ITEM,
        mapped_series=_code("title-series"),
        mapped_level=_code("title-levels"),
        decided_on=LAST_DAY,
        mapped_specialty=_code("specialties"),
    ),
}


def test_every_record_type_is_measured():
    assert set(LONGEST) == set(RECORD_TYPES)


@pytest.mark.parametrize("record_type", list(LONGEST))
def test_the_long_values_are_the_schemas_longest(record_type: str) -> None:
    """Each public field is present and at its schema's widest (see the module docstring)."""
    spec = RECORD_TYPES[record_type]
    subject = schema_document(record_type)["properties"]["credentialSubject"]
    assert subject["properties"]["name"]["maxLength"] == len(LONG_LATIN_NAME)
    fields: dict[str, Any] = subject["properties"][spec.subject_key]["properties"]
    written = spec.write(LONGEST[record_type])
    assert set(written) == set(spec.public_fields)  # optional public fields included
    for name, value in written.items():
        rule = fields[name]
        list_name = spec.code_fields.get(name)
        if isinstance(value, list):
            assert len(value) == rule["maxItems"], name
            assert list_name is not None
            assert sorted(value) == sorted(_widest(list_name, len(value))), name
        elif list_name is not None:
            assert value == _code(list_name), name
        elif "maxLength" in rule:
            assert len(value) == rule["maxLength"], name
    assert len(LONG_BRANCH) == BRANCH_MAX
    assert len(LONG_HOST_UNIT) == HOST_UNIT_MAX
    assert len(LONG_LETTER_NUMBER) == LETTER_NUMBER_MAX


@pytest.mark.parametrize("name", [LONG_HAN_NAME, LONG_LATIN_NAME], ids=["han", "latin"])
@pytest.mark.parametrize("record_type", list(LONGEST))
def test_longest_record_fits_the_budget_and_reads_back(record_type: str, name: str) -> None:
    facts = _facts(record_type, LONGEST[record_type], name)
    key = Ed25519PrivateKey.generate()
    text = qrclaims.sign_payload(facts, key, kid_for(key))  # random-looking, as real kids
    assert len(qrcontainer.decode_payload(text)) <= MAX_PAYLOAD
    qrcontainer.require_within_budget(text)  # issuance accepts it
    url = qrcontainer.verify_url(LONG_BASE, text)
    assert qr_version(url, "M") <= MAX_VERSION
    read = read_qr_text(render_png(url))
    assert read == url
    decoded = qrclaims.decode_payload(read)
    assert decoded.facts == facts
    decoded.message.verify(key.public_key())

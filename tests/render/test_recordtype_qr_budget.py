"""Every record type's QR, with the longest realistic values, stays within 395 payload bytes
and QR version 15 at level M: rendered as a PNG and read back with zxing-cpp."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core import qrclaims, qrcontainer
from registry.core.records import RecordFacts
from registry.core.recordtypes.base import RecordDetails
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
from registry.core.schemas import schema_document
from registry.render.qrimage import qr_version, render_png
from registry.render.scan import read_qr_text

LONG_BASE = "https://talent.yrd-zone.example.cn"  # the longest base URL planned for
FAR = datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC)
MAX_PAYLOAD = 395
MAX_VERSION = 15
LONG_HAN_NAME = "阿**丽·买***提·艾*尔"  # masked form of a long minority name
# Masked form of a 64-character name written in Latin letters (the schema's longest).
LONG_LATIN_NAME = "M********* A******** v** H**********-S************* d* l* T*****"
LONG_BRANCH = "长三角示范区汾湖装备分站"
LONG_HOST_UNIT = "嘉兴市嘉善县姚庄镇经济开发区智能精密仪器装备制造有限公司"
LONG_LETTER_NUMBER = "长三角一体化示范区执行委员会外籍高层次人才永久居留推荐函〔2099〕第9999号"


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


LONGEST: dict[str, RecordDetails] = {
    TITLE: TitleFacts(
        "工程技术", "生物医药工程", "正高级", "正高级工程师", "考核认定", date(2099, 12, 31)
    ),
    JOINT_TITLE: TitleFacts(
        "工程技术",
        "生物医药工程",
        "正高级",
        "正高级工程师",
        "考核认定",
        date(2099, 12, 31),
        "11320509MB0000091M",
        ("310118", "320509", "330421"),
    ),
    RESIDENCE_PERMIT: ResidencePermitFacts("随员证", date(2095, 1, 1), date(2099, 12, 31)),
    RECOMMENDATION_LETTER: RecommendationFacts(
        LONG_LETTER_NUMBER, date(2099, 1, 1), "直接申请永久居留", date(2099, 12, 31)
    ),
    POSTDOC_AFFILIATION: PostdocFacts(
        "示范区博士后科研工作站总站",
        LONG_BRANCH,
        LONG_HOST_UNIT,
        date(2095, 1, 1),
        "退站",
        date(2099, 12, 31),
    ),
}


def test_the_long_values_are_the_schemas_longest() -> None:
    assert len(LONG_LATIN_NAME) == 64
    assert len(LONG_BRANCH) == BRANCH_MAX
    assert len(LONG_HOST_UNIT) == HOST_UNIT_MAX
    assert len(LONG_LETTER_NUMBER) == LETTER_NUMBER_MAX
    postdoc = schema_document(POSTDOC_AFFILIATION)["properties"]["credentialSubject"]
    block = postdoc["properties"]["postdocAffiliation"]["properties"]
    assert block["branch"]["maxLength"] == BRANCH_MAX
    assert block["hostUnit"]["maxLength"] == HOST_UNIT_MAX
    letter = schema_document(RECOMMENDATION_LETTER)["properties"]["credentialSubject"]
    number = letter["properties"]["recommendationLetter"]["properties"]["letterNumber"]
    assert number["maxLength"] == LETTER_NUMBER_MAX
    name = postdoc["properties"]["name"]
    assert name["maxLength"] == len(LONG_LATIN_NAME)


@pytest.mark.parametrize("name", [LONG_HAN_NAME, LONG_LATIN_NAME], ids=["han", "latin"])
@pytest.mark.parametrize("record_type", list(LONGEST))
def test_longest_record_fits_the_budget_and_reads_back(record_type: str, name: str) -> None:
    facts = _facts(record_type, LONGEST[record_type], name)
    key = Ed25519PrivateKey.generate()
    text = qrclaims.sign_payload(facts, key, bytes(8))
    assert len(qrcontainer.decode_payload(text)) <= MAX_PAYLOAD
    url = qrcontainer.verify_url(LONG_BASE, text)
    assert qr_version(url, "M") <= MAX_VERSION
    read = read_qr_text(render_png(url))
    assert read == url
    decoded = qrclaims.decode_payload(read)
    assert decoded.facts == facts
    decoded.message.verify(key.public_key())

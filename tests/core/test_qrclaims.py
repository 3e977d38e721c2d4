"""QR payload claims: round trip, allow-list, refusal of bad claims, and the size budget."""

from __future__ import annotations

import io
import uuid
from dataclasses import fields, replace
from datetime import UTC, date, datetime

import cbor2
import pytest
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from registry.core.errors import RegistryError
from registry.core.formats import cose, qrcontainer
from registry.core.records import qrclaims
from registry.core.records.credential import RecordFacts
from registry.render.qrimage import qr_version, render_png
from tests.support.memory_trust import kid_for, title_facts

# The longest base URL we plan for (35 characters, as DESIGN.md measured).
LONG_BASE = "https://talent.yrd-zone.example.cn"


def signed(facts: RecordFacts) -> tuple[str, Ed25519PrivateKey]:
    key = Ed25519PrivateKey.generate()
    return qrclaims.sign_payload(facts, key, kid_for(key)), key


def test_round_trip_keeps_every_public_fact():
    facts = title_facts(str(uuid.uuid4()), joint=True)
    text, key = signed(facts)
    decoded = qrclaims.decode_payload(text)
    assert decoded.facts == facts
    assert decoded.kid == kid_for(key)
    decoded.message.verify(key.public_key())


def test_plain_title_has_no_joint_claims():
    facts = title_facts(str(uuid.uuid4()))
    claims = qrclaims.claims_of(facts)
    record = claims[qrclaims.RECORD_CLAIM]
    assert qrclaims.JOINT_COMMITTEE not in record
    assert qrclaims.REVIEW_REGIONS not in record


def test_claims_hold_codes_not_labels():
    claims = qrclaims.claims_of(title_facts(str(uuid.uuid4())))
    encoded = cbor2.dumps(claims)
    for label in ("工程技术", "机械工程", "高级工程师", "副高级", "评审"):
        assert label.encode() not in encoded


def test_only_allow_listed_facts_reach_the_claims():
    """RecordFacts is the allow-list: adding a field to it must be a deliberate act."""
    assert {f.name for f in fields(RecordFacts)} == {
        "record_id",
        "record_type",
        "issuer_uscc",
        "issued_at",
        "valid_from",
        "valid_until",
        "masked_name",
        "details",
        "status_index",
    }


@pytest.mark.parametrize(
    "mutate",
    [
        lambda c: c.pop(qrclaims.RECORD_CLAIM),
        lambda c: c.__setitem__(qrclaims.CLAIM_CTI, b"short"),
        lambda c: c[qrclaims.RECORD_CLAIM].__setitem__(qrclaims.SERIES, 9999),
        lambda c: c[qrclaims.RECORD_CLAIM].__setitem__(qrclaims.LEVEL, "副高级"),
        lambda c: c[qrclaims.RECORD_CLAIM].__setitem__(qrclaims.NAME, ""),
        lambda c: c[qrclaims.RECORD_CLAIM].__setitem__(qrclaims.OBTAINED_ON, 10**12),
        lambda c: c.__setitem__(qrclaims.CLAIM_IAT, "yesterday"),
        lambda c: c[qrclaims.RECORD_CLAIM].__setitem__(qrclaims.REVIEW_REGIONS, "310118"),
    ],
    ids=[
        "no-record",
        "short-cti",
        "unknown-series",
        "label-not-code",
        "empty-name",
        "huge-date",
        "text-iat",
        "regions-not-list",
    ],
)
def test_bad_claims_are_refused(mutate):
    claims = qrclaims.claims_of(title_facts(str(uuid.uuid4()), joint=True))
    mutate(claims)
    key = Ed25519PrivateKey.generate()
    text = qrcontainer.encode_payload(cose.sign1(cbor2.dumps(claims), key, kid=kid_for(key)))
    with pytest.raises(RegistryError) as caught:
        qrclaims.decode_payload(text)
    assert caught.value.code == "QR_CLAIMS_INVALID"


def test_payload_that_is_not_cbor_is_refused():
    key = Ed25519PrivateKey.generate()
    text = qrcontainer.encode_payload(cose.sign1(b"\xff\x00not cbor", key, kid=kid_for(key)))
    with pytest.raises(RegistryError) as caught:
        qrclaims.decode_payload(text)
    assert caught.value.code == "QR_CLAIMS_INVALID"


def longest_realistic(joint: bool) -> RecordFacts:
    """The longest values a title record realistically carries."""
    far = datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC)
    facts = title_facts(str(uuid.uuid4()), joint=joint)
    title = replace(
        facts.details,
        specialty="生物医药工程",
        title_name="正高级工程师",
        level="正高级",
        obtained_on=date(2099, 12, 31),
    )
    return replace(
        facts,
        details=title,
        masked_name="阿**丽·买***提·艾*尔",  # masked form of a long minority name
        issued_at=far,
        valid_from=far,
        valid_until=far,
        status_index=131_071,
    )


@pytest.mark.parametrize("joint", [False, True], ids=["title", "joint-title"])
def test_qr_budget_with_longest_values(joint):
    text, _ = signed(longest_realistic(joint))
    payload_bytes = qrcontainer.decode_payload(text)
    assert len(payload_bytes) <= 395
    url = qrcontainer.verify_url(LONG_BASE, text)
    assert len(LONG_BASE) >= 34
    assert qr_version(url, "M") <= 15
    png = render_png(url)
    results = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode
    )
    assert [r.text for r in results] == [url]
    assert qrclaims.decode_payload(results[0].text).facts.masked_name == "阿**丽·买***提·艾*尔"


def test_the_standard_claims_use_their_registered_cwt_keys() -> None:
    """RFC 8392 section 9.1: iss 1, exp 4, nbf 5, iat 6, cti 7 (a verifier outside the
    registry reads these keys, so they are not ours to choose)."""
    keys = (qrclaims.CLAIM_ISS, qrclaims.CLAIM_EXP, qrclaims.CLAIM_NBF)
    assert (*keys, qrclaims.CLAIM_IAT, qrclaims.CLAIM_CTI) == (1, 4, 5, 6, 7)

"""The wire answer: public facts only, and only when the signature held."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.records import qrclaims
from registry.core.verification.record import VerifyRequest, verify_qr
from registry.services.records.answers import answer
from tests.support.memory_trust import kid_for, title_facts, zone_trust

NOW = datetime(2026, 11, 22, 9, 30, 15, tzinfo=UTC)  # fixed, as is all built from it
ISSUED = NOW - timedelta(days=1)


def test_valid_answer_expands_codes_and_names_the_issuer():
    trust = zone_trust(NOW)
    facts = title_facts(str(uuid.uuid4()), issued=ISSUED, joint=True)
    trust.statuses[facts.record_id] = "active"
    key = trust.private[facts.issuer_uscc]
    body = answer(
        verify_qr(qrclaims.sign_payload(facts, key, kid_for(key)), trust, trust, VerifyRequest(NOW))
    )
    assert body["verified"] is True
    assert "problemDetails" not in body
    title = body["record"]["professionalTitle"]
    assert title["titleName"] == {
        "code": "高级工程师",
        "zh": "高级工程师",
        "en": title["titleName"]["en"],
    }
    assert title["titleName"]["en"]
    assert [r["code"] for r in title["reviewRegions"]] == ["310118", "320509", "330421"]
    assert body["issuer"]["uscc"] == facts.issuer_uscc
    assert set(body["record"]) == {
        "id",
        "type",
        "maskedName",
        "issuedAt",
        "validFrom",
        "validUntil",
        "detailsKey",
        "professionalTitle",
        "labels",
    }
    assert body["record"]["detailsKey"] == "professionalTitle"
    assert set(body["record"]["labels"]) == set(title)
    assert body["record"]["labels"]["titleName"] == {"zh": "职称名称", "en": "Title"}


def test_forged_record_shows_no_facts():
    trust = zone_trust(NOW)
    facts = title_facts(str(uuid.uuid4()), issued=ISSUED)
    trust.statuses[facts.record_id] = "active"
    forger = Ed25519PrivateKey.generate()
    text = qrclaims.sign_payload(facts, forger, trust.key_of(facts.issuer_uscc).kid)
    body = answer(verify_qr(text, trust, trust, VerifyRequest(NOW)))
    assert body["verified"] is False
    assert body["record"] is None
    assert body["issuer"] is None
    assert [p["code"] for p in body["problemDetails"]] == ["SIGNATURE_INVALID"]
    assert body["problemDetails"][0]["type"].endswith("#CRYPTOGRAPHIC_SECURITY_ERROR")

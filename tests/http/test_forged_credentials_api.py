"""A forged copy of a real record never borrows its standing (issue 13, finding 1).

An attacker who has seen a QR code or holds a credential can copy it, change it and sign it
with a key of their own (or, worse, with a leaked key of ours). Whatever they present, the
registry attaches what it stores about a record (status, partner facts, the holder's access
log, recognition) only to the very record it issued: the exact issuer id, a key of that
issuer, and the stored signature. Every verify path is tried: VC-API, partner single and
batch, the public scan, and the holder's log.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import select

from registry.core.formats import dataintegrity
from registry.core.formats.multikey import did_key_verification_method
from registry.core.records import qrclaims
from registry.demo.data import JIASHAN_BUREAU, QINGPU_BUREAU
from registry.services.access.tokens import create_token
from registry.storage.repositories import IssuerRepository, SigningKeyRepository
from registry.storage.tables import RecordAccessRow
from tests.support.api_checks import check_of, issuer_headers
from tests.support.clock import now
from tests.support.fixtures import bearer


def genuine(client, demo) -> dict[str, Any]:
    """The demo's first record (a Qingpu title) as its issuer holds it."""
    response = client.get(
        f"/api/v1/credentials/{demo.records[0]}", headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def issuer_key(registry, uscc: str) -> tuple[Ed25519PrivateKey, str]:
    """A real issuer's private key and its method id: what a key leak hands an attacker."""
    with registry.reading() as session:
        issuer = IssuerRepository(session).by_uscc(uscc)
        row = next(r for r in SigningKeyRepository(session).all() if r.issuer_id == issuer.id)
        key = registry.keystore.private_key(row)
    return key, f"{registry.urls.issuer(uscc)}#{row.kid}"


def raised(document: dict[str, Any]) -> dict[str, Any]:
    """The record's content raised to 正高级, unsigned."""
    forged = copy.deepcopy(document)
    forged.pop("proof")
    forged["credentialSubject"]["professionalTitle"]["level"] = "正高级"
    forged["credentialSubject"]["professionalTitle"]["titleName"] = "正高级工程师"
    return forged


def signed(document: dict[str, Any], key: Ed25519PrivateKey, method: str) -> dict[str, Any]:
    options = dataintegrity.ProofOptions(method, now() - timedelta(minutes=5))
    return dataintegrity.add_proof(document, key, options)


def the_reported_forgery(client, demo) -> dict[str, Any]:
    """The review's reproduction: proof dropped, issuer moved to a foreign host ending in the
    real issuer's USCC, level raised, signed with a fresh did:key."""
    forged = raised(genuine(client, demo)["verifiableCredential"])
    forged["issuer"]["id"] = f"https://evil.example/issuers/{QINGPU_BUREAU.uscc}"
    fresh = Ed25519PrivateKey.generate()
    return signed(forged, fresh, did_key_verification_method(fresh.public_key()))


def forgeries(client, demo, registry) -> dict[str, dict[str, Any]]:
    """Every way of borrowing the real record's id: foreign issuer id, our issuer id with a
    did:key, another issuer's real key, and the issuer's own key leaked (content altered)."""
    document = genuine(client, demo)["verifiableCredential"]
    fresh = Ed25519PrivateKey.generate()
    did_method = did_key_verification_method(fresh.public_key())
    jiashan_key, jiashan_method = issuer_key(registry, JIASHAN_BUREAU.uscc)
    qingpu_key, qingpu_method = issuer_key(registry, QINGPU_BUREAU.uscc)
    ours_did = signed(raised(document), fresh, did_method)
    other_issuer = raised(document)
    other_issuer["issuer"]["id"] = registry.urls.issuer(JIASHAN_BUREAU.uscc)
    return {
        "foreign_host_did_key": the_reported_forgery(client, demo),
        "our_issuer_id_did_key": ours_did,
        "our_issuer_id_other_issuers_key": signed(raised(document), jiashan_key, jiashan_method),
        "other_issuer_own_key_same_record_id": signed(other_issuer, jiashan_key, jiashan_method),
        "leaked_issuer_key_altered_copy": signed(raised(document), qingpu_key, qingpu_method),
    }


def accesses(registry) -> list[RecordAccessRow]:
    with registry.reading() as session:
        return list(session.exec(select(RecordAccessRow)).all())


def test_the_reported_forgery_is_not_verified_on_the_vc_api(client, demo):
    response = client.post(
        "/credentials/verify", json={"verifiableCredential": the_reported_forgery(client, demo)}
    )
    answer = response.json()
    assert answer["verified"] is False
    assert check_of(answer, "signature")["code"] == "KEY_NOT_CONTROLLED_BY_ISSUER"
    assert check_of(answer, "issuer_known")["code"] == "ISSUER_UNKNOWN"
    assert check_of(answer, "status")["code"] != "STATUS_ACTIVE"
    assert answer["record"] is None and answer["issuer"] is None


@pytest.mark.parametrize(
    "kind",
    [
        "foreign_host_did_key",
        "our_issuer_id_did_key",
        "our_issuer_id_other_issuers_key",
        "other_issuer_own_key_same_record_id",
        "leaked_issuer_key_altered_copy",
    ],
)
def test_no_forgery_borrows_the_record_on_any_path(client, demo, registry, kind):
    forged = forgeries(client, demo, registry)[kind]
    vc_api = client.post("/credentials/verify", json={"verifiableCredential": forged}).json()
    assert vc_api["verified"] is False
    assert check_of(vc_api, "status")["code"] != "STATUS_ACTIVE"

    statutory = create_token(
        registry,
        "partner",
        now=now(),
        region="310118",
        name="青浦公安出入境",
        statutory_basis="《出境入境管理法》第三十九条",
    )
    single = client.post(
        "/api/v1/verify",
        json={"credential": forged, "purpose": "职称核验"},
        headers=bearer(statutory),
    )
    assert single.status_code in (200, 422)
    answer = single.json()
    assert answer["verified"] is False
    assert "partner" not in answer and "holderNumbers" not in answer
    assert check_of(answer, "status")["code"] != "STATUS_ACTIVE"

    batch = client.post(
        "/api/v1/verify/batch",
        json={"items": [{"credential": forged}], "purpose": "职称核验"},
        headers=bearer(demo.tokens["partner:330421"]),
    ).json()
    assert batch["verified"] == 0 and batch["results"][0]["verified"] is False
    assert "partner" not in batch["results"][0]
    assert accesses(registry) == []  # the real holder's log is untouched


def test_the_genuine_record_still_verifies_and_is_logged(client, demo, registry):
    document = genuine(client, demo)["verifiableCredential"]
    single = client.post(
        "/api/v1/verify",
        json={"credential": document, "purpose": "职称核验"},
        headers=bearer(demo.tokens["partner:310118"]),
    ).json()
    assert check_of(single, "status")["code"] == "STATUS_ACTIVE"
    assert single["verified"] is True and "partner" in single
    assert [row.record_id for row in accesses(registry)] == [demo.records[0]]


def test_a_did_key_issuer_is_never_valid_for_partners(client, demo, registry):
    """A self-consistent did:key credential verifies cryptographically on the VC-API (with a
    warning), but a partner is never told it is valid."""
    from tests.support.partner_credentials import did_key_credential

    document = did_key_credential({"id": "did:example:holder", "name": "示例"})
    vc_api = client.post("/credentials/verify", json={"verifiableCredential": document}).json()
    assert vc_api["verified"] is True
    assert check_of(vc_api, "issuer_known")["code"] == "ISSUER_NOT_IN_REGISTRY"
    partner = client.post(
        "/api/v1/verify",
        json={"credential": document, "purpose": "核验"},
        headers=bearer(demo.tokens["partner:310118"]),
    ).json()
    assert partner["verified"] is False
    assert check_of(partner, "issuer_known")["code"] == "ISSUER_NOT_TRUSTED"


def qr_facts(client, demo):
    response = client.get(
        f"/api/v1/credentials/{demo.records[0]}/qr",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    return qrclaims.decode_payload(response.json()["payload"])


@pytest.mark.parametrize("kind", ["leaked_key_altered", "other_issuer_same_record_id"])
def test_a_re_signed_qr_never_borrows_the_record(client, demo, registry, kind):
    """A QR signed again with a real key (leaked, or another issuer's) and the real record's
    id: signature and issuer checks may pass, but the stored status is not its status."""
    original = qr_facts(client, demo)
    facts = original.facts
    uscc = QINGPU_BUREAU.uscc if kind == "leaked_key_altered" else JIASHAN_BUREAU.uscc
    key, method = issuer_key(registry, uscc)
    kid = bytes.fromhex(method.rsplit("#", 1)[1])
    if kind == "leaked_key_altered":
        changed = replace(facts, masked_name=facts.masked_name + "甲")
    else:
        changed = replace(facts, issuer_uscc=uscc)
    payload = qrclaims.sign_payload(changed, key, kid)
    assert (
        payload
        != client.get(
            f"/api/v1/credentials/{demo.records[0]}/qr",
            headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
        ).json()["payload"]
    )
    scan = client.post("/api/v1/scan", json={"payload": payload}).json()
    assert scan["verified"] is False
    assert check_of(scan, "status")["code"] == "STATUS_UNKNOWN"
    partner = client.post(
        "/api/v1/verify",
        json={"qr": payload, "purpose": "职称核验"},
        headers=bearer(demo.tokens["partner:310118"]),
    ).json()
    assert partner["verified"] is False and "partner" not in partner
    batch = client.post(
        "/api/v1/verify/batch",
        json={"items": [{"qr": payload}], "purpose": "职称核验"},
        headers=bearer(demo.tokens["partner:310118"]),
    ).json()
    assert batch["verified"] == 0
    assert accesses(registry) == []

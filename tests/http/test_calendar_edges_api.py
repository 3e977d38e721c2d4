"""Date-times at the calendar's edge (issue 16): an instant whose UTC or China-time form
falls outside years 1-9999 is refused ``DATETIME_OUT_OF_RANGE`` (422, zh/en) on every
endpoint that reads one, never a 500; a QR signed with an issue time near year 9999 is a
format failure."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from registry.core.records import qrclaims
from registry.demo.data import DEMO_RECORDS, QINGPU_BUREAU
from registry.services.authority.keys import list_keys
from registry.storage.repositories import IssuerRepository, SigningKeyRepository
from tests.support.api_checks import (
    assert_problem,
    check_of,
    credential_count,
    issue,
    issuer_headers,
)
from tests.support.fixtures import bearer

TITLE_RECORD = DEMO_RECORDS[0]  # Qingpu bureau
EDGES = ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00", "9999-12-31T20:00:00Z"]
PURPOSE = "职称核验"


def _with(document: dict[str, Any], field: str, value: str) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    if field == "created":
        changed["proof"]["created"] = value
    else:
        changed[field] = value
    return changed


def _refused(response, code: str = "DATETIME_OUT_OF_RANGE") -> None:
    assert response.status_code < 500, response.text
    assert code in response.text, response.text


@pytest.mark.parametrize("edge", EDGES)
@pytest.mark.parametrize("field", ["validFrom", "validUntil", "created"])
def test_verifying_a_credential_with_an_edge_time_is_refused(client, demo, field, edge):
    issued = issue(client, demo, TITLE_RECORD)
    document = _with(issued["verifiableCredential"], field, edge)
    partner = bearer(demo.tokens["partner:310118"])
    _refused(client.post("/credentials/verify", json={"verifiableCredential": document}))
    _refused(
        client.post(
            "/api/v1/verify", json={"credential": document, "purpose": PURPOSE}, headers=partner
        )
    )
    batch = client.post(
        "/api/v1/verify/batch",
        json={"items": [{"credential": document}, issued["qr"]["payload"]], "purpose": PURPOSE},
        headers=partner,
    )
    assert batch.status_code == 200, batch.text  # one bad item never fails the others
    results = batch.json()["results"]
    assert results[0]["verified"] is False
    assert "DATETIME_OUT_OF_RANGE" in str(results[0])
    assert results[1]["verified"] is True


@pytest.mark.parametrize("edge", EDGES)
@pytest.mark.parametrize("field", ["validFrom", "validUntil"])
def test_issuing_or_amending_with_an_edge_time_is_refused(client, demo, registry, field, edge):
    before = credential_count(registry)
    credential = _with(TITLE_RECORD.issuance_request(), field, edge)
    headers = issuer_headers(demo, TITLE_RECORD.issuer_uscc)
    response = client.post("/credentials/issue", json={"credential": credential}, headers=headers)
    body = assert_problem(response, 422, "DATETIME_OUT_OF_RANGE")
    assert body["message"]["zh"] and body["message"]["en"]
    amended = client.post(
        f"/credentials/{demo.records[0]}/amend", json={"credential": credential}, headers=headers
    )
    assert_problem(amended, 422, "DATETIME_OUT_OF_RANGE")
    assert credential_count(registry) == before


@pytest.mark.parametrize("edge", EDGES[:2])
def test_a_key_compromise_at_an_edge_time_is_refused(client, demo, registry, edge):
    kid = next(view.kid for view in list_keys(registry) if view.issuer_uscc == QINGPU_BUREAU.uscc)
    response = client.post(
        f"/api/v1/admin/keys/{kid}/compromise",
        json={"at": edge},
        headers=bearer(demo.tokens["admin"]),
    )
    assert_problem(response, 422, "DATETIME_OUT_OF_RANGE")


def _key(registry) -> tuple[Any, bytes]:
    with registry.reading() as session:
        issuer = IssuerRepository(session).by_uscc(QINGPU_BUREAU.uscc)
        row = next(r for r in SigningKeyRepository(session).all() if r.issuer_id == issuer.id)
        return registry.keystore.private_key(row), bytes.fromhex(row.kid)


@pytest.mark.parametrize("compromised", [False, True], ids=["active-key", "compromised-key"])
def test_a_signed_qr_issued_near_year_9999_is_a_format_failure(client, demo, registry, compromised):
    """The issue time converts to UTC but not to China time: a format failure everywhere
    (whoever holds a compromised key gets no 500 either)."""
    response = client.get(
        f"/api/v1/credentials/{demo.records[0]}/qr",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    facts = qrclaims.decode_payload(response.json()["payload"]).facts
    late = datetime(9999, 12, 31, 20, 0, tzinfo=UTC)
    key, kid = _key(registry)
    payload = qrclaims.sign_payload(replace(facts, issued_at=late, valid_from=late), key, kid)
    if compromised:
        marked = client.post(
            f"/api/v1/admin/keys/{kid.hex()}/compromise",
            json={},
            headers=bearer(demo.tokens["admin"]),
        )
        assert marked.status_code < 300, marked.text
    partner = bearer(demo.tokens["partner:310118"])
    scan = client.post("/api/v1/scan", json={"payload": payload})
    verify = client.post(
        "/api/v1/verify", json={"qr": payload, "purpose": PURPOSE}, headers=partner
    )
    batch = client.post(
        "/api/v1/verify/batch", json={"items": [payload], "purpose": PURPOSE}, headers=partner
    )
    for answer in (scan, verify):
        assert answer.status_code < 500, answer.text
        assert answer.json()["verified"] is False
        assert check_of(answer.json(), "format")["outcome"] == "failed"
    assert batch.status_code == 200, batch.text
    assert check_of(batch.json()["results"][0], "format")["outcome"] == "failed"


def test_a_batch_item_with_an_edge_time_is_refused_alone(client, demo, registry):
    """``/credentials/issue/batch`` is per item: item 2 of 4 refused with its code, the
    others issued; the same call again replays them and issues nothing more."""
    good = TITLE_RECORD.issuance_request()
    bad = _with(good, "validFrom", EDGES[1])
    credentials = [good, _numbered(good, 1), bad, _numbered(good, 3)]
    headers = issuer_headers(demo, TITLE_RECORD.issuer_uscc)
    body = {"sessionKey": "edge-session-1", "credentials": credentials}
    before = credential_count(registry)
    response = client.post("/credentials/issue/batch", json=body, headers=headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [item["outcome"] for item in items] == ["issued", "issued", "refused", "issued"]
    assert items[2]["error"]["code"] == "DATETIME_OUT_OF_RANGE"
    assert credential_count(registry) == before + 3
    again = client.post("/credentials/issue/batch", json=body, headers=headers)
    assert [item["outcome"] for item in again.json()["items"]] == [
        "replayed",
        "replayed",
        "refused",
        "replayed",
    ]
    assert credential_count(registry) == before + 3


def _numbered(credential: dict[str, Any], number: int) -> dict[str, Any]:
    changed = copy.deepcopy(credential)
    title = changed["credentialSubject"]["professionalTitle"]
    title["certificateNumber"] = f"{title['certificateNumber']}-{number}"
    return changed

"""Published status lists: signed by the issuer, current at once, cacheable."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from registry.core.formats.statuslist import StatusList
from registry.demo.data import QINGPU_BUREAU
from registry.storage.tables import CredentialRow
from tests.support.fixtures import BASE_URL


@pytest.fixture(autouse=True)
def _away_from_a_minute_boundary(client) -> None:
    """Lists are signed once a minute (the ETag changes when the minute turns), so tests that
    compare two answers start, once the app and demo are set up, early enough in a minute to
    finish inside it."""
    second = datetime.now(UTC).second
    if second >= 55:
        time.sleep(61 - second)


def fetch(client, uscc=QINGPU_BUREAU.uscc, purpose="revocation", **headers):
    return client.get(f"/status/{uscc}/{purpose}", headers=headers)


def test_list_is_a_signed_credential_that_verifies(client):
    response = fetch(client)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=60"
    document = response.json()
    assert document["id"] == f"{BASE_URL}/status/{QINGPU_BUREAU.uscc}/revocation"
    assert document["credentialSubject"]["statusPurpose"] == "revocation"
    bits = StatusList.decode(document["credentialSubject"]["encodedList"])
    assert bits.entries == 131_072
    assert not any(bits._bits)
    verified = client.post("/credentials/verify", json={"verifiableCredential": document})
    assert verified.status_code == 200, verified.text
    assert verified.json()["issuer"]["uscc"] == QINGPU_BUREAU.uscc


def test_entries_point_into_the_list_and_changes_show_at_once(client, registry, demo):
    record_id = demo.records[0]
    with registry.transaction() as session:
        row = session.get(CredentialRow, record_id)
        assert row is not None
        entries = row.document["credentialStatus"]
        entries = entries if isinstance(entries, list) else [entries]
        entry = next(e for e in entries if e["statusPurpose"] == "revocation")
        row.status = "revoked"
        session.add(row)
    first_etag = fetch(client).headers["etag"]
    listed = client.get(entry["statusListCredential"].removeprefix(BASE_URL)).json()
    bits = StatusList.decode(listed["credentialSubject"]["encodedList"])
    assert bits.get(int(entry["statusListIndex"])) == 1
    assert sum(bits.get(i) for i in range(bits.entries)) == 1
    assert fetch(client, **{"If-None-Match": first_etag}).status_code == 304


def test_unknown_list_or_issuer(client):
    assert fetch(client, purpose="message").json()["code"] == "STATUS_LIST_UNKNOWN"
    assert fetch(client, uscc="11000000MB0000000X").json()["code"] == "ISSUER_UNKNOWN"


def test_suspension_list_is_signed_and_verifies(client):
    response = fetch(client, purpose="suspension")
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == f"{BASE_URL}/status/{QINGPU_BUREAU.uscc}/suspension"
    assert document["credentialSubject"]["statusPurpose"] == "suspension"
    assert StatusList.decode(document["credentialSubject"]["encodedList"]).entries == 131_072
    verified = client.post("/credentials/verify", json={"verifiableCredential": document})
    assert verified.status_code == 200, verified.text


def test_etag_answers_304_for_any_form_of_the_same_tag(client):
    etag = fetch(client).headers["etag"]
    assert fetch(client, **{"If-None-Match": etag}).status_code == 304
    assert fetch(client, **{"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert fetch(client, **{"If-None-Match": "*"}).status_code == 304
    assert fetch(client, **{"If-None-Match": '"other"'}).status_code == 200
    suspension = fetch(client, purpose="suspension").headers["etag"]
    assert suspension != etag

"""GET /trust-list: the registry's signed trust list, cacheable by ETag; and its schema."""

from __future__ import annotations

from datetime import UTC, datetime

from jsonschema import Draft202012Validator

from registry.core.trustlists.trustlist import verify_trust_list
from registry.services.trust.trustlist_publication import root_key_fingerprint
from tests.support.fixtures import BASE_URL


def test_the_trust_list_is_signed_by_the_root_key_and_cacheable(client, registry):
    response = client.get("/trust-list")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "public, max-age=300"
    document = response.json()
    _, fingerprint = root_key_fingerprint(registry, datetime.now(UTC))
    listed = verify_trust_list(document, pin=fingerprint)
    assert listed.base_url == BASE_URL
    assert document["registry"]["rootKey"]["id"].startswith(f"{BASE_URL}/trust-list#")
    assert len(listed.content.issuers) >= 4
    etag = response.headers["etag"]
    again = client.get("/trust-list", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag
    assert client.get("/trust-list", headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_trust_list_schema_is_published_and_accepts_the_list(client):
    schema = client.get("/schemas/trust-list/v1.schema.json")
    assert schema.status_code == 200
    assert schema.headers["content-type"].startswith("application/schema+json")
    document = client.get("/trust-list").json()
    assert list(Draft202012Validator(schema.json()).iter_errors(document)) == []
    assert client.get("/schemas/trust-list/v2.schema.json").status_code == 404
    assert client.get("/schemas/no-such-document/v1.schema.json").status_code == 404

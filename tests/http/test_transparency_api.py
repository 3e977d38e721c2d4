"""``/log``: signed heads, keys, proofs and entries over HTTP, and the receipt an issuer gets
with every issued record."""

from __future__ import annotations

from datetime import UTC, datetime

from registry.core.formats import merkle
from registry.core.formats.multikey import public_key_from_multikey
from registry.core.formats.treehead import decode_bytes, decode_hash, read_tree_head
from registry.core.lifecycle.events import LogEvent
from registry.core.lifecycle.events import record_digest as digest_of
from registry.demo.data import DEMO_RECORDS
from registry.services.transparency.events import append_events
from tests.support.api_checks import assert_problem, issue
from tests.support.fixtures import BASE_URL

FIXED = "public, max-age=31536000, immutable"
LATEST = "public, max-age=10"


def _trusted(client) -> dict:
    methods = client.get("/log/keys").json()["verificationMethod"]
    return {
        m["id"].rsplit("#", 1)[1]: public_key_from_multikey(m["publicKeyMultibase"])
        for m in methods
    }


def _verify_entry(entry, size, root) -> bool:
    path = [decode_hash(value, "path") for value in entry["path"]]
    leaf = merkle.leaf_hash(decode_bytes(entry["leaf"], "leaf"))
    return merkle.verify_inclusion(leaf, entry["index"], size, path, root)


def test_the_issuer_gets_a_leaf_a_signed_head_and_an_inclusion_proof(client, demo):
    issued = issue(client, demo, DEMO_RECORDS[0])
    receipt = issued["transparency"]
    head = read_tree_head(receipt["treeHead"], _trusted(client))
    assert receipt["leafIndex"] < head.size
    leaf = decode_bytes(receipt["leaf"], "leaf")
    event = LogEvent(
        "issued",
        datetime.fromisoformat(issued["verifiableCredential"]["validFrom"]),
        DEMO_RECORDS[0].issuer_uscc,
        record_id=issued["id"],
        kid=issued["verifiableCredential"]["proof"]["verificationMethod"].rsplit("#", 1)[1],
        record_digest=digest_of(issued["verifiableCredential"]),
    )
    assert leaf == event.leaf()  # anyone can rebuild the leaf from the credential in hand
    path = [decode_hash(value, "path") for value in receipt["inclusionProof"]]
    assert merkle.verify_inclusion(
        merkle.leaf_hash(leaf), receipt["leafIndex"], head.size, path, head.root
    )


def test_the_head_is_signed_by_the_published_log_key(client):
    response = client.get("/log/head")
    assert response.status_code == 200
    assert response.headers["cache-control"] == LATEST
    body = response.json()
    assert body["log"] == f"{BASE_URL}/log"
    assert body["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    head = read_tree_head(body, _trusted(client))
    assert head.size == body["treeSize"] > 0
    keys = client.get("/log/keys")
    assert keys.headers["cache-control"] == "public, max-age=300"
    assert keys.json()["verificationMethod"][0]["id"] == body["logKey"]["id"]


def test_inclusion_by_record_and_by_index(client, demo):
    record = demo.records[2]
    latest = client.get("/log/proof/inclusion", params={"record": record})
    assert latest.status_code == 200, latest.text
    assert latest.headers["cache-control"] == LATEST
    body = latest.json()
    head = read_tree_head(body["treeHead"], _trusted(client))
    assert body["treeSize"] == head.size
    (entry,) = body["entries"]
    assert entry["event"]["record"] == record
    assert entry["event"]["event"] == "issued"
    assert _verify_entry(entry, head.size, head.root)
    pinned = client.get(
        "/log/proof/inclusion", params={"index": entry["index"], "size": entry["index"] + 1}
    )
    assert pinned.headers["cache-control"] == FIXED
    assert "treeHead" not in pinned.json()
    assert pinned.json()["entries"][0]["leaf"] == entry["leaf"]


def test_consistency_between_two_sizes(client, demo):
    before = client.get("/log/head").json()
    issue(client, demo, DEMO_RECORDS[1])
    after = client.get("/log/head").json()
    trusted = _trusted(client)
    old, new = read_tree_head(before, trusted), read_tree_head(after, trusted)
    response = client.get("/log/proof/consistency", params={"first": old.size, "second": new.size})
    assert response.headers["cache-control"] == FIXED
    proof = [decode_hash(value, "proof") for value in response.json()["proof"]]
    assert merkle.verify_consistency(old.size, new.size, old.root, new.root, proof)
    latest = client.get("/log/proof/consistency", params={"first": old.size}).json()
    assert latest["second"] == new.size
    assert latest["treeHead"]["treeSize"] == new.size


def test_entries_come_in_pages_of_at_most_a_thousand(client, registry):
    now = datetime.now(UTC)
    with registry.transaction() as session:
        append_events(session, [LogEvent("key_created", now, "11320509MB0000001C")] * 1100)
    size = client.get("/log/head").json()["treeSize"]
    page = client.get("/log/entries", params={"start": 0, "end": 5000})
    assert page.status_code == 200
    body = page.json()
    assert [e["index"] for e in body["entries"]] == list(range(1000))
    assert body["end"] == 1000
    rest = client.get("/log/entries", params={"start": 1000, "end": 2000}).json()
    assert [e["index"] for e in rest["entries"]] == list(range(1000, size))
    proven = client.get("/log/entries", params={"start": 1090, "end": 1100, "size": size}).json()
    head = read_tree_head(client.get("/log/head").json(), _trusted(client))
    assert all(_verify_entry(entry, size, head.root) for entry in proven["entries"])


def test_questions_the_log_cannot_answer(client):
    size = client.get("/log/head").json()["treeSize"]
    assert_problem(
        client.get(
            "/log/proof/inclusion", params={"record": "00000000-0000-4000-8000-000000000000"}
        ),
        404,
        "LOG_RECORD_NOT_FOUND",
    )
    assert_problem(
        client.get("/log/proof/inclusion", params={"record": "no-such-record"}),
        422,
        "RECORD_ID_INVALID",
    )
    assert_problem(client.get("/log/proof/inclusion"), 422, "LOG_QUERY_INVALID")
    assert_problem(
        client.get("/log/proof/inclusion", params={"index": size}), 404, "LOG_SIZE_UNKNOWN"
    )
    assert_problem(
        client.get("/log/proof/consistency", params={"first": 1, "second": size + 1}),
        404,
        "LOG_SIZE_UNKNOWN",
    )
    assert_problem(
        client.get("/log/proof/consistency", params={"first": 3, "second": 2}),
        404,
        "LOG_SIZE_UNKNOWN",
    )
    assert_problem(
        client.get("/log/entries", params={"start": 5, "end": 5}), 422, "LOG_RANGE_INVALID"
    )
    assert_problem(
        client.get("/log/entries", params={"start": -1, "end": 5}), 400, "REQUEST_INVALID"
    )
    assert_problem(client.get("/log/proof/consistency"), 400, "REQUEST_INVALID")

"""The transparency log on both stores: appends keep every stored subtree hash right, proofs
from stored hashes match the RFC definitions, heads are signed with the log key, and a
store changed behind the log's back is reported, never papered over."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from registry.core.errors import RegistryError
from registry.core.formats import merkle
from registry.core.formats.multikey import public_key_from_multikey
from registry.core.formats.treehead import decode_bytes, decode_hash, read_tree_head
from registry.core.lifecycle.events import LogEvent
from registry.services.transparency.events import append_event, append_events
from registry.services.transparency.log import TransparencyLog
from tests.core.test_merkle import naive_mth, naive_path, naive_proof

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
USCC = "11320509MB0000001C"


def _event(n: int) -> LogEvent:
    return LogEvent("key_created", NOW, USCC, kid=f"{n:016x}")


def _append(registry, count: int, batch: int = 1) -> None:
    events = [_event(n) for n in range(count)]
    for start in range(0, count, batch):
        with registry.transaction() as session:
            append_events(session, events[start : start + batch])


def _leaves(count: int) -> list[bytes]:
    return [_event(n).leaf() for n in range(count)]


def _trusted(log: TransparencyLog) -> dict:
    methods = log.keys(NOW)["verificationMethod"]
    return {
        m["id"].rsplit("#", 1)[1]: public_key_from_multikey(m["publicKeyMultibase"])
        for m in methods
    }


@pytest.mark.parametrize("batch", [1, 7])
def test_appends_store_every_subtree_and_sign_the_rfc_root(registry, batch):
    _append(registry, 45, batch)
    log = TransparencyLog(registry)
    head = read_tree_head(log.head(NOW), _trusted(log))
    assert head.size == 45
    assert head.root == naive_mth(_leaves(45))
    with registry.reading() as session:
        nodes = session.execute(text("select count(*) from log_node")).scalar()
    assert nodes == sum(45 >> level for level in range(1, 6))  # every complete subtree


def test_proofs_from_stored_hashes_match_the_definitions(registry):
    _append(registry, 29, batch=5)
    leaves = _leaves(29)
    log = TransparencyLog(registry)
    for size in (1, 2, 5, 16, 17, 29):
        for index in range(size):
            body = log.inclusion(NOW, index=index, size=size)
            (entry,) = body["entries"]
            path = [decode_hash(value, "path") for value in entry["path"]]
            assert path == naive_path(index, leaves[:size])
            assert decode_bytes(entry["leaf"], "leaf") == leaves[index]
        for first in range(size + 1):
            body = log.consistency(NOW, first, size)
            proof = [decode_hash(value, "proof") for value in body["proof"]]
            assert proof == (naive_proof(first, leaves[:size]) if 0 < first < size else [])


def test_entries_page_and_carry_their_inclusion_paths(registry):
    _append(registry, 20, batch=20)
    log = TransparencyLog(registry)
    body = log.entries(5, 50)
    assert [e["index"] for e in body["entries"]] == list(range(5, 20))
    assert "path" not in body["entries"][0]
    with_paths = log.entries(0, 20, size=13)
    assert [e["index"] for e in with_paths["entries"]] == list(range(13))
    root = naive_mth(_leaves(13))
    for entry in with_paths["entries"]:
        path = [decode_hash(v, "path") for v in entry["path"]]
        leaf_hash = merkle.leaf_hash(decode_bytes(entry["leaf"], "leaf"))
        assert merkle.verify_inclusion(leaf_hash, entry["index"], 13, path, root)


def test_a_head_for_an_unchanged_tree_is_reused_and_one_for_a_grown_tree_is_new(registry):
    _append(registry, 3)
    log = TransparencyLog(registry)
    first = log.head(NOW)
    assert log.head(NOW) is first
    _append(registry, 1)
    assert log.head(NOW)["treeSize"] == 4


def test_the_log_key_is_created_once_and_published(registry):
    log = TransparencyLog(registry)
    assert log.head(NOW)["treeSize"] == 0
    assert decode_hash(log.head(NOW)["rootHash"], "root") == merkle.EMPTY_ROOT
    other = TransparencyLog(registry)
    other.head(NOW)
    assert len(log.keys(NOW)["verificationMethod"]) == 1


def test_appends_from_several_threads_leave_no_gap_and_no_duplicate(registry):
    errors: list[BaseException] = []

    def worker(offset: int) -> None:
        try:
            for n in range(10):
                with registry.transaction() as session:
                    append_event(session, _event(offset + n))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(100 * t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with registry.reading() as session:
        seqs = [row[0] for row in session.execute(text("select seq from log_entry order by seq"))]
        leaves = [
            bytes(row[0])
            for row in session.execute(text("select leaf from log_entry order by seq"))
        ]
    assert seqs == list(range(40))
    log = TransparencyLog(registry)
    assert decode_hash(log.head(NOW)["rootHash"], "root") == naive_mth(leaves)


def test_a_missing_subtree_hash_is_reported_not_recomputed(registry):
    _append(registry, 6)
    with registry.transaction() as session:
        session.execute(text("delete from log_node where level = 2"))
    log = TransparencyLog(registry)
    with pytest.raises(RegistryError) as caught:
        log.head(NOW)
    assert caught.value.code == "LOG_STORE_INCONSISTENT"
    with pytest.raises(RegistryError) as caught:
        _append(registry, 1)
    assert caught.value.code == "LOG_STORE_INCONSISTENT"


def test_leaves_hold_identifiers_and_digests_only(registry):
    with registry.transaction() as session:
        append_event(
            session,
            LogEvent("issued", NOW, USCC, record_id="r-1", kid="00" * 8, record_digest="ab" * 32),
        )
    (entry,) = TransparencyLog(registry).entries(0, 1)["entries"]
    assert set(entry["event"]) == {"v", "event", "at", "issuer", "record", "kid", "digest"}

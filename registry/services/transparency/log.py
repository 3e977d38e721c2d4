"""The transparency log, read side: signed tree heads, inclusion and consistency proofs,
entries by range, and the log's public keys.

Proofs come from stored complete-subtree hashes (``log_node``), so each costs a couple of
queries for a few dozen hashes whatever the log's size. Heads are signed with the
registry's ``log`` key and cached while the tree does not grow (re-signed after a minute,
so a head's time says the log was alive then).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from threading import Lock
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import Session

from registry.core.errors import invalid, not_found
from registry.core.formats import merkle
from registry.core.formats.multikey import public_multikey
from registry.core.formats.timefmt import format_instant
from registry.core.formats.treehead import (
    LogKey,
    encode_hash,
    log_keys_url,
    log_url,
    sign_tree_head,
)
from registry.services.records.stored import resolve_record_id
from registry.services.runtime.context import Registry
from registry.services.runtime.systemkeys import LOG, all_keys, current_row, signing_key
from registry.storage.repositories import as_utc
from registry.storage.transparency import LogRepository, StoredLeaf, store_inconsistent

MAX_PAGE = 1000
RECEIPT_CHUNK = 100  # inclusion proofs computed together (one node query each)
HEAD_REFRESH_SECONDS = 60.0
KEY_REFRESH_SECONDS = 60.0


def _size_unknown(size: int, current: int) -> Exception:
    return not_found(
        "LOG_SIZE_UNKNOWN",
        f"日志没有大小为 {size} 的树（当前大小 {current}）",
        f"the log has no tree of size {size} (its size is {current})",
    )


def root_at(log: LogRepository, size: int) -> bytes:
    """The tree hash of the first ``size`` leaves, from stored subtree hashes."""
    if size == 0:
        return merkle.EMPTY_ROOT
    keys = merkle.frontier_nodes(size)
    nodes = log.nodes(keys)
    return merkle.fold_range([nodes[key] for key in keys])


def _event_of(leaf: bytes) -> dict[str, Any] | None:
    """The leaf's JSON, for reading; None if the stored bytes are not a JSON object (a
    leaf changed behind the log's back still gets served, so that audits see it)."""
    try:
        event = json.loads(leaf)
    except ValueError:
        return None
    return event if isinstance(event, dict) else None


def _entry(leaf: StoredLeaf, path: Sequence[bytes] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "index": leaf.index,
        "leaf": encode_hash(leaf.leaf),
        "leafHash": encode_hash(leaf.leaf_hash),
        "event": _event_of(leaf.leaf),
    }
    if path is not None:
        body["path"] = [encode_hash(value) for value in path]
    return body


def _paths(log: LogRepository, indices: Sequence[int], size: int) -> list[list[bytes]]:
    """Inclusion paths of several leaves against one tree size, with one node lookup."""
    ranges = [merkle.inclusion_ranges(index, size) for index in indices]
    nodes = log.nodes(merkle.nodes_of(r for each in ranges for r in each))
    return [merkle.hashes_of(each, nodes) for each in ranges]


@dataclass
class _SignedHead:
    size: int
    root: bytes
    document: dict[str, Any]
    signed_at: float


class TransparencyLog:
    """Answers the log's public questions; one per process (it caches the key and head)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._lock = Lock()
        self._key: tuple[LogKey, Ed25519PrivateKey, float] | None = None
        self._head: _SignedHead | None = None

    # --- keys and heads --------------------------------------------------------------

    def _signing_key(self, now: datetime) -> tuple[LogKey, Ed25519PrivateKey]:
        with self._lock:
            cached = self._key
        if cached is not None and time.monotonic() - cached[2] < KEY_REFRESH_SECONDS:
            return cached[0], cached[1]
        with self.registry.reading() as session:
            exists = current_row(session, LOG) is not None
            if exists:
                key, private = signing_key(session, self.registry.keystore, LOG, now)
        if not exists:
            with self.registry.transaction() as session:
                LogRepository(session).lock_for_append()  # one creator of the first log key
                key, private = signing_key(session, self.registry.keystore, LOG, now)
        log_key = LogKey(key.kid, key.public_key, public_multikey(key.public_key))
        with self._lock:
            self._key = (log_key, private, time.monotonic())
        return log_key, private

    def _sign(self, size: int, root: bytes, now: datetime) -> dict[str, Any]:
        key, private = self._signing_key(now)
        return sign_tree_head(
            self.registry.settings.base_url,
            size=size,
            root=root,
            at=now,
            key=key,
            private_key=private,
        )

    def head(self, now: datetime) -> dict[str, Any]:
        """The latest signed tree head. The size and root are read every time; the signature
        is reused while they stay the same, for up to a minute."""
        with self.registry.reading() as session:
            log = LogRepository(session)
            size = log.size()
            root = root_at(log, size)
        with self._lock:
            cached = self._head
        fresh = time.monotonic()
        if (
            cached is not None
            and (cached.size, cached.root) == (size, root)
            and fresh - cached.signed_at < HEAD_REFRESH_SECONDS
        ):
            return cached.document
        document = self._sign(size, root, now)
        with self._lock:
            self._head = _SignedHead(size, root, document, fresh)
        return document

    def keys(self, now: datetime) -> dict[str, Any]:
        """The log's public keys (current and retired), for partners to pin; the first
        key is created if the log has none yet."""
        self._signing_key(now)
        base = self.registry.settings.base_url
        with self.registry.reading() as session:
            keys = all_keys(session, LOG)
        methods = []
        for key in keys:
            method: dict[str, Any] = {
                "id": f"{log_keys_url(base)}#{key.kid}",
                "type": "Multikey",
                "controller": log_keys_url(base),
                "publicKeyMultibase": public_multikey(key.public_key),
                "created": format_instant(as_utc(key.created_at) or key.created_at),
            }
            if key.retired_at is not None:
                method["retired"] = format_instant(as_utc(key.retired_at) or key.retired_at)
            methods.append(method)
        return {"id": log_keys_url(base), "log": log_url(base), "verificationMethod": methods}

    # --- proofs ----------------------------------------------------------------------

    def _tree_size(self, session: Session, size: int | None) -> tuple[LogRepository, int, bool]:
        """The repository, the tree size asked for (the latest if none) and whether it
        was the latest."""
        log = LogRepository(session)
        current = log.size()
        if size is None:
            return log, current, True
        if size > current:
            raise _size_unknown(size, current)
        return log, size, False

    def inclusion(
        self,
        now: datetime,
        *,
        record_id: str | None = None,
        index: int | None = None,
        size: int | None = None,
    ) -> dict[str, Any]:
        """Inclusion proofs of a record's events (or of one leaf) in the tree of ``size``
        leaves; without a size, in the latest tree, whose signed head comes along."""
        if (record_id is None) == (index is None):
            raise invalid(
                "LOG_QUERY_INVALID",
                "请给出 record 或 index 之一",
                "give exactly one of record or index",
            )
        with self.registry.reading() as session:
            log, tree_size, latest = self._tree_size(session, size)
            if record_id is not None:
                record_id = resolve_record_id(session, record_id)
                leaves = [leaf for leaf in log.record_leaves(record_id) if leaf.index < tree_size]
                if not leaves:
                    raise not_found(
                        "LOG_RECORD_NOT_FOUND",
                        "该记录在此大小的日志中没有事件",
                        "the log of this size holds no event of this record",
                    )
            else:
                assert index is not None
                if index >= tree_size:
                    raise _size_unknown(index + 1, tree_size)
                leaves = log.entries(index, index + 1)
                if not leaves:
                    raise store_inconsistent(f"leaf {index} is missing", f"缺少叶子 {index}")
            paths = _paths(log, [leaf.index for leaf in leaves], tree_size)
        body: dict[str, Any] = {
            "treeSize": tree_size,
            "entries": [_entry(leaf, path) for leaf, path in zip(leaves, paths, strict=True)],
        }
        if record_id is not None:
            body["record"] = record_id
        if latest:
            body["treeHead"] = self._head_for(tree_size, now)
        return body

    def _head_for(self, size: int, now: datetime) -> dict[str, Any]:
        """A signed head of exactly ``size`` leaves (the cached latest one when it fits)."""
        head = self.head(now)
        if head["treeSize"] == size:
            return head
        with self.registry.reading() as session:
            root = root_at(LogRepository(session), size)
        return self._sign(size, root, now)

    def consistency(self, now: datetime, first: int, second: int | None) -> dict[str, Any]:
        """The consistency proof from the tree of ``first`` leaves to the tree of
        ``second`` (the latest, with its signed head, if none)."""
        with self.registry.reading() as session:
            log, tree_size, latest = self._tree_size(session, second)
            if first > tree_size:
                raise _size_unknown(first, tree_size)
            ranges = merkle.consistency_ranges(first, tree_size)
            proof = merkle.hashes_of(ranges, log.nodes(merkle.nodes_of(ranges)))
        body: dict[str, Any] = {
            "first": first,
            "second": tree_size,
            "proof": [encode_hash(value) for value in proof],
        }
        if latest:
            body["treeHead"] = self._head_for(tree_size, now)
        return body

    def entries(self, start: int, end: int, size: int | None = None) -> dict[str, Any]:
        """Leaves ``[start, end)``, at most ``MAX_PAGE``; with ``size``, only leaves of that
        tree, each with its inclusion path in it."""
        if end <= start:
            raise invalid("LOG_RANGE_INVALID", "end 必须大于 start", "end must exceed start")
        end = min(end, start + MAX_PAGE)
        with self.registry.reading() as session:
            log = LogRepository(session)
            current = log.size()
            if size is not None:
                if size > current:
                    raise _size_unknown(size, current)
                end = min(end, size)
            leaves = log.entries(start, end) if start < end else []
            paths: list[list[bytes]] | None = None
            if size is not None and leaves:
                paths = _paths(log, [leaf.index for leaf in leaves], size)
        listed = [
            _entry(leaf, paths[i] if paths is not None else None) for i, leaf in enumerate(leaves)
        ]
        body: dict[str, Any] = {"start": start, "end": max(start, end), "entries": listed}
        if size is not None:
            body["treeSize"] = size
        return body

    def receipt(self, record_id: str, now: datetime) -> dict[str, Any] | None:
        """What an issuer gets back: the record's ``issued`` leaf, a signed head covering
        it and the inclusion proof against that head. None if the record has no leaf."""
        head, proofs = self.receipts([record_id], now)
        if head is None or record_id not in proofs:
            return None
        return {**proofs[record_id], "treeHead": head}

    def receipts(
        self, record_ids: Sequence[str], now: datetime
    ) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]]]:
        """One signed head and, against it, each record's ``issued`` leaf and inclusion
        proof (records without a leaf are left out): what a review session gets back."""
        issued: dict[str, StoredLeaf] = {}
        with self.registry.reading() as session:
            log = LogRepository(session)
            for record_id in record_ids:
                leaf = next(
                    (
                        leaf
                        for leaf in log.record_leaves(record_id)
                        if (_event_of(leaf.leaf) or {}).get("event") == "issued"
                    ),
                    None,
                )
                if leaf is not None:
                    issued[record_id] = leaf
        if not issued:
            return None, {}
        head = self.head(now)  # read after the records' commits: it covers their leaves
        size = int(head["treeSize"])
        if max(leaf.index for leaf in issued.values()) >= size:
            raise store_inconsistent("the tree lost leaves", "日志树缺少叶子")
        proofs: dict[str, dict[str, Any]] = {}
        ids = list(issued)
        with self.registry.reading() as session:
            for start in range(0, len(ids), RECEIPT_CHUNK):
                chunk = ids[start : start + RECEIPT_CHUNK]
                paths = _paths(LogRepository(session), [issued[i].index for i in chunk], size)
                for record_id, path in zip(chunk, paths, strict=True):
                    proofs[record_id] = {
                        "leafIndex": issued[record_id].index,
                        "leaf": encode_hash(issued[record_id].leaf),
                        "inclusionProof": [encode_hash(value) for value in path],
                    }
        return head, proofs


__all__ = ["MAX_PAGE", "TransparencyLog", "root_at"]

"""Appending events to the transparency log, inside the caller's transaction.

Every use case that issues, amends, changes a status, changes a scope or touches a key
calls ``append_event`` in the same transaction as its own writes, so the log and the
store never disagree. Appenders are serialised until commit (an advisory transaction
lock on PostgreSQL, the write lock on SQLite). An append reads the right edge of the tree
(one hash per set bit of its size), then writes the leaf and the subtree hashes it
completes, one per trailing one bit of its index: about two rows per leaf.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from registry.core.formats.merkle import Frontier, frontier_nodes, leaf_hash
from registry.core.lifecycle.events import LogEvent
from registry.storage.transparency import LogRepository, NodeRow


def hold_log_lock(session: Session) -> None:
    """Take the log's append lock now, until the transaction ends: for writes whose checks
    read rows that a concurrent appender could change before this one commits."""
    LogRepository(session).lock_for_append()


def append_event(session: Session, event: LogEvent) -> int:
    """Append one leaf; returns its index in the tree (its sequence number, from 0)."""
    return append_events(session, [event])[0]


def append_events(session: Session, events: Sequence[LogEvent]) -> list[int]:
    """Append several leaves in order, with one batched write; returns their indices."""
    if not events:
        return []
    log = LogRepository(session)
    size, last, stored = log.right_edge()  # under the append lock
    edge = frontier_nodes(size)
    if size % 2:  # the last leaf is a subtree of its own on the right edge
        assert last is not None
        stored[(0, size - 1)] = last
    frontier = Frontier(size, [stored[key] for key in edge])
    entries: list[dict[str, Any]] = []
    nodes: list[NodeRow] = []
    for event in events:
        leaf = event.leaf()
        digest = leaf_hash(leaf)
        entries.append(
            {
                "seq": frontier.size,
                "leaf": leaf,
                "leaf_hash": digest,
                "kind": event.kind,
                "record_id": event.record_id,
                "issuer_uscc": event.issuer_uscc,
                "created_at": event.at,
            }
        )
        for (level, index), value in frontier.append(digest):
            if level:
                nodes.append((level, index, value))
    log.add(entries, nodes)
    return list(range(size, frontier.size))


__all__ = ["append_event", "append_events", "hold_log_lock", "leaf_hash"]

"""Queries of the transparency log: leaves in ``log_entry``, subtree hashes in ``log_node``.

Everything runs on the caller's session, inside its transaction: the log sits in the
issuance hot path and answers proofs at a million leaves in a few queries. Ranges and
inserts are SQLAlchemy Core; the small reads of the append and proof paths (the size, the
right edge, a few dozen hashes) go to the session's DBAPI connection directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from registry.core.errors import ErrorKind, RegistryError
from registry.core.formats.merkle import NodeKey, frontier_nodes
from registry.core.formats.ranges import SQL_INTEGER_MAX
from registry.storage.engine import WRITE_OPTION
from registry.storage.prepared import PreparedInsert
from registry.storage.raw import placeholders, raw_rows
from registry.storage.tables import LogEntryRow, LogNodeRow

_ENTRY: Table = LogEntryRow.__table__  # type: ignore[attr-defined]
_NODE: Table = LogNodeRow.__table__  # type: ignore[attr-defined]
_INSERT_ENTRY = PreparedInsert(_ENTRY)
_INSERT_NODE = PreparedInsert(_NODE)
_LOG_LOCK = 0x7265_6769_7374  # arbitrary constant: the PostgreSQL advisory lock of the log
# The lock, then the last leaf and the right edge's subtrees above the leaves (one per set
# bit ``l`` of the size ``n``: level ``l``, index ``(n >> l) - 1``), read once it is held.
_PG_RIGHT_EDGE = (
    f"SELECT pg_advisory_xact_lock({_LOG_LOCK});"  # noqa: S608 (a constant)
    " SELECT seq, leaf_hash FROM log_entry ORDER BY seq DESC LIMIT 1;"
    " SELECT level, idx, digest FROM log_node WHERE (level, idx) IN ("
    " SELECT l, (s.n >> l) - 1 FROM (SELECT coalesce(max(seq) + 1, 0) AS n FROM log_entry) AS s,"
    " generate_series(1, 31) AS l WHERE (s.n >> l) & 1 = 1)"
)

_ENTRIES = (
    select(_ENTRY.c.seq, _ENTRY.c.leaf, _ENTRY.c.leaf_hash)
    .where(_ENTRY.c.seq >= bindparam("start"), _ENTRY.c.seq < bindparam("end"))
    .order_by(_ENTRY.c.seq)
)
_RECORD_EVENTS = (
    select(_ENTRY.c.seq, _ENTRY.c.leaf, _ENTRY.c.leaf_hash)
    .where(_ENTRY.c.record_id == bindparam("record_id"))
    .order_by(_ENTRY.c.seq)
)


def store_inconsistent(what_en: str, what_zh: str) -> RegistryError:
    """The log's own store contradicts itself (a row was changed or removed behind it)."""
    return RegistryError(
        "LOG_STORE_INCONSISTENT",
        f"透明日志存储不一致：{what_zh}",
        f"the transparency log's store is inconsistent: {what_en}",
        ErrorKind.UNAVAILABLE,
    )


@dataclass(frozen=True)
class StoredLeaf:
    """One leaf as stored: its index, its bytes and the leaf hash kept beside them."""

    index: int
    leaf: bytes
    leaf_hash: bytes


class LogRepository:
    """The transparency log's rows, read and appended on the caller's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _execute(self, statement: Any, parameters: Any = None) -> Any:
        return self.session.connection().execute(statement, parameters)

    def _raw(self, sql: str, parameters: Sequence[Any]) -> list[Any]:
        """A small read on the session's own DBAPI connection (``storage.raw``): the
        append and proof paths read a handful of hashes."""
        return raw_rows(self.session, sql, parameters)

    def lock_for_append(self) -> None:
        """Serialise appenders until the transaction ends (advisory lock on PostgreSQL,
        the database write lock on SQLite: a writing transaction began with it)."""
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            self._raw("SELECT pg_advisory_xact_lock(?)", [_LOG_LOCK])
        elif not connection.get_execution_options().get(WRITE_OPTION, False):
            # matches nothing, but as a write it takes the write lock before any read
            self._raw("DELETE FROM log_node WHERE level < 0", [])

    def right_edge(self) -> tuple[int, bytes | None, dict[NodeKey, bytes]]:
        """Take the append lock, then read the log's size, the hash of its last leaf (None
        when empty) and the stored hashes of its right edge above the leaves (the levels
        above 0 of ``frontier_nodes``); ``LOG_STORE_INCONSISTENT`` if one lacks. On
        PostgreSQL the three statements go in one round trip, each reading after the
        lock is held."""
        connection = self.session.connection()
        if connection.dialect.name != "postgresql":
            self.lock_for_append()
            size, last = self.last_leaf()
            return size, last, self.nodes(key for key in frontier_nodes(size) if key[0])
        driver: Any = connection.connection.driver_connection
        cursor = driver.cursor()
        try:
            cursor.execute(_PG_RIGHT_EDGE, prepare=False)  # several statements: never prepared
            cursor.nextset()
            leaf = cursor.fetchall()
            cursor.nextset()
            found = {
                (int(level), int(idx)): bytes(digest) for level, idx, digest in cursor.fetchall()
            }
        finally:
            cursor.close()
        size, last = (0, None) if not leaf else (int(leaf[0][0]) + 1, bytes(leaf[0][1]))
        if set(found) != {key for key in frontier_nodes(size) if key[0]}:
            raise store_inconsistent("a subtree hash is missing", "缺少子树哈希")
        return size, last, found

    def size(self) -> int:
        """Leaves in the log: one past the highest index stored."""
        rows = self._raw("SELECT max(seq) FROM log_entry", [])
        return 0 if not rows or rows[0][0] is None else int(rows[0][0]) + 1

    def last_leaf(self) -> tuple[int, bytes | None]:
        """The log's size and the hash of its last leaf (None when empty), in one query."""
        rows = self._raw("SELECT seq, leaf_hash FROM log_entry ORDER BY seq DESC LIMIT 1", [])
        return (0, None) if not rows else (int(rows[0][0]) + 1, bytes(rows[0][1]))

    def nodes(self, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
        """The stored hashes of these subtrees; ``LOG_STORE_INCONSISTENT`` if one lacks.
        Leaf hashes (level 0) come from ``log_entry``, the others from ``log_node``: one
        query each, every term a primary-key lookup."""
        by_level: dict[int, list[int]] = defaultdict(list)
        for level, index in set(keys):
            by_level[level].append(index)
        found: dict[NodeKey, bytes] = {}
        leaves = by_level.pop(0, [])
        if leaves:
            marks = placeholders(len(leaves))
            sql = f"SELECT seq, leaf_hash FROM log_entry WHERE seq IN ({marks})"  # noqa: S608
            for seq, digest in self._raw(sql, leaves):
                found[(0, int(seq))] = bytes(digest)
        if by_level:
            terms, parameters = [], []
            for level, indices in sorted(by_level.items()):
                terms.append(f"(level = ? AND idx IN ({placeholders(len(indices))}))")
                parameters += [level, *indices]
            sql = f"SELECT level, idx, digest FROM log_node WHERE {' OR '.join(terms)}"  # noqa: S608
            for level, index, digest in self._raw(sql, parameters):
                found[(int(level), int(index))] = bytes(digest)
        wanted = len(leaves) + sum(len(indices) for indices in by_level.values())
        if len(found) != wanted:
            raise store_inconsistent("a subtree hash is missing", "缺少子树哈希")
        return found

    def entries(self, start: int, end: int) -> list[StoredLeaf]:
        """The stored leaves with index in ``[start, end)``, in order (gaps show as gaps)."""
        start, end = (min(max(bound, 0), SQL_INTEGER_MAX) for bound in (start, end))
        rows = self._execute(_ENTRIES, {"start": start, "end": end})
        return [StoredLeaf(int(seq), bytes(leaf), bytes(digest)) for seq, leaf, digest in rows]

    def record_leaves(self, record_id: str) -> list[StoredLeaf]:
        """Every leaf about one record, in log order."""
        rows = self._execute(_RECORD_EVENTS, {"record_id": record_id})
        return [StoredLeaf(int(seq), bytes(leaf), bytes(digest)) for seq, leaf, digest in rows]

    def add(self, entries: Sequence[Mapping[str, Any]], nodes: Sequence[NodeRow]) -> None:
        """Insert new leaves and the subtree hashes they complete (two batched INSERTs on
        the driver: the append is on the issuance hot path)."""
        try:
            _INSERT_ENTRY.add_all(self.session, entries)
            rows = [{"level": level, "idx": idx, "digest": digest} for level, idx, digest in nodes]
            _INSERT_NODE.add_all(self.session, rows)
        except (IntegrityError, _INSERT_ENTRY.integrity_error(self.session)):
            raise store_inconsistent(
                "a leaf or subtree hash already exists", "叶子或子树哈希已存在"
            ) from None


NodeRow = tuple[int, int, bytes]  # level, index, hash

__all__ = ["LogRepository", "NodeRow", "StoredLeaf", "store_inconsistent"]

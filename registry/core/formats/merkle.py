"""Merkle tree hashing of the transparency log, as RFC 9162 (CT 2.0) section 2.1 defines it.

Leaf hash ``SHA-256(0x00 || leaf)``, interior node ``SHA-256(0x01 || left || right)``, the
root of an empty tree ``SHA-256("")``; a tree of ``n`` leaves splits at the largest power
of two smaller than ``n``. Inclusion paths (2.1.3.1) and consistency proofs (2.1.4.1) are
described here as lists of leaf ranges whose tree hashes form the proof, so a store can
answer them from its complete-subtree hashes. Their verification follows 2.1.3.2 and
2.1.4.2 step by step.

A complete subtree is named ``(level, index)``: the ``2**level`` leaves starting at leaf
``index * 2**level``. Level 0 is a leaf. Every such subtree lying wholly inside a tree is a
node of that tree, and its hash never changes once its last leaf is appended.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

NodeKey = tuple[int, int]  # (level, index): leaves [index * 2**level, (index + 1) * 2**level)
LeafRange = tuple[int, int]  # [start, end) in leaf positions


def leaf_hash(leaf: bytes) -> bytes:
    """``SHA-256(0x00 || leaf)``."""
    return hashlib.sha256(_LEAF_PREFIX + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two smaller than ``size`` (``size`` > 1)."""
    if size < 2:
        raise ValueError("a tree of fewer than two leaves does not split")
    return 1 << ((size - 1).bit_length() - 1)


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """The tree hash (MTH) of a list of leaf hashes, in one pass over a frontier."""
    frontier = Frontier()
    for value in hashes:
        frontier.append(value)
    return frontier.root()


def range_nodes(start: int, end: int) -> list[NodeKey]:
    """The complete subtrees, left to right, whose hashes fold into ``MTH(D[start:end])``.

    The range must be one the RFC's recursion produces: ``start`` a multiple of the
    largest power of two not above ``end - start``. Fold the hashes with
    :func:`fold_range`.
    """
    if not 0 <= start < end:
        raise ValueError(f"empty or negative leaf range [{start}, {end})")
    nodes: list[NodeKey] = []
    while start < end:
        size = end - start
        level = size.bit_length() - 1  # the largest complete subtree that fits
        if start % (1 << level):
            raise ValueError(f"leaf range [{start}, {end}) is not aligned to a subtree")
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def fold_range(hashes: Sequence[bytes]) -> bytes:
    """Combine the hashes of :func:`range_nodes` (left to right) into the range's hash."""
    if not hashes:
        raise ValueError("no subtree hashes to fold")
    result = hashes[-1]
    for value in reversed(hashes[:-1]):
        result = node_hash(value, result)
    return result


def inclusion_ranges(index: int, size: int) -> list[LeafRange]:
    """The leaf ranges whose tree hashes form ``PATH(index, D[size])``, leaf side first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    top_down: list[LeafRange] = []
    low, high = 0, size
    while high - low > 1:
        k = split_point(high - low)
        if index - low < k:
            top_down.append((low + k, high))
            high = low + k
        else:
            top_down.append((low, low + k))
            low += k
    top_down.reverse()
    return top_down


def consistency_ranges(first: int, second: int) -> list[LeafRange]:
    """The leaf ranges whose tree hashes form ``PROOF(first, D[second])`` (RFC 9162 2.1.4.1).

    Empty when ``first`` is 0 or equals ``second``: nothing needs proving.
    """
    if not 0 <= first <= second:
        raise ValueError(f"no consistency proof from {first} to {second}")
    if first in (0, second):
        return []
    top_down: list[LeafRange] = []
    low, high, whole = 0, second, True  # SUBPROOF(m, D[low:high], whole)
    while True:
        m = first - low
        if m == high - low:
            if not whole:
                top_down.append((low, high))
            break
        k = split_point(high - low)
        if m <= k:
            top_down.append((low + k, high))
            high = low + k
        else:
            top_down.append((low, low + k))
            low, whole = low + k, False
    top_down.reverse()
    return top_down


def nodes_of(ranges: Iterable[LeafRange]) -> set[NodeKey]:
    """Every complete subtree needed to hash the given ranges."""
    return {node for start, end in ranges for node in range_nodes(start, end)}


def hashes_of(ranges: Iterable[LeafRange], nodes: Mapping[NodeKey, bytes]) -> list[bytes]:
    """The tree hash of each range from stored subtree hashes (``KeyError`` if one lacks)."""
    return [fold_range([nodes[node] for node in range_nodes(start, end)]) for start, end in ranges]


def frontier_nodes(size: int) -> list[NodeKey]:
    """The right edge of a tree of ``size`` leaves: its largest complete subtrees, left to
    right (one per set bit of ``size``). Their hashes give the root and the next nodes."""
    return range_nodes(0, size) if size else []


@dataclass
class Frontier:
    """A compact range ``[0, size)``: the hashes of :func:`frontier_nodes`, left to right.

    Appending a leaf returns the subtrees it completes, the leaf first, so a store can
    write them; the root needs no other hash.
    """

    size: int = 0
    hashes: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.hashes) != self.size.bit_count():
            raise ValueError("a frontier holds one hash per set bit of its size")

    def append(self, leaf_hash_value: bytes) -> list[tuple[NodeKey, bytes]]:
        """Add a leaf hash; returns ``((level, index), hash)`` of every completed subtree."""
        position = self.size
        value = leaf_hash_value
        completed = [((0, position), value)]
        level = 0
        while position >> level & 1:  # the leaf closes a subtree at each trailing one bit
            value = node_hash(self.hashes.pop(), value)
            level += 1
            completed.append(((level, position >> level), value))
        self.hashes.append(value)
        self.size += 1
        return completed

    def root(self) -> bytes:
        """The tree hash of the leaves appended so far (``EMPTY_ROOT`` when none)."""
        return fold_range(self.hashes) if self.hashes else EMPTY_ROOT


def _valid_hashes(*values: Iterable[bytes]) -> bool:
    return all(len(value) == HASH_SIZE for group in values for value in group)


def root_from_inclusion(
    leaf_hash_value: bytes, index: int, size: int, path: Sequence[bytes]
) -> bytes | None:
    """The root an inclusion path leads to (RFC 9162 2.1.3.2 steps 1-4), or None if the
    path cannot belong to leaf ``index`` of a tree of ``size``."""
    if not 0 <= index < size or not _valid_hashes([leaf_hash_value], path):
        return None
    fn, sn = index, size - 1
    result = leaf_hash_value
    for sibling in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return result if sn == 0 else None


def verify_inclusion(
    leaf_hash_value: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: does ``path`` prove leaf ``index`` in the tree of ``size`` and root?"""
    return root_from_inclusion(leaf_hash_value, index, size, path) == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: is the tree ``(second, second_root)`` an extension of
    ``(first, first_root)``? Equal sizes need equal roots and an empty proof; a first tree
    of size 0 is a prefix of every tree and needs an empty proof."""
    if not 0 <= first <= second or not _valid_hashes([first_root, second_root], proof):
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the first root is the first node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    first_result = second_result = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            first_result = node_hash(node, first_result)
            second_result = node_hash(node, second_result)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            second_result = node_hash(second_result, node)
        fn >>= 1
        sn >>= 1
    return sn == 0 and first_result == first_root and second_result == second_root


__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "Frontier",
    "LeafRange",
    "NodeKey",
    "consistency_ranges",
    "fold_range",
    "frontier_nodes",
    "hashes_of",
    "inclusion_ranges",
    "leaf_hash",
    "node_hash",
    "nodes_of",
    "range_nodes",
    "root_from_inclusion",
    "root_from_leaf_hashes",
    "split_point",
    "verify_consistency",
    "verify_inclusion",
]

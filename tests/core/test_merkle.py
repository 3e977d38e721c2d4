"""RFC 9162 Merkle hashing, proofs and their verification: the CT reference vectors, and
every tree up to 40 leaves against a naive transcription of the RFC's recursive definitions."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest

from registry.core.formats import merkle

VECTORS = json.loads(
    (Path(__file__).parents[1] / "vectors" / "rfc6962-merkle" / "vectors.json").read_text()
)
LEAVES = [bytes.fromhex(leaf) for leaf in VECTORS["leaves"]]
ROOTS = [bytes.fromhex(root) for root in VECTORS["roots"]]


# --- a naive, independent transcription of RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1 ----------


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def naive_mth(leaves: list[bytes]) -> bytes:
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = _k(n)
    return hashlib.sha256(b"\x01" + naive_mth(leaves[:k]) + naive_mth(leaves[k:])).digest()


def naive_path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*naive_path(m, leaves[:k]), naive_mth(leaves[k:])]
    return [*naive_path(m - k, leaves[k:]), naive_mth(leaves[:k])]


def naive_subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [naive_mth(leaves)]
    k = _k(n)
    if m <= k:
        return [*naive_subproof(m, leaves[:k], whole), naive_mth(leaves[k:])]
    return [*naive_subproof(m - k, leaves[k:], False), naive_mth(leaves[:k])]


def naive_proof(m: int, leaves: list[bytes]) -> list[bytes]:
    return naive_subproof(m, leaves, True)


# --- helpers over the store-shaped API -----------------------------------------------------


def all_nodes(leaves: list[bytes]) -> dict[merkle.NodeKey, bytes]:
    """Every complete subtree hash, as a store would hold them after appending ``leaves``."""
    frontier = merkle.Frontier()
    nodes: dict[merkle.NodeKey, bytes] = {}
    for leaf in leaves:
        nodes.update(frontier.append(merkle.leaf_hash(leaf)))
    return nodes


def leaves_of(n: int) -> list[bytes]:
    return [f"leaf {i}".encode() for i in range(n)]


# --- the reference vectors -----------------------------------------------------------------


def test_hasher_vectors():
    assert merkle.EMPTY_ROOT.hex() == VECTORS["emptyRoot"]
    for case in VECTORS["hasher"]:
        if "leaf" in case:
            assert merkle.leaf_hash(bytes.fromhex(case["leaf"])).hex() == case["leafHash"]
        else:
            left, right = bytes.fromhex(case["left"]), bytes.fromhex(case["right"])
            assert merkle.node_hash(left, right).hex() == case["nodeHash"]


@pytest.mark.parametrize("size", range(1, 9))
def test_reference_roots(size):
    hashes = [merkle.leaf_hash(leaf) for leaf in LEAVES[:size]]
    assert merkle.root_from_leaf_hashes(hashes) == ROOTS[size - 1]
    assert naive_mth(LEAVES[:size]) == ROOTS[size - 1]


@pytest.mark.parametrize("case", VECTORS["inclusion"], ids=lambda c: f"{c['index']}-{c['size']}")
def test_reference_inclusion(case):
    index, size = case["index"], case["size"]
    path = [bytes.fromhex(h) for h in case["path"]]
    nodes = all_nodes(LEAVES[:size])
    assert merkle.hashes_of(merkle.inclusion_ranges(index, size), nodes) == path
    leaf = merkle.leaf_hash(LEAVES[index])
    assert merkle.verify_inclusion(leaf, index, size, path, ROOTS[size - 1])


@pytest.mark.parametrize(
    "case", VECTORS["consistency"], ids=lambda c: f"{c['first']}-{c['second']}"
)
def test_reference_consistency(case):
    first, second = case["first"], case["second"]
    proof = [bytes.fromhex(h) for h in case["proof"]]
    nodes = all_nodes(LEAVES[:second])
    assert merkle.hashes_of(merkle.consistency_ranges(first, second), nodes) == proof
    assert merkle.verify_consistency(first, second, ROOTS[first - 1], ROOTS[second - 1], proof)


# --- exhaustive small trees against the naive definitions ----------------------------------

SMALL = 40


def test_every_small_tree_matches_the_rfc_definitions():
    leaves = leaves_of(SMALL)
    nodes = all_nodes(leaves)
    frontier = merkle.Frontier()
    for n in range(SMALL + 1):
        root = naive_mth(leaves[:n])
        assert merkle.root_from_leaf_hashes([merkle.leaf_hash(x) for x in leaves[:n]]) == root
        assert frontier.root() == root
        if n:
            assert merkle.hashes_of([(0, n)], nodes) == [root]
        for m in range(n):
            path = merkle.hashes_of(merkle.inclusion_ranges(m, n), nodes)
            assert path == naive_path(m, leaves[:n])
            assert merkle.verify_inclusion(merkle.leaf_hash(leaves[m]), m, n, path, root)
        for m in range(n + 1):
            proof = merkle.hashes_of(merkle.consistency_ranges(m, n), nodes)
            assert proof == (naive_proof(m, leaves[:n]) if 0 < m < n else [])
            assert merkle.verify_consistency(m, n, naive_mth(leaves[:m]), root, proof)
        if n < SMALL:
            frontier.append(merkle.leaf_hash(leaves[n]))


def test_frontier_reports_each_completed_subtree_once():
    leaves = leaves_of(37)
    frontier = merkle.Frontier()
    seen: list[merkle.NodeKey] = []
    for leaf in leaves:
        seen += [key for key, _ in frontier.append(merkle.leaf_hash(leaf))]
    assert len(seen) == len(set(seen))
    expected = {
        (level, index)
        for level in range(6)
        for index in range(37 >> level)  # every complete aligned subtree inside 37 leaves
    }
    assert set(seen) == expected
    assert frontier.hashes == [all_nodes(leaves)[key] for key in merkle.frontier_nodes(37)]


def test_frontier_resumes_from_stored_hashes():
    leaves = leaves_of(23)
    nodes = all_nodes(leaves[:13])
    resumed = merkle.Frontier(13, [nodes[key] for key in merkle.frontier_nodes(13)])
    for leaf in leaves[13:]:
        resumed.append(merkle.leaf_hash(leaf))
    assert resumed.root() == naive_mth(leaves)
    with pytest.raises(ValueError, match="one hash per set bit"):
        merkle.Frontier(13, [])


def test_large_random_trees_against_the_naive_definitions():
    rng = random.Random(9162)
    leaves = leaves_of(300)
    nodes = all_nodes(leaves)
    for _ in range(60):
        n = rng.randrange(41, 301)
        m = rng.randrange(0, n)
        path = merkle.hashes_of(merkle.inclusion_ranges(m, n), nodes)
        assert path == naive_path(m, leaves[:n])
        first = rng.randrange(1, n)
        proof = merkle.hashes_of(merkle.consistency_ranges(first, n), nodes)
        assert proof == naive_proof(first, leaves[:n])
        assert merkle.verify_consistency(
            first, n, naive_mth(leaves[:first]), naive_mth(leaves[:n]), proof
        )


# --- what verification must refuse (the probes of the CT reference tests) ------------------

SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def _inclusion_probes(index, size, path, root, leaf):
    probes = [
        (index - 1, size, path, root, leaf),
        (index + 1, size, path, root, leaf),
        (index ^ 2, size, path, root, leaf),
        (index, size * 2, path, root, leaf),
        (index, size // 2, path, root, leaf),
        (index, size, path, root, b"WrongLeaf"),
        (index, size, path, merkle.EMPTY_ROOT, leaf),
        (index, size, path, SOME_HASH, leaf),
        (index, size, [*path, b""], root, leaf),
        (index, size, [*path, root], root, leaf),
        (index, size, [b"", *path], root, leaf),
        (index, size, [root, *path], root, leaf),
    ]
    for i in range(len(path)):
        flipped = list(path)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        probes.append((index, size, flipped, root, leaf))
    if path:
        probes.append((index, size, path[:-1], root, leaf))
    if len(path) > 1:
        probes.append((index, size, [path[0], SOME_HASH, *path[1:]], root, leaf))
    return probes


@pytest.mark.parametrize("case", VECTORS["inclusion"], ids=lambda c: f"{c['index']}-{c['size']}")
def test_corrupted_inclusion_proofs_fail(case):
    index, size = case["index"], case["size"]
    path = [bytes.fromhex(h) for h in case["path"]]
    leaf = merkle.leaf_hash(LEAVES[index])
    for probe in _inclusion_probes(index, size, path, ROOTS[size - 1], leaf):
        p_index, p_size, p_path, p_root, p_leaf = probe
        if (p_index, p_size) == (index, size) and p_path == path and p_leaf == leaf:
            continue  # only the root changed to itself: not a corruption
        assert not merkle.verify_inclusion(p_leaf, p_index, p_size, p_path, p_root), probe


@pytest.mark.parametrize(
    "case",
    [c for c in VECTORS["consistency"] if c["proof"]],
    ids=lambda c: f"{c['first']}-{c['second']}",
)
def test_corrupted_consistency_proofs_fail(case):
    first, second = case["first"], case["second"]
    proof = [bytes.fromhex(h) for h in case["proof"]]
    root1, root2 = ROOTS[first - 1], ROOTS[second - 1]
    probes = [
        (first - 1, second, root1, root2, proof),
        (first + 1, second, root1, root2, proof),
        (first ^ 2, second, root1, root2, proof),
        (first, second * 2, root1, root2, proof),
        (first, second // 2, root1, root2, proof),
        (first, second, b"WrongRoot", root2, proof),
        (first, second, root1, b"WrongRoot", proof),
        (first, second, root2, root1, proof),
        (first, second, root1, root2, []),
        (first, second, root1, root2, [*proof, b""]),
        (first, second, root1, root2, [*proof, root1]),
        (first, second, root1, root2, [*proof, root2]),
        (first, second, root1, root2, [b"", *proof]),
        (first, second, root1, root2, [root1, *proof]),
        (first, second, root1, root2, [root2, *proof]),
        (first, second, root1, root2, [proof[0], *proof]),
        (first, second, root1, root2, proof[:-1]),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 16]) + flipped[i][1:]
        probes.append((first, second, root1, root2, flipped))
    for probe in probes:
        assert not merkle.verify_consistency(*probe), probe


def test_consistency_edge_cases():
    root1, root2 = SOME_HASH, merkle.EMPTY_ROOT
    assert merkle.verify_consistency(0, 0, root1, root1, [])
    assert merkle.verify_consistency(0, 1, root1, root2, [])
    assert merkle.verify_consistency(1, 1, root2, root2, [])
    assert not merkle.verify_consistency(0, 0, root1, root2, [])
    assert not merkle.verify_consistency(1, 1, root1, root2, [])
    assert not merkle.verify_consistency(1, 0, root1, root2, [])
    assert not merkle.verify_consistency(2, 1, root1, root2, [])
    assert not merkle.verify_consistency(1, 2, root1, root2, [])
    assert not merkle.verify_consistency(0, 1, root2, root2, [root2])
    assert not merkle.verify_consistency(1, 1, root2, root2, [root2])


def test_inclusion_edge_cases():
    leaf = merkle.leaf_hash(b"data")
    assert merkle.verify_inclusion(leaf, 0, 1, [], leaf)
    assert not merkle.verify_inclusion(leaf, 0, 1, [], b"")
    assert not merkle.verify_inclusion(b"", 0, 1, [], leaf)
    for index, size in [(0, 0), (1, 0), (2, 1), (-1, 4)]:
        assert not merkle.verify_inclusion(SOME_HASH, index, size, [], merkle.EMPTY_ROOT)


def test_ranges_refuse_what_no_tree_has():
    with pytest.raises(ValueError, match="not in a tree"):
        merkle.inclusion_ranges(5, 5)
    with pytest.raises(ValueError, match="not in a tree"):
        merkle.inclusion_ranges(-1, 5)
    with pytest.raises(ValueError, match="no consistency proof"):
        merkle.consistency_ranges(6, 5)
    with pytest.raises(ValueError, match="not aligned"):
        merkle.range_nodes(3, 7)
    with pytest.raises(ValueError, match="empty"):
        merkle.range_nodes(4, 4)

"""Bitstring Status List encoding, against the W3C example and cross-checked lists."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest

from registry.core.errors import RegistryError
from registry.core.formats.statuslist import MAX_DECODED_BYTES, MIN_ENTRIES, StatusList

VECTORS = json.loads(
    (
        Path(__file__).resolve().parents[1] / "vectors" / "bitstring-status-list" / "vectors.json"
    ).read_text()
)["cases"]


@pytest.mark.parametrize("case", VECTORS, ids=[c["name"] for c in VECTORS])
def test_decoding_reproduces_the_vectors(case):
    size = case.get("statusSize", 1)
    decoded = StatusList.decode(case["encodedList"], size)
    assert len(decoded._bits) == case["decodedBytes"]
    for index, value in case.get("probe", {}).items():
        assert decoded.get(int(index)) == value
    expected = dict.fromkeys(case.get("setIndices", []), 1) | {
        int(k): v for k, v in case.get("values", {}).items()
    }
    assert {i for i in range(decoded.entries) if decoded.get(i)} == set(expected)


@pytest.mark.parametrize("case", VECTORS, ids=[c["name"] for c in VECTORS])
def test_encoding_round_trips_to_the_same_bits(case):
    size = case.get("statusSize", 1)
    original = StatusList.decode(case["encodedList"], size)
    rebuilt = StatusList(original.entries, size)
    for index in range(original.entries):
        if value := original.get(index):
            rebuilt.set(index, value)
    assert StatusList.decode(rebuilt.encode(), size)._bits == original._bits


def test_set_and_clear():
    status = StatusList()
    status.set(94567, 1)
    assert status.get(94567) == 1
    status.set(94567, 0)
    assert status.get(94567) == 0


@pytest.mark.parametrize(
    ("encoded", "code"),
    [
        ("zabc", "STATUS_LIST_ENCODING_INVALID"),
        ("u!!!", "STATUS_LIST_ENCODING_INVALID"),
        (
            "u" + base64.urlsafe_b64encode(gzip.compress(bytes(16))).decode().rstrip("="),
            "STATUS_LIST_TOO_SHORT",
        ),
        (
            "u"
            + base64.urlsafe_b64encode(gzip.compress(bytes(20 * 1024 * 1024))).decode().rstrip("="),
            "STATUS_LIST_TOO_LARGE",
        ),
    ],
    ids=["not-base64url", "bad-chars", "too-short", "bomb"],
)
def test_bad_lists_are_refused(encoded, code):
    with pytest.raises(RegistryError) as caught:
        StatusList.decode(encoded)
    assert caught.value.code == code


def _encoded_zeros(size: int) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(size))).decode().rstrip("=")


def test_the_inflated_size_limit_is_exact():
    """A list inflating to exactly the limit, 16 MiB, is read; one byte more is too large."""
    limit = 16 * 1024 * 1024
    assert limit == MAX_DECODED_BYTES
    assert StatusList.decode(_encoded_zeros(limit)).entries == limit * 8
    with pytest.raises(RegistryError) as caught:
        StatusList.decode(_encoded_zeros(limit + 1))
    assert caught.value.code == "STATUS_LIST_TOO_LARGE"


def test_bounds():
    with pytest.raises(RegistryError):
        StatusList(MIN_ENTRIES - 1)
    with pytest.raises(RegistryError):
        StatusList().set(MIN_ENTRIES, 1)
    with pytest.raises(RegistryError):
        StatusList().set(0, 2)


@pytest.mark.parametrize("size", [1, 2, 4, 8])
def test_every_offset_in_a_byte_is_set_and_cleared_alone(size):
    """Index 0 is the most significant bits of the first byte; setting or clearing one
    entry never touches its neighbours, at every offset inside a byte."""
    per_byte = 8 // size
    top = (1 << size) - 1
    for offset in range(per_byte):
        status = StatusList(MIN_ENTRIES, size)
        index = 8 * per_byte + offset  # inside byte 8, away from the list's edges
        status.set(index, top)
        shift = 8 - size * (offset + 1)
        assert status._bits[8] == top << shift
        assert [status.get(i) for i in range(8 * per_byte, 9 * per_byte)] == [
            top if i == index else 0 for i in range(8 * per_byte, 9 * per_byte)
        ]
        # all other entries of the byte set: clearing this one leaves them alone
        for other in range(8 * per_byte, 9 * per_byte):
            status.set(other, top)
        status.set(index, 0)
        assert status._bits[8] == 0xFF & ~(top << shift)
        assert status.get(index) == 0
        assert all(status.get(i) == top for i in range(8 * per_byte, 9 * per_byte) if i != index)
        assert status._bits[7] == status._bits[9] == 0


@pytest.mark.parametrize("size", [1, 2, 4, 8])
def test_allowed_status_sizes(size):
    assert StatusList(MIN_ENTRIES, size).status_size == size


@pytest.mark.parametrize("size", [0, 3, 5, 9, 16])
def test_other_status_sizes_are_refused(size):
    with pytest.raises(RegistryError) as caught:
        StatusList(MIN_ENTRIES, size)
    assert caught.value.code == "STATUS_LIST_SIZE_INVALID"


def test_each_bound_refuses_with_its_own_code():
    with pytest.raises(RegistryError) as caught:
        StatusList(MIN_ENTRIES - 1)
    assert caught.value.code == "STATUS_LIST_SIZE_INVALID"
    StatusList().set(MIN_ENTRIES - 1, 1)  # the last entry exists
    for index in (MIN_ENTRIES, -1):
        with pytest.raises(RegistryError) as caught:
            StatusList().set(index, 1)
        assert caught.value.code == "STATUS_INDEX_INVALID"
    StatusList(MIN_ENTRIES, 2).set(0, 3)  # the largest 2-bit value
    for value in (2, -1):
        with pytest.raises(RegistryError) as caught:
            StatusList().set(0, value)
        assert caught.value.code == "STATUS_VALUE_INVALID"

"""Bitstring Status List encoding, against the W3C example and cross-checked lists."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest

from registry.core.errors import RegistryError
from registry.core.formats.statuslist import MIN_ENTRIES, StatusList

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


def test_bounds():
    with pytest.raises(RegistryError):
        StatusList(MIN_ENTRIES - 1)
    with pytest.raises(RegistryError):
        StatusList().set(MIN_ENTRIES, 1)
    with pytest.raises(RegistryError):
        StatusList().set(0, 2)

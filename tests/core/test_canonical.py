"""RFC 8785 canonical JSON: the author's test data, byte for byte."""

from __future__ import annotations

import json
from types import MappingProxyType

import pytest

from registry.core.errors import RegistryError
from registry.core.formats.canonical import canonical_json
from tests.support.vectors_dataintegrity import JcsCase, jcs_cases


@pytest.mark.parametrize("case", jcs_cases(), ids=lambda case: case.name)
def test_rfc8785_testdata_canonicalises_byte_for_byte(case: JcsCase) -> None:
    assert case.expected == case.expected_hex
    assert canonical_json(json.loads(case.input_text)) == case.expected


def test_all_rfc8785_cases_are_present() -> None:
    names = {case.name for case in jcs_cases()}
    assert names == {"arrays", "french", "structures", "unicode", "values", "weird"}


def test_mappings_and_tuples_canonicalise_like_dicts_and_lists() -> None:
    value = MappingProxyType({"b": (1, 2), "a": MappingProxyType({"y": None, "x": True})})
    assert canonical_json(value) == b'{"a":{"x":true,"y":null},"b":[1,2]}'


def test_largest_safe_integer_is_accepted() -> None:
    assert canonical_json([2**53 - 1, -(2**53) + 1]) == b"[9007199254740991,-9007199254740991]"


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        [float("inf")],
        {"n": -float("inf")},
        {1: "integer key"},
        2**53,
        {"big": -(2**53)},
        "\ud800",  # lone surrogate
        {"when": object()},
        {b"bytes": 1},
    ],
)
def test_values_outside_json_are_refused(value: object) -> None:
    with pytest.raises(RegistryError) as caught:
        canonical_json(value)
    assert caught.value.code == "JSON_NOT_CANONICALIZABLE"


def test_depth_limit_without_recursion():
    from registry.core.formats.canonical import MAX_JSON_DEPTH, require_shallow

    def nest(depth):
        value: object = 1
        for index in range(depth):
            value = {"a": value} if index % 2 else [value]
        return value

    require_shallow(nest(MAX_JSON_DEPTH))
    for depth in (MAX_JSON_DEPTH + 1, 100_000):
        with pytest.raises(RegistryError) as caught:
            require_shallow(nest(depth))
        assert caught.value.code == "JSON_TOO_DEEP"

"""The C-encoder path of canonical JSON writes exactly what the RFC 8785 reference
implementation writes, and hands everything else to the reference."""

from __future__ import annotations

import random

import pytest

from registry.core.formats import canonical
from registry.core.formats.canonical import canonical_json, reference_canonical_json

# Characters where JSON encoders disagree most: quotes, backslashes, every control
# character, DEL, the JavaScript line separators, BMP characters above the surrogates,
# Chinese text and astral-plane characters (surrogate pairs in UTF-16).
_ALPHABET = (
    ['"', "\\", "/", "\u007f", "\u2028", "\u2029", "\ue000", "\uffff", "中", "职称", "é"]
    + [chr(code) for code in range(0x20)]
    + ["\U0001f600", "\U00010000", "\U0010ffff", "a", "Z", "0", " "]
)
_KEY_ALPHABET = [chr(code) for code in range(0x20, 0x7F)] + [chr(code) for code in range(0x20)]


def _text(rng: random.Random, alphabet: list[str]) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))


def _value(rng: random.Random, depth: int) -> object:
    pick = rng.randrange(8 if depth < 4 else 5)
    if pick == 0:
        return _text(rng, _ALPHABET)
    if pick == 1:
        return rng.choice([0, -1, 1, 2**53 - 1, -(2**53) + 1, rng.randrange(-(10**15), 10**15)])
    if pick == 2:
        return rng.choice([True, False])
    if pick == 3:
        return None
    if pick == 4:
        return ""
    if pick == 5:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(0, 5))]
    return {_text(rng, _KEY_ALPHABET): _value(rng, depth + 1) for _ in range(rng.randrange(0, 6))}


@pytest.mark.parametrize("seed", range(40))
def test_fast_path_matches_the_reference_on_random_documents(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        document = {"doc": _value(rng, 0), "text": _text(rng, _ALPHABET)}
        fast = canonical._fast(document)
        assert fast is not None, "such a document must take the fast path"
        assert fast == reference_canonical_json(document)
        assert canonical_json(document) == fast


@pytest.mark.parametrize(
    "value",
    [
        {"n": 1.5},
        {"n": 1e21},
        {"n": -0.0},
        {"职称": 1},
        {"\U0001f600": 1, "\ue000": 2},  # UTF-16 order differs from code point order
        {"e": "\u00e9", "é": 1},
        {"n": 2**53},
    ],
    ids=repr,
)
def test_values_the_fast_path_leaves_to_the_reference(value: object) -> None:
    assert canonical._fast(value) is None


def test_astral_and_private_use_keys_sort_by_utf16_code_units() -> None:
    # U+1F600 is D83D DE00 in UTF-16, so it sorts before U+E000 there (not by code point).
    assert canonical_json({"\ue000": 2, "\U0001f600": 1}) == (
        '{"\U0001f600":1,"\ue000":2}'.encode()
    )


def test_floats_are_written_as_ecmascript_does() -> None:
    assert canonical_json({"a": 1.0, "b": 1e21, "c": 0.000001, "d": 1e-7}) == (
        b'{"a":1,"b":1e+21,"c":0.000001,"d":1e-7}'
    )

"""Multibase: base58btc and base64url text of binary values."""

from __future__ import annotations

import pytest

from registry.core.errors import RegistryError
from registry.core.formats.multibase import (
    base58btc_decode,
    base58btc_encode,
    multibase_decode,
    multibase_encode_base58btc,
)
from tests.support.vectors_dataintegrity import jcs_suite

# Examples from the IETF base58 draft (draft-msporny-base58, section 5).
BASE58_EXAMPLES = [
    (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
    (
        b"The quick brown fox jumps over the lazy dog.",
        "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
    ),
    (bytes.fromhex("0000287fb4cd"), "11233QC4"),
    (b"", ""),
    (b"\0", "1"),
]


@pytest.mark.parametrize(("data", "text"), BASE58_EXAMPLES)
def test_base58btc_matches_the_draft_examples(data: bytes, text: str) -> None:
    assert base58btc_encode(data) == text
    assert base58btc_decode(text) == data


def test_vector_proof_value_is_the_multibase_of_the_vector_signature() -> None:
    vector = jcs_suite()
    signature = bytes.fromhex(vector.signature_hex)
    assert multibase_encode_base58btc(signature) == vector.proof_value
    assert multibase_decode(vector.proof_value) == signature


@pytest.mark.parametrize("data", [bytes(range(256)), b"\0\0\0\x01", b"\xff" * 64, b"\0" * 5])
def test_base58btc_round_trips(data: bytes) -> None:
    assert multibase_decode(multibase_encode_base58btc(data)) == data


@pytest.mark.parametrize("text", ["0", "abcO", "I", "l1", "2NEpo 7T", "é"])
def test_base58btc_refuses_symbols_outside_the_alphabet(text: str) -> None:
    with pytest.raises(RegistryError) as caught:
        base58btc_decode(text)
    assert caught.value.code == "MULTIBASE_INVALID"


@pytest.mark.parametrize(
    ("text", "data"), [("uaGVsbG8", b"hello"), ("u_-8", b"\xff\xef"), ("u", b"")]
)
def test_base64url_without_padding_decodes(text: str, data: bytes) -> None:
    assert multibase_decode(text) == data


@pytest.mark.parametrize(
    "text",
    [
        "",  # no prefix at all
        "f68656c6c6f",  # base16: a prefix this registry does not take
        "maGVsbG8",  # base64 with the standard alphabet
        "uaGVsbG8=",  # padding
        "uaGVsbG9",  # stray trailing bits: not the canonical spelling
        "ua+Vs",  # '+' is not base64url
        "uaGVsb",  # one character past a full group cannot be base64
        "z0OIl",  # base58btc with symbols outside its alphabet
    ],
)
def test_multibase_decode_refuses_bad_text(text: str) -> None:
    with pytest.raises(RegistryError) as caught:
        multibase_decode(text)
    assert caught.value.code == "MULTIBASE_INVALID"

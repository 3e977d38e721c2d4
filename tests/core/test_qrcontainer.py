"""The RC1 text container: round trips, every refusal, and a deflate bomb."""

from __future__ import annotations

import base64
import os
import zlib

import pytest

from registry.core.errors import ErrorKind, RegistryError
from registry.core.formats.qrcontainer import (
    MAX_INFLATED_BYTES,
    MAX_PAYLOAD_CHARS,
    PREFIX,
    decode_payload,
    encode_payload,
    payload_from_text,
    verify_url,
)

QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
COSE_LIKE = bytes.fromhex("d28443a10127a0") + b"\x58\x20" + bytes(range(32)) + b"\x40"


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(level=9, wbits=-15)
    return compressor.compress(data) + compressor.flush()


def _text_for(compressed: bytes) -> str:
    return PREFIX + base64.b32encode(compressed).decode("ascii").rstrip("=")


def _error(text: str) -> RegistryError:
    with pytest.raises(RegistryError) as excinfo:
        decode_payload(text)
    return excinfo.value


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 5, 31, 300, 1000, MAX_INFLATED_BYTES])
def test_round_trip(size: int) -> None:
    data = os.urandom(size)
    text = encode_payload(data)
    assert text.startswith("RC1:")
    assert "=" not in text
    assert decode_payload(text) == data


def test_every_character_is_in_the_qr_alphanumeric_set() -> None:
    assert set(encode_payload(os.urandom(600))) <= QR_ALPHANUMERIC


def test_encoding_is_raw_deflate_level_9_in_base32() -> None:
    text = encode_payload(COSE_LIKE)
    compressed = base64.b32decode(text[len(PREFIX) :] + "=" * (-(len(text) - 4) % 8))
    assert zlib.decompress(compressed, wbits=-15) == COSE_LIKE  # no zlib header or checksum
    assert compressed == _raw_deflate(COSE_LIKE)


def test_whitespace_and_lower_case_are_tolerated() -> None:
    text = encode_payload(COSE_LIKE)
    wrapped = "  " + text[:20] + "\n" + text[20:40] + " \t" + text[40:] + "\r\n"
    assert decode_payload(wrapped) == COSE_LIKE
    assert decode_payload(text.lower()) == COSE_LIKE


@pytest.mark.parametrize(
    "text", ["", "RC2:AAAA", "RC1AAAA", "https://talent.example.gov.cn/v#RC1:AA", "ＲC1:AA"]
)
def test_unknown_prefix(text: str) -> None:
    error = _error(text)
    assert error.code == "QR_PREFIX_UNKNOWN"
    assert error.kind is ErrorKind.MALFORMED


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("", "empty"),
        ("A", "one character holds no whole byte"),
        ("AAA", "three characters leave seven unused bits"),
        ("AAAAAA", "six characters leave six unused bits"),
        ("AA1A", "1 is not base32"),
        ("AA0A", "0 is not base32"),
        ("AA======", "padding is not allowed"),
        ("AB", "non-zero unused bits give a second text for the same byte"),
        ("AAAAAAB", "non-zero unused bits after four bytes"),
        ("AÄ", "non-ASCII"),
        ("A_A_", "int() would accept underscores"),
        ("+AAA", "int() would accept a sign"),
    ],
)
def test_invalid_encoding(body: str, why: str) -> None:
    error = _error(PREFIX + body)
    assert error.code == "QR_ENCODING_INVALID", why
    assert error.kind is ErrorKind.MALFORMED


def test_canonical_neighbours_of_the_refused_texts_pass_the_base32_layer() -> None:
    # Guards the test above: zero unused bits get past base32 and on to inflation.
    assert decode_payload(_text_for(_raw_deflate(b""))) == b""
    for body in ("AA", "AAAA", "AAAAA", "AAAAAAA", "AAAAAAAA"):
        assert _error(PREFIX + body).code == "QR_COMPRESSION_INVALID"


@pytest.mark.parametrize(
    ("compressed", "why"),
    [
        (b"\xff\xff\xff\xff\xff", "block type 3 does not exist"),
        (_raw_deflate(COSE_LIKE)[:-3], "truncated stream"),
        (_raw_deflate(COSE_LIKE) + b"\x00\x00\x00\x00\x00", "bytes after the final block"),
        (zlib.compress(COSE_LIKE), "zlib header instead of raw deflate"),
    ],
)
def test_invalid_compression(compressed: bytes, why: str) -> None:
    error = _error(_text_for(compressed))
    assert error.code == "QR_COMPRESSION_INVALID", why
    assert error.kind is ErrorKind.MALFORMED


def test_truncated_text_is_refused() -> None:
    text = encode_payload(COSE_LIKE)
    for end in range(len(PREFIX), len(text)):
        with pytest.raises(RegistryError) as excinfo:
            decode_payload(text[:end])
        assert excinfo.value.code in {"QR_ENCODING_INVALID", "QR_COMPRESSION_INVALID"}


def test_exactly_the_limit_inflates_and_one_more_byte_is_too_large() -> None:
    assert len(decode_payload(_text_for(_raw_deflate(b"\x00" * MAX_INFLATED_BYTES)))) == 2048
    error = _error(_text_for(_raw_deflate(b"\x00" * (MAX_INFLATED_BYTES + 1))))
    assert error.code == "QR_TOO_LARGE"
    assert error.kind is ErrorKind.TOO_LARGE


def test_deflate_bomb_is_refused_without_inflating_it() -> None:
    bomb = _text_for(_raw_deflate(b"\x00" * 50_000_000))  # 50 MB in about 80 KB of text
    small_bomb = _text_for(_raw_deflate(b"\x00" * 1_000_000))  # fits a QR: about 1.6 K chars
    assert len(small_bomb) - len(PREFIX) <= MAX_PAYLOAD_CHARS
    assert _error(small_bomb).code == "QR_TOO_LARGE"
    assert _error(bomb).code == "QR_TOO_LARGE"


def test_text_longer_than_any_qr_code_is_refused() -> None:
    assert _error(PREFIX + "A" * (MAX_PAYLOAD_CHARS + 8)).code == "QR_TOO_LARGE"
    assert _error(" " * (3 * MAX_PAYLOAD_CHARS)).code == "QR_TOO_LARGE"


PAYLOAD = encode_payload(COSE_LIKE)


@pytest.mark.parametrize(
    "text",
    [
        f"https://talent.example.gov.cn/v#{PAYLOAD}",
        f"  HTTPS://TALENT.EXAMPLE.GOV.CN/V#{PAYLOAD}\n",
        f"https://talent.example.gov.cn/v#{PAYLOAD.replace(':', '%3A')}",
        f"#{PAYLOAD}",
        PAYLOAD,
        f" {PAYLOAD} ",
    ],
)
def test_payload_from_text(text: str) -> None:
    assert payload_from_text(text) == PAYLOAD
    assert decode_payload(payload_from_text(text)) == COSE_LIKE


def test_verify_url_puts_the_payload_in_the_fragment_of_v() -> None:
    expected = f"https://talent.example.gov.cn/v#{PAYLOAD}"
    assert verify_url("https://talent.example.gov.cn", PAYLOAD) == expected
    assert verify_url("https://talent.example.gov.cn/", PAYLOAD) == expected
    assert payload_from_text(verify_url("https://talent.example.gov.cn/", PAYLOAD)) == PAYLOAD

"""The text form of a signed QR payload: ``RC1:`` then base32 of the raw-DEFLATEd COSE_Sign1.

Every character is in the QR alphanumeric set (upper-case base32 without padding, and the
``RC1:`` version prefix), so the payload can sit in its own alphanumeric segment after the
byte-mode URL prefix and costs 5.5 bits a character. The payload travels in a URL fragment
(``…/v#RC1:…``), which phone browsers never send to a server on their own.
"""

from __future__ import annotations

import base64
import urllib.parse
import zlib
from typing import Final

from registry.core.errors import RegistryError, invalid, malformed, too_large

PREFIX: Final = "RC1:"
MAX_INFLATED_BYTES: Final = 2048
# The budget of a record's signed COSE_Sign1 (DESIGN.md): every record type, with the longest
# values its schema allows, stays within it (tests/render/test_recordtype_qr_budget.py), and
# issuance refuses a payload over it rather than print a QR code too dense to scan.
MAX_SIGNED_BYTES: Final = 395
# The most alphanumeric characters any QR symbol holds (version 40, level L); longer text
# cannot have come from a QR code and is refused before any decoding work.
MAX_PAYLOAD_CHARS: Final = 4296
VERIFY_PATH: Final = "/v"

_NOT_A_DIGIT: Final = ord("!")


def _digit_table() -> bytes:
    """A ``bytes.translate`` table: RFC 4648's base32 alphabet onto ``int()``'s base-32
    digits 0-9A-V, every other byte onto ``!`` (which no base accepts)."""
    table = bytearray([_NOT_A_DIGIT]) * 256
    for letter, digit in zip(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", b"0123456789ABCDEFGHIJKLMNOPQRSTUV", strict=True
    ):
        table[letter] = digit
    return bytes(table)


_TO_INT_DIGITS: Final = _digit_table()
_RAW_DEFLATE_WBITS: Final = -15


def encode_payload(cose_bytes: bytes) -> str:
    """Compress a COSE_Sign1 with raw DEFLATE (level 9) and return ``RC1:`` + base32 text."""
    compressor = zlib.compressobj(level=9, wbits=_RAW_DEFLATE_WBITS)
    compressed = compressor.compress(cose_bytes) + compressor.flush()
    return PREFIX + base64.b32encode(compressed).decode("ascii").rstrip("=")


def _encoding_invalid(why_zh: str, why_en: str) -> RegistryError:
    return malformed(
        "QR_ENCODING_INVALID",
        f"二维码内容的编码无效：{why_zh}",
        f"Invalid QR payload encoding: {why_en}",
    )


def _compression_invalid() -> RegistryError:
    return malformed(
        "QR_COMPRESSION_INVALID",
        "二维码内容无法解压：数据不完整或已损坏",
        "The QR payload cannot be decompressed: it is truncated or damaged",
    )


def _too_large() -> RegistryError:
    return too_large(
        "QR_TOO_LARGE",
        "二维码内容超出允许的大小",
        "The QR payload is larger than allowed",
    )


def _base32_decode(text: str) -> bytes:
    """Decode unpadded RFC 4648 base32 through one big integer (the stdlib's is 40x slower).

    Unused low bits of the last character must be zero, so each byte string has exactly one
    text; a length that would leave five or more unused bits cannot come from an encoder.
    """
    # Map the RFC 4648 alphabet onto int()'s base-32 digits 0-9A-V, then read one number.
    digits = text.encode("ascii", "replace").translate(_TO_INT_DIGITS)
    if not digits or _NOT_A_DIGIT in digits:
        raise _encoding_invalid("含有 base32 字母表之外的字符", "character outside base32")
    byte_count, unused_bits = divmod(len(digits) * 5, 8)
    if unused_bits >= 5:
        raise _encoding_invalid("长度不可能是 base32 编码", "impossible base32 length (truncated)")
    number = int(digits, 32)
    if number & ((1 << unused_bits) - 1):
        raise _encoding_invalid("base32 末尾存在多余的位", "non-canonical base32 trailing bits")
    return (number >> unused_bits).to_bytes(byte_count, "big")


def _inflate(compressed: bytes) -> bytes:
    """Inflate raw DEFLATE data, producing at most MAX_INFLATED_BYTES (a bomb stops early)."""
    inflater = zlib.decompressobj(wbits=_RAW_DEFLATE_WBITS)
    try:
        inflated = inflater.decompress(compressed, MAX_INFLATED_BYTES + 1)
    except zlib.error:
        raise _compression_invalid() from None
    if len(inflated) > MAX_INFLATED_BYTES:
        raise _too_large()
    if not inflater.eof or inflater.unused_data:
        raise _compression_invalid()
    return inflated


def decode_payload(text: str) -> bytes:
    """Turn ``RC1:…`` text back into the COSE_Sign1 bytes; whitespace is ignored.

    Raises RegistryError ``QR_PREFIX_UNKNOWN``, ``QR_ENCODING_INVALID``,
    ``QR_COMPRESSION_INVALID`` or ``QR_TOO_LARGE``; the signature is not checked here.
    """
    if len(text) > 2 * MAX_PAYLOAD_CHARS:
        raise _too_large()
    compact = "".join(text.split())  # drops what the regular expression \s+ matches
    version = compact[: len(PREFIX)]
    if not version.isascii() or version.upper() != PREFIX:
        raise malformed(
            "QR_PREFIX_UNKNOWN",
            "二维码内容不是本系统可识别的版本（应以 RC1: 开头）",
            "The QR payload is not a version this system knows (expected the RC1: prefix)",
        )
    body = compact[len(PREFIX) :]
    if not body.isascii():
        raise _encoding_invalid("含有 base32 字母表之外的字符", "character outside base32")
    body = body.upper()  # typed-in or lower-cased text is still accepted
    if len(body) > MAX_PAYLOAD_CHARS:
        raise _too_large()
    if not body:
        raise _encoding_invalid("内容为空", "the payload is empty")
    return _inflate(_base32_decode(body))


def require_within_budget(payload: str) -> None:
    """Refuse a payload whose signed bytes exceed ``MAX_SIGNED_BYTES``.

    Raises RegistryError ``QR_PAYLOAD_TOO_LONG`` (422); the message names the budget only,
    never a value of the record.
    """
    if len(decode_payload(payload)) > MAX_SIGNED_BYTES:
        raise invalid(
            "QR_PAYLOAD_TOO_LONG",
            f"记录的二维码内容将超过 {MAX_SIGNED_BYTES} 字节的上限，请缩短记录中的文字后重试",
            f"the record's QR payload would exceed the {MAX_SIGNED_BYTES}-byte budget: "
            "shorten the record's texts and retry",
        )


def payload_from_text(text: str) -> str:
    """Return the payload carried by a scanned or pasted text.

    Accepts a verify-page URL (``https://host/v#RC1:…``), a bare ``#`` fragment or a bare
    payload; the result is not validated (``decode_payload`` does that).
    """
    stripped = text.strip()
    _, hash_sign, fragment = stripped.partition("#")
    if not hash_sign:
        return stripped
    return urllib.parse.unquote(fragment).strip()


def verify_url(base_url: str, payload: str) -> str:
    """The verify-page URL that a QR code carries: ``{base_url}/v#{payload}``."""
    return base_url.rstrip("/") + VERIFY_PATH + "#" + payload

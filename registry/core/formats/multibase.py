"""Multibase text encodings of binary values: base58btc (``z``) and base64url (``u``).

Data Integrity proofs, Multikey verification methods and ``did:key`` identifiers all carry
bytes as multibase text; this module is the one place that turns such text back into bytes.
"""

from __future__ import annotations

import base64
import binascii
import re

from registry.core.errors import RegistryError, malformed

BASE58BTC_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {symbol: value for value, symbol in enumerate(BASE58BTC_ALPHABET)}
_BASE64URL_TEXT = re.compile(r"[A-Za-z0-9_-]*")

MULTIBASE_BASE58BTC = "z"
MULTIBASE_BASE64URL = "u"


def _invalid(why_zh: str, why_en: str) -> RegistryError:
    return malformed(
        "MULTIBASE_INVALID",
        f"多基编码文本无效：{why_zh}",
        f"Invalid multibase text: {why_en}",
    )


def base58btc_encode(data: bytes) -> str:
    """Encode bytes as plain base58 (bitcoin alphabet, no multibase prefix)."""
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits: list[str] = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(BASE58BTC_ALPHABET[remainder])
    return "1" * leading_zeros + "".join(reversed(digits))


def base58btc_decode(text: str) -> bytes:
    """Decode plain base58btc text; any symbol outside the alphabet is refused."""
    number = 0
    for symbol in text:
        value = _BASE58_INDEX.get(symbol)
        if value is None:
            raise _invalid(
                "含有 base58btc 字母表之外的字符", "character outside the base58btc alphabet"
            )
        number = number * 58 + value
    leading_zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * leading_zeros + body


def multibase_encode_base58btc(data: bytes) -> str:
    """Encode bytes as multibase base58btc: ``z`` followed by base58btc."""
    return MULTIBASE_BASE58BTC + base58btc_encode(data)


def _base64url_decode(text: str) -> bytes:
    if not _BASE64URL_TEXT.fullmatch(text) or len(text) % 4 == 1:
        raise _invalid("不是无填充的 base64url", "not unpadded base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise _invalid("不是无填充的 base64url", "not unpadded base64url") from error
    if base64.urlsafe_b64encode(data).decode("ascii").rstrip("=") != text:
        raise _invalid("base64url 末位含有多余的比特", "base64url has stray trailing bits")
    return data


def multibase_decode(text: str) -> bytes:
    """Decode multibase text with prefix ``z`` (base58btc) or ``u`` (base64url, no padding)."""
    if not isinstance(text, str) or not text:
        raise _invalid("为空或不是字符串", "empty or not a string")
    prefix, body = text[0], text[1:]
    if prefix == MULTIBASE_BASE58BTC:
        return base58btc_decode(body)
    if prefix == MULTIBASE_BASE64URL:
        return _base64url_decode(body)
    raise _invalid("不支持的前缀", "unsupported prefix")

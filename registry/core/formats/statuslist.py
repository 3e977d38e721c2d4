"""W3C Bitstring Status List v1.0: the bit string, its encoding and decoding.

Index 0 is the most significant bit of the first byte. ``encodedList`` is the multibase
base64url (``u``) form of the GZIP-compressed bit string. Decoding refuses lists that
inflate past a bound, so a hostile list cannot exhaust memory.
"""

from __future__ import annotations

import base64
import gzip
import secrets
import zlib
from collections.abc import Mapping
from typing import Any

from registry.core.errors import RegistryError, invalid, malformed

MIN_ENTRIES = 131_072
MAX_DECODED_BYTES = 16 * 1024 * 1024
GZIP_LEVEL = 6  # level 9 costs 15x the time on sparse lists for a few bytes
IN_RANGE_CANDIDATES = 6
GROWTH_CANDIDATES = 2


def list_entries(highest_index: int | None) -> int:
    """The entries of an issuer's list: 131,072, doubled until the highest index fits.

    The list grows as an issuer issues more (indices are never reused), so one list per
    purpose serves any number of records at a stable URL.
    """
    entries = MIN_ENTRIES
    while highest_index is not None and highest_index >= entries:
        entries *= 2
    return entries


def candidate_indices(highest_index: int | None) -> list[int]:
    """Random indices to try, in order, for a new record's status entry.

    Six fall anywhere in the current list; two in the range a doubled list would add.
    A taken index is skipped, so the list grows only once six random picks in a row
    hit taken entries: it stays roughly a tenth to a quarter full, which keeps every
    record's index hidden among many unused ones (herd privacy) and the lists small.
    """
    entries = list_entries(highest_index)
    inside = [secrets.randbelow(entries) for _ in range(IN_RANGE_CANDIDATES)]
    return inside + [entries + secrets.randbelow(entries) for _ in range(GROWTH_CANDIDATES)]


ENTRY_TYPE = "BitstringStatusListEntry"
_HEX_STATUS = "0123456789abcdefABCDEF"


def _entry_invalid(why_zh: str, why_en: str) -> RegistryError:
    return invalid(
        "STATUS_ENTRY_INVALID",
        f"状态项不符合 Bitstring Status List：{why_zh}",
        f"the status entry does not follow the Bitstring Status List: {why_en}",
    )


def _is_url(value: object) -> bool:
    return isinstance(value, str) and ":" in value and " " not in value


def _check_messages(entry: Mapping[str, Any], size: int) -> None:
    """A status wider than one bit names what each value means: ``statusMessage`` with one
    ``{status, message}`` per value (``0x0`` upward, hexadecimal)."""
    messages = entry.get("statusMessage")
    if size == 1:
        return
    if not isinstance(messages, list) or len(messages) != 2**size:
        raise _entry_invalid(
            f"statusSize 为 {size} 时须有 {2**size} 条 statusMessage",
            f"a statusSize of {size} needs {2**size} statusMessage entries",
        )
    for value, message in enumerate(messages):
        status = message.get("status") if isinstance(message, Mapping) else None
        hex_digits = status[2:] if isinstance(status, str) and status[:2] == "0x" else ""
        if (
            not hex_digits
            or any(c not in _HEX_STATUS for c in hex_digits)
            or int(hex_digits, 16) != value
            or not isinstance(message.get("message"), str)
        ):
            raise _entry_invalid(
                "statusMessage 须依次给出 0x0 起每个状态值及其说明",
                "statusMessage must give each status value from 0x0 up, with its message",
            )


def check_entry(entry: object) -> Mapping[str, Any]:
    """A ``BitstringStatusListEntry`` as the specification requires it: a purpose, an index
    (decimal digits as text), the list's URL, and a ``statusSize`` (default 1) with its
    ``statusMessage`` where it is wider than one bit. ``STATUS_ENTRY_INVALID`` otherwise."""
    if not isinstance(entry, Mapping) or entry.get("type") != ENTRY_TYPE:
        raise _entry_invalid("不是 BitstringStatusListEntry", f"not a {ENTRY_TYPE}")
    purpose = entry.get("statusPurpose")
    if not isinstance(purpose, str) or not purpose:
        raise _entry_invalid("缺少 statusPurpose", "statusPurpose is missing")
    index = entry.get("statusListIndex")
    if not (isinstance(index, str) and index.isascii() and index.isdigit()):
        raise _entry_invalid(
            "statusListIndex 须为十进制数字字符串", "statusListIndex must be decimal digits as text"
        )
    if not _is_url(entry.get("statusListCredential")):
        raise _entry_invalid("statusListCredential 须为 URL", "statusListCredential must be a URL")
    if "id" in entry and not _is_url(entry["id"]):
        raise _entry_invalid("id 须为 URL", "id must be a URL")
    size = entry.get("statusSize", 1)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise _entry_invalid("statusSize 须为正整数", "statusSize must be a positive integer")
    _check_messages(entry, size)
    return entry


class StatusList:
    """A fixed-size list of ``status_size``-bit entries."""

    def __init__(self, entries: int = MIN_ENTRIES, status_size: int = 1) -> None:
        if entries < MIN_ENTRIES or status_size not in (1, 2, 4, 8):
            raise invalid(
                "STATUS_LIST_SIZE_INVALID",
                "状态列表至少 131072 项，每项 1、2、4 或 8 位",
                "a status list needs at least 131,072 entries of 1, 2, 4 or 8 bits",
            )
        self.entries = entries
        self.status_size = status_size
        self._bits = bytearray((entries * status_size + 7) // 8)

    def _locate(self, index: int) -> tuple[int, int]:
        if not 0 <= index < self.entries:
            raise invalid("STATUS_INDEX_INVALID", "状态索引超出范围", "status index out of range")
        bit = index * self.status_size
        return bit // 8, 8 - self.status_size - bit % 8

    def get(self, index: int) -> int:
        """The value of one entry."""
        byte, shift = self._locate(index)
        return (self._bits[byte] >> shift) & ((1 << self.status_size) - 1)

    def set(self, index: int, value: int) -> None:
        """Set one entry (0 clears it)."""
        mask = (1 << self.status_size) - 1
        if not 0 <= value <= mask:
            raise invalid("STATUS_VALUE_INVALID", "状态值超出范围", "status value out of range")
        byte, shift = self._locate(index)
        self._bits[byte] = (self._bits[byte] & ~(mask << shift)) | (value << shift)

    def encode(self) -> str:
        """The ``encodedList`` value: ``u`` + base64url(GZIP(bits)), no padding."""
        packed = gzip.compress(bytes(self._bits), compresslevel=GZIP_LEVEL, mtime=0)
        return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, encoded: str, status_size: int = 1) -> StatusList:
        """Parse an ``encodedList``; malformed or oversized lists are refused."""
        if not encoded.startswith("u"):
            raise malformed(
                "STATUS_LIST_ENCODING_INVALID",
                "状态列表编码错误",
                "the status list is not multibase base64url",
            )
        text = encoded[1:]
        try:
            packed = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
            inflater = zlib.decompressobj(wbits=31)
            bits = inflater.decompress(packed, MAX_DECODED_BYTES)
        except (ValueError, zlib.error):
            raise malformed(
                "STATUS_LIST_ENCODING_INVALID",
                "状态列表编码错误",
                "the status list cannot be decoded",
            ) from None
        if inflater.unconsumed_tail:
            raise malformed(
                "STATUS_LIST_TOO_LARGE", "状态列表过大", "the status list inflates past the limit"
            )
        entries = len(bits) * 8 // status_size
        result = cls(entries, status_size) if entries >= MIN_ENTRIES else None
        if result is None:
            raise malformed(
                "STATUS_LIST_TOO_SHORT",
                "状态列表项数不足",
                "the status list has fewer than 131,072 entries",
            )
        result._bits = bytearray(bits)
        return result

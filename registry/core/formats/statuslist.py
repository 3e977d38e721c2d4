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

from registry.core.errors import invalid, malformed

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

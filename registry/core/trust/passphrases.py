"""The strength rule for an operator-chosen key passphrase (``REGISTRY_KEY_PASSPHRASE``).

Whoever holds a copy of the database holds the encrypted private keys, and can guess the
passphrase offline as fast as the key file's KDF allows. ``registry init`` generates 43
random URL-safe characters (256 bits); a passphrase an operator chooses must be at least
16 characters long, use at least 8 different characters, and be worth at least 64 bits by
a character-class estimate (length times log2 of the size of the classes it draws from:
lower case, upper case, digits, other ASCII, anything beyond ASCII). The estimate is
generous to phrases of words, but it refuses what is clearly weak: short, repetitive or
digits-only passphrases.
"""

from __future__ import annotations

import math
import string

from registry.core.errors import invalid

MIN_LENGTH = 16
MIN_DISTINCT = 8
MIN_BITS = 64
PASSPHRASE_WEAK = "KEY_PASSPHRASE_WEAK"  # noqa: S105  (an error code, not a secret)
_CLASSES: tuple[tuple[str, int], ...] = (
    (string.ascii_lowercase, 26),
    (string.ascii_uppercase, 26),
    (string.digits, 10),
    (string.punctuation + " ", 33),
)
_BEYOND_ASCII = 1000  # a generous size for CJK and other scripts: one class of its own


def estimated_bits(passphrase: str) -> float:
    """Length times log2 of the size of the character classes the passphrase draws from."""
    pool = sum(size for chars, size in _CLASSES if any(c in chars for c in passphrase))
    if any(not c.isascii() for c in passphrase):
        pool += _BEYOND_ASCII
    return len(passphrase) * math.log2(pool) if pool else 0.0


def check_passphrase(passphrase: str) -> None:
    """Refuse a clearly weak passphrase (``KEY_PASSPHRASE_WEAK``); the message states the
    rule, never the passphrase."""
    if (
        len(passphrase) < MIN_LENGTH
        or len(set(passphrase)) < MIN_DISTINCT
        or estimated_bits(passphrase) < MIN_BITS
    ):
        raise invalid(
            PASSPHRASE_WEAK,
            f"密钥口令 REGISTRY_KEY_PASSPHRASE 太弱：至少 {MIN_LENGTH} 个字符、"
            f"至少 {MIN_DISTINCT} 个不同字符，且不能只由数字或少数几类字符构成"
            "（可删去该变量，由 registry init 生成随机口令）",
            f"REGISTRY_KEY_PASSPHRASE is too weak: use at least {MIN_LENGTH} characters, "
            f"at least {MIN_DISTINCT} of them different, and not only digits or a few kinds "
            "of character (or unset it and let `registry init` generate a random one)",
        )


__all__ = ["MIN_BITS", "MIN_LENGTH", "PASSPHRASE_WEAK", "check_passphrase", "estimated_bits"]

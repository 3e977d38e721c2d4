"""ISO/IEC 7064 hybrid check character system MOD 37,36 over the alphabet ``0-9A-Z``.

GB/T 36904 closes every national e-licence identifier with this check character. The
hybrid system (modulus M = 36, M + 1 = 37) runs over the characters left to right:

    P = M
    for each character a:  S = (P + a) mod M, with 0 read as M;  P = (2 * S) mod (M + 1)
    check character c:     (P + c) mod M == 1,  so  c = (M + 1 - P) mod M

It detects every single substituted character and every transposition of two adjacent
characters. Characters are valued 0-9 for the digits and 10-35 for A-Z.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MODULUS = 36


def _values(text: str) -> list[int]:
    values = []
    for char in text:
        value = ALPHABET.find(char)
        if value < 0:
            raise ValueError("MOD 37,36 input must be digits and upper-case letters A-Z")
        values.append(value)
    return values


def _carry(values: list[int]) -> int:
    product = _MODULUS
    for value in values:
        total = (product + value) % _MODULUS or _MODULUS
        product = (total * 2) % (_MODULUS + 1)
    return product


def mod37_36_check_char(text: str) -> str:
    """The check character that protects ``text`` (digits and upper-case letters only)."""
    if not text:
        raise ValueError("MOD 37,36 needs at least one character")
    return ALPHABET[(_MODULUS + 1 - _carry(_values(text))) % _MODULUS]


def mod37_36_is_valid(protected: str) -> bool:
    """Whether ``protected`` (data followed by its check character) passes MOD 37,36."""
    if len(protected) < 2:
        return False
    try:
        values = _values(protected)
    except ValueError:
        return False
    return (_carry(values[:-1]) + values[-1]) % _MODULUS == 1


__all__ = ["ALPHABET", "mod37_36_check_char", "mod37_36_is_valid"]

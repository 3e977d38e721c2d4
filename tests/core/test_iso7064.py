"""ISO/IEC 7064 MOD 37,36: published examples, a worked example, and what it detects."""

from __future__ import annotations

import pytest

from registry.core.people.iso7064 import ALPHABET, mod37_36_check_char, mod37_36_is_valid

# GRid identifiers (IFPI GRid standard 2.1 uses MOD 37,36), as test cases of the xbib
# standardnumber library (org.xbib.standardnumber.check.iso7064.MOD3736 tests).
PUBLISHED = ("A12425GABC1234002M", "B159D8FA01240000K", "188166C7342000003")


@pytest.mark.parametrize("protected", PUBLISHED)
def test_published_examples(protected: str) -> None:
    assert mod37_36_check_char(protected[:-1]) == protected[-1]
    assert mod37_36_is_valid(protected)


def test_worked_example_by_hand() -> None:
    # "1A": P=36; '1' (1): S=(36+1) mod 36=1, P=2*1 mod 37=2;
    # 'A' (10): S=(2+10) mod 36=12, P=24 mod 37=24; check = (37-24) mod 36 = 13 = 'D'.
    assert mod37_36_check_char("1A") == "D"
    assert mod37_36_is_valid("1AD")
    # "0": S=(36+0) mod 36=0, read as 36; P=72 mod 37=35; check = (37-35) mod 36 = 2.
    assert mod37_36_check_char("0") == "2"


@pytest.mark.parametrize("protected", PUBLISHED)
def test_every_single_substitution_is_detected(protected: str) -> None:
    for position, original in enumerate(protected):
        for other in ALPHABET.replace(original, ""):
            changed = protected[:position] + other + protected[position + 1 :]
            assert not mod37_36_is_valid(changed), changed


@pytest.mark.parametrize("protected", PUBLISHED)
def test_every_adjacent_transposition_is_detected(protected: str) -> None:
    for position in range(len(protected) - 1):
        a, b = protected[position], protected[position + 1]
        if a == b:
            continue
        swapped = protected[:position] + b + a + protected[position + 2 :]
        assert not mod37_36_is_valid(swapped), swapped


@pytest.mark.parametrize("bad", ["", "a1", "A-1", "Ａ1"])
def test_refuses_characters_outside_the_alphabet(bad: str) -> None:
    assert not mod37_36_is_valid(bad + "0")
    with pytest.raises(ValueError, match="MOD 37,36"):
        mod37_36_check_char(bad)


def test_the_shortest_protected_text_is_one_character_and_its_check() -> None:
    for char in ("0", "A", "Z"):
        assert mod37_36_is_valid(char + mod37_36_check_char(char))
    assert not mod37_36_is_valid(mod37_36_check_char("A"))  # the check character alone

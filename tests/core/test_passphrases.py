"""Issue 13 (8b): an operator-chosen key passphrase must not be clearly weak."""

from __future__ import annotations

import secrets

import pytest

from registry.core.errors import RegistryError
from registry.core.trust.passphrases import MIN_BITS, check_passphrase, estimated_bits


@pytest.mark.parametrize(
    "weak",
    [
        "",
        "secret",
        "correct horse",  # 13 characters
        "1234567890123456",  # digits only: 53 bits
        "aaaaaaaaaaaaaaaaaaaaaaaa",  # one character
        "abababababababababababab",  # two characters
        "passwordpassword",  # seven different characters
    ],
)
def test_clearly_weak_passphrases_are_refused_in_both_languages(weak: str) -> None:
    with pytest.raises(RegistryError) as refused:
        check_passphrase(weak)
    error = refused.value
    assert error.code == "KEY_PASSPHRASE_WEAK"
    assert "口令" in error.message_zh and "REGISTRY_KEY_PASSPHRASE" in error.message_en
    if weak:
        assert weak not in error.message_zh and weak not in error.message_en


@pytest.mark.parametrize(
    "strong",
    [
        "test-only passphrase",  # the test suite's own
        "Tr0ub4dor&3-battery-staple",
        "长三角示范区人才证书互认登记系统密钥口令",
        "1234567890123456789012",  # 22 digits: 73 bits
    ],
)
def test_reasonable_passphrases_pass(strong: str) -> None:
    check_passphrase(strong)


def test_generated_passphrases_always_pass() -> None:
    for _ in range(200):  # what `registry init` writes (secrets.token_urlsafe(32))
        generated = secrets.token_urlsafe(32)
        check_passphrase(generated)
        assert estimated_bits(generated) > 2 * MIN_BITS


def test_each_limit_is_exact_and_refused_alone() -> None:
    """At each limit a passphrase passes; one short of it, and fine in every other way, it
    is refused."""
    check_passphrase("Abcdefgh1234!@#$")  # 16 characters, all different, 105 bits
    check_passphrase("passwordpasswordX")  # 8 different characters, 97 bits
    check_passphrase("12345678901234567890")  # 20 digits: 66 bits
    for weak in (
        "Abcdefgh1234!@#",  # 15 characters (still all different, 99 bits)
        "passwordpassword",  # 7 different characters (16 long, 75 bits)
        "1234567890123456789",  # 19 digits: 63 bits (10 different)
    ):
        with pytest.raises(RegistryError) as refused:
            check_passphrase(weak)
        assert refused.value.code == "KEY_PASSPHRASE_WEAK"

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

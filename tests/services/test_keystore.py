"""Private keys at rest: encrypted PKCS#8, usable only with the passphrase."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from registry.core.errors import RegistryError
from registry.services.runtime.keystore import KeyStore, kid_of, public_key_of

NOW = datetime.now(UTC)


def test_key_is_encrypted_and_round_trips():
    row = KeyStore(b"correct horse").new_key_row(1, NOW)
    assert row.encrypted_private_key.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    fresh = KeyStore(b"correct horse")  # a new process: empty cache
    key = fresh.private_key(row)
    assert kid_of(key.public_key()).hex() == row.kid
    assert public_key_of(row) == key.public_key()


def test_wrong_passphrase_is_a_clear_error():
    row = KeyStore(b"correct horse").new_key_row(1, NOW)
    with pytest.raises(RegistryError) as caught:
        KeyStore(b"battery staple").private_key(row)
    assert caught.value.code == "KEY_PASSPHRASE_WRONG"


def test_no_passphrase_no_keys():
    with pytest.raises(RegistryError) as caught:
        KeyStore(None).new_key_row(1, NOW)
    assert caught.value.code == "KEY_PASSPHRASE_MISSING"

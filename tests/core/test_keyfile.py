"""Issue 13 (8b): private keys at rest under scrypt, as standard PKCS#8."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.formats import keyfile


@pytest.fixture(scope="module")
def kek() -> keyfile.KeyEncryptionKey:
    return keyfile.derive(b"test-only passphrase")


def test_a_key_file_is_pkcs8_with_scrypt_that_cryptography_reads(kek) -> None:
    key = Ed25519PrivateKey.generate()
    pem = keyfile.encrypt(key, kek)
    assert pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    parameters = keyfile.scrypt_parameters(pem)
    assert parameters is not None and parameters.is_current()
    assert parameters.n >= 2**14 and parameters.r == 8 and len(parameters.salt) == 16
    opened = serialization.load_pem_private_key(pem.encode(), password=b"test-only passphrase")
    assert isinstance(opened, Ed25519PrivateKey)
    assert opened.private_bytes_raw() == key.private_bytes_raw()
    plain = serialization.load_der_private_key(keyfile.decrypt(pem, kek), password=None)
    assert isinstance(plain, Ed25519PrivateKey)
    assert plain.private_bytes_raw() == key.private_bytes_raw()


def test_one_derived_key_writes_many_files_each_with_its_own_iv(kek) -> None:
    key = Ed25519PrivateKey.generate()
    first, second = keyfile.encrypt(key, kek), keyfile.encrypt(key, kek)
    assert keyfile.scrypt_parameters(first) == keyfile.scrypt_parameters(second)
    assert first != second  # the same key twice: another IV, another ciphertext


def test_a_wrong_passphrase_fails(kek) -> None:
    pem = keyfile.encrypt(Ed25519PrivateKey.generate(), kek)
    parameters = keyfile.scrypt_parameters(pem)
    wrong = keyfile.derive(b"another passphrase!", parameters)
    with pytest.raises(ValueError):  # noqa: PT011  (padding or DER: either says "wrong key")
        serialization.load_der_private_key(keyfile.decrypt(pem, wrong), password=None)


def test_files_written_before_scrypt_are_told_apart() -> None:
    legacy = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"test-only passphrase"),
    )
    assert keyfile.scrypt_parameters(legacy.decode()) is None
    assert keyfile.scrypt_parameters("not a key") is None
    cheap = keyfile.ScryptParameters(b"s" * 16, n=2**10)
    assert not cheap.is_current()

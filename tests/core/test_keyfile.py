"""Issue 13 (8b): private keys at rest under scrypt, as standard PKCS#8."""

from __future__ import annotations

import base64

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


@pytest.mark.parametrize(
    ("n", "r", "p"),
    [(2**7, 8, 1), (2**15, 8, 1), (2**16, 255, 1), (2**17, 8, 2**8)],
    ids=["n-one-byte-high-bit", "n-two-bytes-high-bit", "n-17-bits-r-high-bit", "p-9-bits"],
)
def test_scrypt_parameters_of_any_size_are_written_and_read_back(n: int, r: int, p: int) -> None:
    """DER integers get a leading zero byte when their top bit is set, at every length."""
    parameters = keyfile.ScryptParameters(b"s" * 16, n=n, r=r, p=p)
    pem = keyfile.encrypt(
        Ed25519PrivateKey.generate(), keyfile.KeyEncryptionKey(parameters, bytes(32))
    )
    assert keyfile.scrypt_parameters(pem) == parameters


def _der(pem: str) -> bytes:
    return base64.b64decode("".join(pem.strip().splitlines()[1:-1]))


def test_a_key_file_is_read_strictly(kek) -> None:
    """A file changed in one way only is not read: a character outside base64 in its body,
    or its outer length written with more than four length bytes."""
    pem = keyfile.encrypt(Ed25519PrivateKey.generate(), kek)
    assert keyfile.scrypt_parameters(pem) == kek.parameters
    lines = pem.strip().splitlines()
    stray = "\n".join([lines[0], "!" + lines[1], *lines[2:]])
    assert keyfile.scrypt_parameters(stray) is None
    der = _der(pem)
    assert der[0] == 0x30 and der[1] & 0x80  # long-form length: 0x8k then k bytes
    count = der[1] & 0x7F
    content = der[2 + count :]
    for width, expected in ((4, kek.parameters), (5, None)):
        wide = bytes([0x30, 0x80 | width]) + len(content).to_bytes(width, "big") + content
        body = base64.b64encode(wide).decode()
        text = "\n".join([lines[0], body, lines[-1]])
        assert keyfile.scrypt_parameters(text) == expected

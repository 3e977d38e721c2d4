"""Private keys at rest: encrypted PKCS#8, usable only with the passphrase."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import select

from registry.core.errors import RegistryError
from registry.core.formats import keyfile
from registry.demo.data import DEMO_ISSUERS
from registry.services.runtime.keystore import KeyStore, kid_of, public_key_of, rewrap_stored_keys
from registry.services.runtime.systemkeys import TRUST_ROOT, signing_key
from registry.storage.repositories import SigningKeyRepository
from registry.storage.tables import SystemKeyRow
from tests.support.clock import now


def test_key_is_encrypted_and_round_trips():
    row = KeyStore(b"correct horse").new_key_row(1, now())
    assert row.encrypted_private_key.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    fresh = KeyStore(b"correct horse")  # a new process: empty cache
    key = fresh.private_key(row)
    assert kid_of(key.public_key()).hex() == row.kid
    assert public_key_of(row) == key.public_key()


def test_wrong_passphrase_is_a_clear_error():
    row = KeyStore(b"correct horse").new_key_row(1, now())
    with pytest.raises(RegistryError) as caught:
        KeyStore(b"battery staple").private_key(row)
    assert caught.value.code == "KEY_PASSPHRASE_WRONG"


def test_no_passphrase_no_keys():
    with pytest.raises(RegistryError) as caught:
        KeyStore(None).new_key_row(1, now())
    assert caught.value.code == "KEY_PASSPHRASE_MISSING"


def _legacy_pem(key: Ed25519PrivateKey, passphrase: bytes) -> str:
    """A key file as the registry wrote them before issue 13 (PBKDF2, 2,048 iterations)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    ).decode("ascii")


def test_new_keys_are_written_under_scrypt():
    row = KeyStore(b"correct horse").new_key_row(1, now())
    parameters = keyfile.scrypt_parameters(row.encrypted_private_key)
    assert parameters is not None and parameters.is_current()


def test_keys_written_before_scrypt_still_open_and_are_rewrapped():
    key = Ed25519PrivateKey.generate()
    legacy = _legacy_pem(key, b"correct horse")
    store = KeyStore(b"correct horse")
    assert store.decrypt("k1", legacy).private_bytes_raw() == key.private_bytes_raw()
    fresh = store.rewrapped(legacy)
    assert fresh is not None and keyfile.scrypt_parameters(fresh) is not None
    reopened = KeyStore(b"correct horse").decrypt("k1", fresh)
    assert reopened.private_bytes_raw() == key.private_bytes_raw()
    assert store.rewrapped(fresh) is None  # already current: left alone


def test_a_previous_passphrase_opens_old_keys_which_move_to_the_new_one():
    key = Ed25519PrivateKey.generate()
    old = KeyStore(b"weak old pass").encrypt(key)
    store = KeyStore(b"a much better passphrase", previous=b"weak old pass")
    assert store.decrypt("k1", old).private_bytes_raw() == key.private_bytes_raw()
    moved = store.rewrapped(old)
    assert moved is not None
    with pytest.raises(RegistryError, match="KEY_PASSPHRASE_WRONG"):
        KeyStore(b"weak old pass").decrypt("k1", moved)
    alone = KeyStore(b"a much better passphrase").decrypt("k1", moved)
    assert alone.private_bytes_raw() == key.private_bytes_raw()


def test_every_stored_key_is_rewrapped_once(registry, demo):
    with registry.transaction() as session:  # the registry's own key, made on first use
        signing_key(session, registry.keystore, TRUST_ROOT, now())
    with registry.transaction() as session:  # make every stored key a pre-scrypt one
        rows = [*SigningKeyRepository(session).all(), *session.exec(select(SystemKeyRow)).all()]
        keys = {
            row.kid: registry.keystore.decrypt(row.kid, row.encrypted_private_key) for row in rows
        }
        for row in rows:
            row.encrypted_private_key = _legacy_pem(keys[row.kid], b"test-only passphrase")
            session.add(row)
    assert len(rows) > len(DEMO_ISSUERS)  # issuers' keys and the registry's own
    with registry.transaction() as session:
        assert rewrap_stored_keys(session, registry.keystore) == len(rows)
    with registry.transaction() as session:
        assert rewrap_stored_keys(session, registry.keystore) == 0
    fresh = KeyStore(b"test-only passphrase")
    with registry.reading() as session:
        for row in SigningKeyRepository(session).all():
            assert keyfile.scrypt_parameters(row.encrypted_private_key) is not None
            opened = fresh.decrypt(row.kid, row.encrypted_private_key)
            assert opened.private_bytes_raw() == keys[row.kid].private_bytes_raw()

"""Issuer and system private keys: generated here, stored as passphrase-encrypted PKCS#8
PEM (scrypt, ``core.keyfile``)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from threading import Lock

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlmodel import Session, select

from registry.core.errors import ErrorKind, RegistryError
from registry.core.formats import keyfile
from registry.core.formats.multikey import public_key_from_multikey, public_multikey
from registry.storage.repositories import SigningKeyRepository
from registry.storage.tables import SigningKeyRow, SystemKeyRow

KID_BYTES = 8


def kid_of(public_key: Ed25519PublicKey) -> bytes:
    """Key id: the first 8 bytes of SHA-256 over the raw public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:KID_BYTES]


def public_key_of(row: SigningKeyRow) -> Ed25519PublicKey:
    """The public key of a stored key row."""
    return public_key_from_multikey(row.public_multikey)


class KeyStore:
    """Encrypts new keys and decrypts stored ones, caching what it decrypted.

    Keys are written as PKCS#8 under scrypt (``core.keyfile``); keys written before that
    (PBKDF2, 2,048 iterations) still open. ``previous`` is the passphrase being replaced
    (``REGISTRY_KEY_PASSPHRASE_PREVIOUS``): keys it opens are written again under the
    current one by ``rewrapped``."""

    def __init__(self, passphrase: bytes | None, previous: bytes | None = None) -> None:
        self._passphrase = passphrase
        self._previous = previous
        self._cache: dict[str, Ed25519PrivateKey] = {}
        self._keks: dict[tuple[bytes, keyfile.ScryptParameters], keyfile.KeyEncryptionKey] = {}
        self._writing: keyfile.KeyEncryptionKey | None = None
        self._lock = Lock()

    def _require_passphrase(self) -> bytes:
        if not self._passphrase:
            raise RegistryError(
                "KEY_PASSPHRASE_MISSING",
                "未设置密钥口令 REGISTRY_KEY_PASSPHRASE，无法使用私钥",
                "REGISTRY_KEY_PASSPHRASE is not set: private keys cannot be used",
                ErrorKind.UNAVAILABLE,
            )
        return self._passphrase

    def _writing_kek(self) -> keyfile.KeyEncryptionKey:
        """The key-encryption key new files are written under: derived once per store
        (scrypt is the slow part), each file with its own IV."""
        passphrase = self._require_passphrase()
        with self._lock:
            if self._writing is None:
                self._writing = keyfile.derive(passphrase)
                self._keks[(passphrase, self._writing.parameters)] = self._writing
            return self._writing

    def _reading_kek(
        self, passphrase: bytes, parameters: keyfile.ScryptParameters
    ) -> keyfile.KeyEncryptionKey:
        with self._lock:
            kek = self._keks.get((passphrase, parameters))
        if kek is None:
            kek = keyfile.derive(passphrase, parameters)
            with self._lock:
                self._keks[(passphrase, parameters)] = kek
        return kek

    def new_key_row(self, issuer_id: int, now: datetime) -> SigningKeyRow:
        """A fresh Ed25519 key for an issuer, ready to store."""
        self._require_passphrase()
        return self.key_row(Ed25519PrivateKey.generate(), issuer_id, now)

    def key_row(
        self, private_key: Ed25519PrivateKey, issuer_id: int, now: datetime
    ) -> SigningKeyRow:
        """A row for a given private key (used to import a test-only keyset)."""
        pem = self.encrypt(private_key)
        public = private_key.public_key()
        kid = kid_of(public).hex()
        with self._lock:
            self._cache[kid] = private_key
        return SigningKeyRow(
            kid=kid,
            issuer_id=issuer_id,
            public_multikey=public_multikey(public),
            encrypted_private_key=pem,
            state="active",
            valid_from=now,
            created_at=now,
        )

    def encrypt(self, private_key: Ed25519PrivateKey) -> str:
        """A private key as passphrase-encrypted PKCS#8 PEM text (scrypt), ready to store."""
        return keyfile.encrypt(private_key, self._writing_kek())

    def _open_with(self, passphrase: bytes, encrypted_pem: str) -> object:
        """The key in a stored file, opened with ``passphrase`` (``ValueError`` if wrong)."""
        parameters = keyfile.scrypt_parameters(encrypted_pem)
        if parameters is None:  # written before scrypt: PBKDF2, read by cryptography
            return serialization.load_pem_private_key(
                encrypted_pem.encode("ascii"), password=passphrase
            )
        plain = keyfile.decrypt(encrypted_pem, self._reading_kek(passphrase, parameters))
        return serialization.load_der_private_key(plain, password=None)

    def _open(self, encrypted_pem: str) -> tuple[Ed25519PrivateKey, bool]:
        """The key in a stored file and whether the current passphrase opened it (else
        the previous one did)."""
        current = self._require_passphrase()
        attempts = [(current, True)]
        if self._previous and self._previous != current:
            attempts.append((self._previous, False))
        for passphrase, is_current in attempts:
            try:
                key = self._open_with(passphrase, encrypted_pem)
            except ValueError:
                continue
            if not isinstance(key, Ed25519PrivateKey):
                raise RegistryError(
                    "KEY_TYPE_UNSUPPORTED",
                    "仅支持 Ed25519 私钥",
                    "only Ed25519 keys are supported",
                    ErrorKind.UNAVAILABLE,
                )
            return key, is_current
        raise RegistryError(
            "KEY_PASSPHRASE_WRONG",
            "密钥口令错误，无法解密私钥",
            "wrong key passphrase: the private key cannot be decrypted",
            ErrorKind.UNAVAILABLE,
        )

    def rewrapped(self, encrypted_pem: str) -> str | None:
        """The file written again under the current passphrase and today's scrypt cost, or
        ``None`` when it is already so (keys written before scrypt, or under the previous
        passphrase, are rewritten; the key itself stays the same)."""
        parameters = keyfile.scrypt_parameters(encrypted_pem)
        key, by_current = self._open(encrypted_pem)
        if parameters is not None and parameters.is_current() and by_current:
            return None
        return self.encrypt(key)

    def private_key(self, row: SigningKeyRow) -> Ed25519PrivateKey:
        """Decrypt a stored key (once per process)."""
        return self.decrypt(row.kid, row.encrypted_private_key)

    def decrypt(self, kid: str, encrypted_pem: str) -> Ed25519PrivateKey:
        """Decrypt stored PEM text for the key ``kid`` (cached once per process)."""
        with self._lock:
            cached = self._cache.get(kid)
        if cached is not None:
            return cached
        key, _ = self._open(encrypted_pem)
        with self._lock:
            self._cache[kid] = key
        return key


def rewrap_stored_keys(session: Session, keystore: KeyStore) -> int:
    """Write again every stored private key (issuers' and the registry's own) that is not
    yet under scrypt and the current passphrase; returns how many were rewritten. The keys
    themselves, their ids and public keys do not change."""
    rows: list[SigningKeyRow | SystemKeyRow] = [
        *SigningKeyRepository(session).all(),
        *session.exec(select(SystemKeyRow)).all(),
    ]
    rewritten = 0
    for row in rows:
        fresh = keystore.rewrapped(row.encrypted_private_key)
        if fresh is not None:
            row.encrypted_private_key = fresh
            session.add(row)
            rewritten += 1
    return rewritten

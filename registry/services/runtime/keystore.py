"""Issuer private keys: generated here, stored as passphrase-encrypted PKCS#8 PEM."""

from __future__ import annotations

import hashlib
from datetime import datetime
from threading import Lock

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from registry.core.errors import ErrorKind, RegistryError
from registry.core.formats.multikey import public_key_from_multikey, public_multikey
from registry.storage.tables import SigningKeyRow

KID_BYTES = 8


def kid_of(public_key: Ed25519PublicKey) -> bytes:
    """Key id: the first 8 bytes of SHA-256 over the raw public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:KID_BYTES]


def public_key_of(row: SigningKeyRow) -> Ed25519PublicKey:
    """The public key of a stored key row."""
    return public_key_from_multikey(row.public_multikey)


class KeyStore:
    """Encrypts new keys and decrypts stored ones, caching what it decrypted."""

    def __init__(self, passphrase: bytes | None) -> None:
        self._passphrase = passphrase
        self._cache: dict[str, Ed25519PrivateKey] = {}
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

    def new_key_row(self, issuer_id: int, now: datetime) -> SigningKeyRow:
        """A fresh Ed25519 key for an issuer, ready to store."""
        passphrase = self._require_passphrase()
        private_key = Ed25519PrivateKey.generate()
        return self.key_row(private_key, issuer_id, now, passphrase)

    def key_row(
        self,
        private_key: Ed25519PrivateKey,
        issuer_id: int,
        now: datetime,
        passphrase: bytes | None = None,
    ) -> SigningKeyRow:
        """A row for a given private key (used to import a test-only keyset)."""
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase or self._require_passphrase()),
        )
        public = private_key.public_key()
        kid = kid_of(public).hex()
        with self._lock:
            self._cache[kid] = private_key
        return SigningKeyRow(
            kid=kid,
            issuer_id=issuer_id,
            public_multikey=public_multikey(public),
            encrypted_private_key=pem.decode("ascii"),
            state="active",
            valid_from=now,
            created_at=now,
        )

    def encrypt(self, private_key: Ed25519PrivateKey) -> str:
        """A private key as passphrase-encrypted PKCS#8 PEM text, ready to store."""
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._require_passphrase()),
        )
        return pem.decode("ascii")

    def private_key(self, row: SigningKeyRow) -> Ed25519PrivateKey:
        """Decrypt a stored key (once per process)."""
        return self.decrypt(row.kid, row.encrypted_private_key)

    def decrypt(self, kid: str, encrypted_pem: str) -> Ed25519PrivateKey:
        """Decrypt stored PEM text for the key ``kid`` (cached once per process)."""
        with self._lock:
            cached = self._cache.get(kid)
        if cached is not None:
            return cached
        try:
            key = serialization.load_pem_private_key(
                encrypted_pem.encode("ascii"), password=self._require_passphrase()
            )
        except ValueError:
            raise RegistryError(
                "KEY_PASSPHRASE_WRONG",
                "密钥口令错误，无法解密私钥",
                "wrong key passphrase: the private key cannot be decrypted",
                ErrorKind.UNAVAILABLE,
            ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise RegistryError(
                "KEY_TYPE_UNSUPPORTED",
                "仅支持 Ed25519 私钥",
                "only Ed25519 keys are supported",
                ErrorKind.UNAVAILABLE,
            )
        with self._lock:
            self._cache[kid] = key
        return key

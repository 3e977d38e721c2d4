"""Sealing personal numbers at rest: AES-256-GCM, the key handed in (``REGISTRY_ID_KEY``).

Sealed text, version ``s1``::

    s1.<key id>.<base64url, no padding, of: 12-byte random nonce || ciphertext || 16-byte tag>

The associated data is ``s1.<key id>.<record id>``: a sealed number moved to another
record's row, or relabelled with another key id, fails to open. The key id is the first
8 hex characters of SHA-256 over a label and the key, so it names a key without revealing
it; a keyring holds the current key (which seals) and retired keys (which only open), so
the key can rotate while old rows are re-sealed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from registry.core.errors import ErrorKind, RegistryError

VERSION = "s1"
KEY_BYTES = 32
NONCE_BYTES = 12
_KEY_ID_LABEL = b"yrd-registry personal-number key v1\x00"


def _unavailable(code: str, zh: str, en: str) -> RegistryError:
    return RegistryError(code, zh, en, ErrorKind.UNAVAILABLE)


def _bad_key() -> RegistryError:
    return _unavailable(
        "ID_KEY_INVALID",
        "REGISTRY_ID_KEY 须为 base64 编码的 32 字节密钥（多个以逗号分隔）",
        "REGISTRY_ID_KEY must be base64 of 32 bytes (several separated by commas)",
    )


@dataclass(frozen=True, repr=False)
class SealingKey:
    """One AES-256 key with its public key id; ``repr`` never shows the secret."""

    secret: bytes
    key_id: str = field(init=False)

    def __post_init__(self) -> None:
        if len(self.secret) != KEY_BYTES:
            raise _bad_key()
        digest = hashlib.sha256(_KEY_ID_LABEL + self.secret).hexdigest()
        object.__setattr__(self, "key_id", digest[:8])

    def __repr__(self) -> str:
        return f"SealingKey(key_id={self.key_id!r})"

    @classmethod
    def from_base64(cls, text: str) -> SealingKey:
        """A key from its base64 (standard or URL-safe) text form."""
        cleaned = text.strip()
        try:
            secret = base64.b64decode(
                cleaned.replace("-", "+").replace("_", "/") + "=" * (-len(cleaned) % 4),
                validate=True,
            )
        except (binascii.Error, ValueError):
            raise _bad_key() from None
        return cls(secret)


def new_key_text() -> str:
    """A fresh random key in the form ``REGISTRY_ID_KEY`` takes (standard base64)."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii")


@dataclass(frozen=True)
class Keyring:
    """The current sealing key and the retired keys that may still open old rows."""

    current: SealingKey
    retired: tuple[SealingKey, ...] = ()

    @classmethod
    def from_setting(cls, text: str) -> Keyring:
        """``REGISTRY_ID_KEY``: comma-separated base64 keys, the first one current."""
        keys = [SealingKey.from_base64(part) for part in text.split(",") if part.strip()]
        if not keys:
            raise _bad_key()
        return cls(keys[0], tuple(keys[1:]))

    def key(self, key_id: str) -> SealingKey | None:
        """The key with this id, current or retired."""
        for key in (self.current, *self.retired):
            if key.key_id == key_id:
                return key
        return None

    @property
    def key_ids(self) -> tuple[str, ...]:
        """Ids of every key held, the current one first."""
        return tuple(key.key_id for key in (self.current, *self.retired))


def _associated(key_id: str, record_id: str) -> bytes:
    return f"{VERSION}.{key_id}.{record_id}".encode()


def seal(key: SealingKey, plaintext: str, record_id: str) -> str:
    """Encrypt ``plaintext`` for the row of ``record_id`` under ``key`` (fresh nonce)."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key.secret).encrypt(
        nonce, plaintext.encode("utf-8"), _associated(key.key_id, record_id)
    )
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")
    return f"{VERSION}.{key.key_id}.{body}"


def key_id_of(sealed: str) -> str | None:
    """The key id a sealed text names (``None`` if it is not sealed text of a known version)."""
    version, _, rest = sealed.partition(".")
    key_id, dot, _ = rest.partition(".")
    return key_id if version == VERSION and dot else None


def unseal(keyring: Keyring, sealed: str, record_id: str) -> str:
    """Decrypt sealed text of ``record_id``'s row; a changed byte, another record's row or a
    wrong key all fail with ``SEALED_DATA_INVALID``."""
    invalid = _unavailable(
        "SEALED_DATA_INVALID",
        "加密存储的证件号码无法解密（数据被改动或不属于该记录）",
        "a sealed personal number does not open (altered, or not this record's)",
    )
    key_id = key_id_of(sealed)
    if key_id is None:
        raise invalid
    key = keyring.key(key_id)
    if key is None:
        raise _unavailable(
            "ID_KEY_UNKNOWN",
            "加密证件号码所用的密钥不在 REGISTRY_ID_KEY 中",
            "the key that sealed a personal number is not in REGISTRY_ID_KEY",
        )
    body = sealed.split(".", 2)[2]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        if base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=") != body:
            raise ValueError("not the canonical encoding")
        plain = AESGCM(key.secret).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated(key_id, record_id)
        )
        return plain.decode("utf-8")
    except (binascii.Error, ValueError, InvalidTag):
        raise invalid from None


__all__ = [
    "KEY_BYTES",
    "VERSION",
    "Keyring",
    "SealingKey",
    "key_id_of",
    "new_key_text",
    "seal",
    "unseal",
]

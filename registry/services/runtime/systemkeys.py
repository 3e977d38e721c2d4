"""The registry's own keys, one current key per purpose.

``log`` signs transparency-log tree heads; ``trust-root`` signs the trust list. They are
Ed25519 keys stored like issuer keys (passphrase-encrypted PKCS#8) but belong to no
issuer. A key is created on first use (by one worker only, however many start at once:
``SystemKeyRepository.create_unless_current``); retiring one keeps it in the table forever.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlmodel import Session, col, select

from registry.core.formats.multikey import public_key_from_multikey, public_multikey
from registry.services.runtime.keystore import KeyStore, kid_of
from registry.storage.system_keys import SystemKeyRepository
from registry.storage.tables import SystemKeyRow

LOG = "log"
TRUST_ROOT = "trust-root"
PURPOSES = (LOG, TRUST_ROOT)


@dataclass(frozen=True)
class SystemKey:
    """A registry key with its purpose and key id (hex of 8 bytes, as for issuer keys)."""

    purpose: str
    kid: str
    public_key: Ed25519PublicKey
    created_at: datetime
    retired_at: datetime | None


def _as_key(row: SystemKeyRow) -> SystemKey:
    return SystemKey(
        row.purpose,
        row.kid,
        public_key_from_multikey(row.public_multikey),
        row.created_at,
        row.retired_at,
    )


def current_row(session: Session, purpose: str) -> SystemKeyRow | None:
    """The current (unretired) key row for a purpose."""
    return SystemKeyRepository(session).current(purpose)


def signing_key(
    session: Session, keystore: KeyStore, purpose: str, now: datetime
) -> tuple[SystemKey, Ed25519PrivateKey]:
    """The current key for a purpose with its private part, created on first use."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown system key purpose {purpose!r}")
    row = current_row(session, purpose)
    if row is not None:
        return _as_key(row), keystore.decrypt(row.kid, row.encrypted_private_key)
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    row = SystemKeyRepository(session).create_unless_current(
        purpose,
        kid=kid_of(public).hex(),
        public_multikey=public_multikey(public),
        encrypted_private_key=keystore.encrypt(private),
        created_at=now,
    )
    if row.public_multikey != public_multikey(public):  # another worker created it first
        private = keystore.decrypt(row.kid, row.encrypted_private_key)
    return _as_key(row), private


def all_keys(session: Session, purpose: str) -> Sequence[SystemKey]:
    """Every key ever used for a purpose, oldest first (retired ones included)."""
    statement = (
        select(SystemKeyRow).where(SystemKeyRow.purpose == purpose).order_by(col(SystemKeyRow.id))
    )
    return [_as_key(row) for row in session.exec(statement).all()]


__all__ = ["LOG", "PURPOSES", "TRUST_ROOT", "SystemKey", "all_keys", "current_row", "signing_key"]

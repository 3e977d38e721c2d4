"""What a verifier trusts: issuers and their keys, as seen through a ``TrustSource``.

The registry's database is one source; a trust list (a later format) will be another.
Verification code depends only on these protocols, never on storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


@dataclass(frozen=True)
class IssuerInfo:
    """An issuing organisation as a verifier needs to know it."""

    uscc: str
    issuer_id: str
    name_zh: str
    name_en: str
    region: str
    kind: str
    record_types: frozenset[str]


@dataclass(frozen=True)
class KeyInfo:
    """One issuer key with the window in which it may sign."""

    kid: bytes
    method_id: str
    issuer_uscc: str
    public_key: Ed25519PublicKey
    valid_from: datetime
    valid_until: datetime | None
    state: str  # 'active' | 'retired' | 'compromised'
    compromised_at: datetime | None = None


class TrustSource(Protocol):
    """Looks up issuers and keys; returns ``None`` for what it does not know."""

    def issuer(self, uscc: str) -> IssuerInfo | None:
        """The issuer with this USCC."""

    def key_by_kid(self, kid: bytes) -> KeyInfo | None:
        """The key a QR payload names in its COSE ``kid`` header."""

    def key_by_method(self, method_id: str) -> KeyInfo | None:
        """The key a Data Integrity proof names as its ``verificationMethod``."""

    def bureaus_of(self, region: str) -> tuple[IssuerInfo, ...]:
        """The HR bureaus of a region (they co-sign jointly reviewed titles)."""

    def in_namespace(self, issuer_id: str) -> bool:
        """Does this issuer id claim to be one of this source's issuers?"""


class StatusSource(Protocol):
    """Tells a record's live status, or ``None`` when it cannot be checked."""

    def status_of(self, record_id: str) -> str | None:
        """``'active'``, ``'suspended'``, ``'revoked'``, ... or ``None``."""

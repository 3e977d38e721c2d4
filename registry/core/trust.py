"""What a verifier trusts: issuers and their keys, as seen through a ``TrustSource``.

The registry's database is one source; a trust list (a later format) will be another.
Verification code depends only on these protocols, never on storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


@dataclass(frozen=True)
class IssuerScope:
    """What an issuer may issue over a period: types, series, specialties, highest level.

    Empty ``series`` or ``specialties`` mean any; ``highest_level`` ``None`` means any.
    ``valid_until`` is exclusive; ``None`` means open-ended.
    """

    record_types: tuple[str, ...]
    series: tuple[str, ...]
    specialties: tuple[str, ...]
    highest_level: str | None
    valid_from: date
    valid_until: date | None = None


@dataclass(frozen=True)
class Agreement:
    """A recognition agreement between regions (division codes), in force over a period.

    Empty ``series`` or ``levels`` mean every series or level of the covered record types.
    """

    agreement_id: str
    name_zh: str
    name_en: str
    parties: tuple[str, ...]
    record_types: tuple[str, ...]
    series: tuple[str, ...]
    levels: tuple[str, ...]
    effective_from: date
    effective_until: date | None
    legal_basis: str  # document and article, e.g. "示范区职称互认暂行办法 第五条"


@dataclass(frozen=True)
class Equivalence:
    """Maps one region's term (title name, level, catalogue item) to another region's."""

    from_region: str
    to_region: str
    kind: str  # 'title_name' | 'level' | 'catalogue_item'
    source: str
    target: str
    label_zh: str
    label_en: str


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
    scopes: tuple[IssuerScope, ...] = ()


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

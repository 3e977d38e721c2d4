"""What a verifier trusts: issuers and their keys, as seen through a ``TrustSource``.

The registry's database is one source; a trust list (a later format) will be another.
Verification code depends only on these protocols, never on storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from registry.core.records.credential import RecordFacts


@dataclass(frozen=True)
class RegionInfo:
    """A region taking part in the registry: GB/T 2260 division code and names."""

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class IssuerScope:
    """What an issuer may issue over a period: types, series, specialties, highest level.

    Empty ``series`` or ``specialties`` mean any; ``highest_level`` ``None`` means any.
    Series, specialties and levels are codes of the code lists (``title_series``,
    ``title_specialty``, ``title_level``). ``valid_until`` is exclusive; ``None`` means
    open-ended. ``scope_id`` is the registry's number for the grant (``None`` when unknown).
    """

    record_types: tuple[str, ...]
    series: tuple[str, ...]
    specialties: tuple[str, ...]
    highest_level: str | None
    valid_from: date
    valid_until: date | None = None
    scope_id: int | None = None


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
    legal_basis: str  # the document, e.g. its full Chinese title and number
    legal_article: str | None = None  # the article, when one is cited


@dataclass(frozen=True)
class Equivalence:
    """Maps one region's term (title name, level, catalogue item) to another region's.

    ``source`` and ``target`` are codes or names in each region's vocabulary; the labels
    name the target for people. ``agreement_id`` names the agreement the table belongs to,
    when it belongs to one; ``demo`` marks an invented entry of the demo data.
    """

    from_region: str
    to_region: str
    kind: str  # 'title_name' | 'level' | 'catalogue_item'
    source: str
    target: str
    label_zh: str
    label_en: str
    agreement_id: str | None = None
    demo: bool = False


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
    # Further regions its records count as issued in: a body serving the whole zone (the
    # executive committee, the zone's postdoctoral workstation) beyond the seat's region.
    jurisdiction: tuple[str, ...] = ()


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

    def regions(self) -> tuple[RegionInfo, ...]:
        """Every region the source knows."""

    def agreements(self) -> tuple[Agreement, ...]:
        """Every recognition agreement the source knows, in force or not."""

    def equivalences(self, from_region: str, to_region: str) -> tuple[Equivalence, ...]:
        """The equivalence entries mapping ``from_region``'s terms to ``to_region``'s."""


@dataclass(frozen=True)
class RecordStatus:
    """A record's status as a status source knows it.

    ``state`` is ``'active'``, ``'suspended'``, ``'revoked'``, ``'cancelled'`` or
    ``'superseded'``; ``reason`` a code of the ``status-reasons`` list. A status list can
    only tell a set revocation bit (``'revoked'``, ``by_list`` true: revoked, cancelled or
    superseded) or a set suspension bit. ``listed_at`` is the list's ``validFrom``.
    """

    state: str
    reason: str | None = None
    superseded_by: str | None = None  # record id of the current version
    superseded_by_url: str | None = None  # its credential id
    superseded_by_verify_url: str | None = None  # the verify page of its QR, for people
    by_list: bool = False
    listed_at: datetime | None = None


@dataclass(frozen=True)
class Presented:
    """How a record was shown to a verifier: as a QR or a credential, and the signature of
    its issuer over what was shown (the COSE signature, or the issuer's proof value).

    A store that issued records attaches what it holds about one only to the very thing it
    issued: the same record id, the same issuer and this signature. Ed25519 signatures are
    deterministic, so a verified signature equal to the stored one means the same content;
    a copy re-signed with another key, or altered and re-signed, is not the record.
    """

    source: str  # 'qr' | 'credential'
    signature: bytes


class StatusSource(Protocol):
    """Tells a record's status, or ``None`` when it cannot be checked.

    It gets the record's facts (``record_id``, ``issuer_uscc``, ``status_index``) and how it
    was presented: the registry looks the record up by id and answers only for the record it
    issued with that signature; a status list answers by issuer and index.
    """

    def status_of(self, facts: RecordFacts, presented: Presented) -> RecordStatus | None:
        """The record's status, or ``None``."""


def issuer_named(trust: TrustSource, issuer_id: str) -> IssuerInfo | None:
    """The issuer whose id is exactly ``issuer_id``, or ``None``.

    Ids end in the issuer's USCC, but only the whole id names an issuer: a foreign URL that
    ends in a real issuer's USCC (``https://evil.example/issuers/<USCC>``) names nobody here.
    """
    found = trust.issuer(issuer_id.rstrip("/").rsplit("/", 1)[-1])
    return found if found is not None and found.issuer_id == issuer_id else None

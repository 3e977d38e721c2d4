"""Request bodies of the administration API (issuers, scopes, keys, regions, agreements,
equivalences, partner clients) and of batch verification. Field names are camelCase on
the wire; unknown fields are refused."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec


class IssuerCreate(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    """``POST /api/v1/admin/issuers``: a new issuer (USCC checked); a first key by default."""

    uscc: str
    name_zh: str
    name_en: str
    region: str
    kind: str
    with_key: bool = True
    jurisdiction: list[str] = []


class ScopeGrant(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    """``POST /api/v1/admin/issuers/{uscc}/scopes``: what the issuer may issue, from when.

    Empty ``series`` / ``specialties`` mean any; no ``highestLevel`` means any level;
    ``validUntil`` is exclusive.
    """

    record_types: list[str]
    valid_from: date
    series: list[str] = []
    specialties: list[str] = []
    highest_level: str | None = None
    valid_until: date | None = None


class ScopeEnd(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /api/v1/admin/scopes/{id}/end``: the first day no longer covered (default
    tomorrow, China time; never today or earlier)."""

    until: date | None = None


class KeyCompromise(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /api/v1/admin/keys/{kid}/compromise``: since when (RFC 3339 with an offset;
    default now)."""

    at: datetime | None = None


class RegionCreate(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    """``POST /api/v1/admin/regions``: a region by its GB/T 2260 code."""

    code: str
    name_zh: str
    name_en: str


class AgreementCreate(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    """``POST /api/v1/admin/agreements``: a recognition agreement among regions."""

    id: str
    name_zh: str
    name_en: str
    parties: list[str]
    record_types: list[str]
    effective_from: date
    legal_basis: str
    series: list[str] = []
    levels: list[str] = []
    effective_until: date | None = None
    legal_article: str | None = None


class AgreementEnd(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /api/v1/admin/agreements/{id}/end``: the first day it no longer applies."""

    until: date


class EquivalenceCreate(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    """``POST /api/v1/admin/equivalences``: a term of one region in another's vocabulary."""

    from_region: str
    to_region: str
    kind: str
    source: str
    target: str
    label_zh: str
    label_en: str
    agreement: str | None = None
    demo: bool = False


class PartnerCreate(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /api/v1/admin/partners``: a partner client of a region, with its own token."""

    region: str
    name: str


class BatchVerifyRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /api/v1/verify/batch``: up to 1,000 items, each a QR text or ``{qr}`` or
    ``{credential}``; the asking region (default: the token's) and the purpose."""

    purpose: str
    items: list[Any]
    region: str | None = None

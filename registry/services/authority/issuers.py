"""Issuers: register one (USCC checked, with a first signing key) and set the further
regions its records count as issued in.

Every change is recorded in the authority history (who, when, what) and appended to the
transparency log in the same transaction (scopes: ``scopes``; keys: ``keys``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from registry.core.errors import (
    RegistryError,
    conflict,
    invalid_field,
    not_found,
    require_texts,
)
from registry.core.lifecycle.events import LogEvent
from registry.core.people.identifiers import parse_uscc
from registry.services.runtime.context import Registry
from registry.services.transparency.events import append_event
from registry.services.transparency.history import key_digest, record_change
from registry.storage.repositories import (
    IssuerRepository,
    RegionRepository,
    SigningKeyRepository,
)
from registry.storage.tables import IssuerRow

ISSUER_KINDS = (
    "hr_bureau",
    "review_committee",
    "joint_committee",
    "executive_committee",
    "postdoc_station",
    "enterprise",
)
ISSUER_NAME_ZH_MAX, ISSUER_NAME_EN_MAX = 128, 256  # the columns' lengths


@dataclass(frozen=True)
class NewIssuer:
    """What creating an issuer made: its USCC and its first key id (if one was made)."""

    uscc: str
    kid: str | None


def create_issuer(
    registry: Registry,
    *,
    actor: str,
    uscc: str,
    name_zh: str,
    name_en: str,
    region: str,
    kind: str,
    now: datetime,
    with_key: bool = True,
    jurisdiction: Sequence[str] = (),
) -> NewIssuer:
    """Register an issuer (USCC checked, GB 32100) with a first signing key by default.

    ``jurisdiction`` names further regions its records count as issued in (a body that
    serves the whole zone); the seat's region always counts. Names are trimmed, and one
    longer than its column (128 characters in Chinese, 256 in English) is refused.
    """
    try:
        code = parse_uscc(uscc)
    except RegistryError as error:
        raise invalid_field("/uscc", error.code, error.message_zh, error.message_en) from None
    if kind not in ISSUER_KINDS:
        raise invalid_field(
            "/kind",
            "ISSUER_KIND_UNKNOWN",
            "机构类别未知",
            f"unknown issuer kind (one of {', '.join(ISSUER_KINDS)})",
        )
    name_zh, name_en = name_zh.strip(), name_en.strip()
    if not name_zh or not name_en:
        raise invalid_field(
            "/name", "ISSUER_NAME_REQUIRED", "须提供中英文名称", "names in zh and en needed"
        )
    require_texts(
        ("/nameZh", name_zh, ISSUER_NAME_ZH_MAX), ("/nameEn", name_en, ISSUER_NAME_EN_MAX)
    )
    with registry.transaction() as session:
        regions = RegionRepository(session)
        if regions.get(region) is None:
            raise invalid_field(
                "/region", "REGION_UNKNOWN", "地区未登记", "the region is not registered"
            )
        served = _registered(regions, jurisdiction)
        issuers = IssuerRepository(session)
        if issuers.by_uscc(code) is not None:
            raise conflict("ISSUER_EXISTS", "该签发机构已登记", "this issuer is already registered")
        row = issuers.add(
            IssuerRow(
                uscc=code,
                name_zh=name_zh,
                name_en=name_en,
                region_code=region,
                kind=kind,
                record_types=[],
                created_at=now,
                jurisdiction=served or None,
            )
        )
        assert row.id is not None
        detail = {
            "region": region,
            "kind": kind,
            "nameZh": row.name_zh,
            "nameEn": row.name_en,
            "jurisdiction": served,
        }
        record_change(
            session,
            actor=actor,
            subject="issuer",
            ref=code,
            action="created",
            at=now,
            detail=detail,
        )
        append_event(session, LogEvent("issuer_created", now, code))
        kid = None
        if with_key:
            key = SigningKeyRepository(session).add(registry.keystore.new_key_row(row.id, now))
            record_change(
                session, actor=actor, subject="key", ref=key.kid, action="created", at=now
            )
            digest = key_digest(key.public_multikey)
            append_event(
                session, LogEvent("key_created", now, code, kid=key.kid, record_digest=digest)
            )
            kid = key.kid
    return NewIssuer(code, kid)


def _registered(regions: RegionRepository, codes: Sequence[str]) -> list[str]:
    """The regions named, each registered, without repeats."""
    found: list[str] = []
    for index, code in enumerate(codes):
        if regions.get(code) is None:
            raise invalid_field(
                f"/jurisdiction/{index}",
                "REGION_UNKNOWN",
                "地区未登记",
                "the region is not registered",
            )
        if code not in found:
            found.append(code)
    return found


def set_jurisdiction(
    registry: Registry, *, actor: str, uscc: str, regions: Sequence[str], now: datetime
) -> list[str]:
    """Set the further regions an issuer's records count as issued in (recorded)."""
    with registry.transaction() as session:
        issuer = issuer_row(session, uscc)
        served = _registered(RegionRepository(session), regions)
        issuer.jurisdiction = served or None
        session.add(issuer)
        record_change(
            session,
            actor=actor,
            subject="issuer",
            ref=issuer.uscc,
            action="jurisdiction_set",
            at=now,
            detail={"jurisdiction": served},
        )
        return served


def issuer_row(session: Session, uscc: str) -> IssuerRow:
    """The issuer with this USCC, or 404 ``ISSUER_UNKNOWN``."""
    row = IssuerRepository(session).by_uscc(uscc)
    if row is None or row.id is None:
        raise not_found("ISSUER_UNKNOWN", "签发机构未登记", "no such issuer")
    return row

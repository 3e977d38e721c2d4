"""Issuer authority use cases: create issuers, grant and end dated scopes, and refuse an
issuance outside them.

Every change is recorded in the authority history (who, when, what) and appended to the
transparency log in the same transaction. Nothing is deleted: ending a scope sets its end
date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from registry.core.codes import code_list
from registry.core.errors import (
    FieldProblem,
    RegistryError,
    conflict,
    invalid,
    not_found,
    require_texts,
)
from registry.core.formats.multikey import public_key_from_multikey
from registry.core.lifecycle.events import LogEvent, record_digest
from registry.core.people.identifiers import parse_uscc
from registry.core.records.credential import TITLE_TYPES
from registry.core.trust.authority import (
    AuthorityClaim,
    china_date,
    decide,
    effective_scopes,
    out_of_scope_error,
)
from registry.core.trust.model import IssuerScope
from registry.core.trustlists.trustlist import root_fingerprint
from registry.services.access.tokens import Principal
from registry.services.runtime.context import Registry
from registry.services.transparency.events import append_event
from registry.services.trust.directory import scope_info
from registry.storage.authority import AuthorityChangeRepository, ScopeRepository
from registry.storage.repositories import (
    IssuerRepository,
    RegionRepository,
    SigningKeyRepository,
    as_utc,
)
from registry.storage.tables import AuthorityChangeRow, IssuerRow, IssuerScopeRow

ISSUER_KINDS = (
    "hr_bureau",
    "review_committee",
    "joint_committee",
    "executive_committee",
    "postdoc_station",
    "enterprise",
)
CLI_ACTOR = "cli"
ISSUER_NAME_ZH_MAX, ISSUER_NAME_EN_MAX = 128, 256  # the columns' lengths


def actor_of(principal: Principal) -> str:
    """How the history names whoever made a change through the API."""
    return f"token:{principal.token_id} {principal.name}".strip()[:160]


def record_change(
    session: Session,
    *,
    actor: str,
    subject: str,
    ref: str,
    action: str,
    at: datetime,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one entry to the authority history."""
    AuthorityChangeRepository(session).add(
        AuthorityChangeRow(
            at=at,
            actor=actor[:160],
            subject=subject,
            subject_ref=ref,
            action=action,
            detail=dict(detail or {}),
        )
    )


def key_digest(public_multikey: str) -> str:
    """The digest a key event's log leaf commits to: hex SHA-256 of the 32 raw bytes of
    the Ed25519 public key (the kid is its first 8 bytes)."""
    return root_fingerprint(public_key_from_multikey(public_multikey))


def scope_digest(issuer_uscc: str, scope: IssuerScope) -> str:
    """The digest a scope event's log leaf commits to: hex SHA-256 of the canonical JSON
    (RFC 8785) of the scope as it stands after the event, with its number and issuer."""
    return record_digest({"id": scope.scope_id, "issuer": issuer_uscc, **_scope_detail(scope)})


def _bad(pointer: str, code: str, zh: str, en: str) -> RegistryError:
    return invalid(code, zh, en, (FieldProblem(pointer, code, zh, en),))


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
        raise _bad("/uscc", error.code, error.message_zh, error.message_en) from None
    if kind not in ISSUER_KINDS:
        raise _bad(
            "/kind",
            "ISSUER_KIND_UNKNOWN",
            "机构类别未知",
            f"unknown issuer kind (one of {', '.join(ISSUER_KINDS)})",
        )
    name_zh, name_en = name_zh.strip(), name_en.strip()
    if not name_zh or not name_en:
        raise _bad("/name", "ISSUER_NAME_REQUIRED", "须提供中英文名称", "names in zh and en needed")
    require_texts(
        ("/nameZh", name_zh, ISSUER_NAME_ZH_MAX), ("/nameEn", name_en, ISSUER_NAME_EN_MAX)
    )
    with registry.transaction() as session:
        regions = RegionRepository(session)
        if regions.get(region) is None:
            raise _bad("/region", "REGION_UNKNOWN", "地区未登记", "the region is not registered")
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
            raise _bad(
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
        issuer = _issuer(session, uscc)
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


def _codes(list_name: str, values: Sequence[str], pointer: str) -> list[str]:
    checked = []
    for index, value in enumerate(values):
        if value not in code_list(list_name):
            raise _bad(
                f"{pointer}/{index}",
                "CODE_UNKNOWN",
                f"代码表 {list_name} 中没有此代码",
                f"not a code of the list {list_name}",
            )
        if value not in checked:
            checked.append(value)
    return checked


@dataclass(frozen=True)
class ScopeRequest:
    """A grant of authority as an administrator asks for it."""

    record_types: tuple[str, ...]
    valid_from: date
    series: tuple[str, ...] = ()
    specialties: tuple[str, ...] = ()
    highest_level: str | None = None
    valid_until: date | None = None


def _checked_scope(request: ScopeRequest) -> IssuerScope:
    if not request.record_types:
        raise _bad("/recordTypes", "SCOPE_TYPES_REQUIRED", "须指定记录类型", "record types needed")
    types = _codes("record-types", request.record_types, "/recordTypes")
    series = _codes("title-series", request.series, "/series")
    specialties = _codes("specialties", request.specialties, "/specialties")
    level = request.highest_level
    if level is not None:
        _codes("title-levels", [level], "/highestLevel")
    title_fields = series or specialties or level is not None
    if title_fields and not set(types) & set(TITLE_TYPES):
        raise _bad(
            "/recordTypes",
            "SCOPE_TITLE_FIELDS_WITHOUT_TITLE",
            "系列、专业和级别只适用于职称记录",
            "series, specialties and level apply to title records only",
        )
    if request.valid_until is not None and request.valid_until <= request.valid_from:
        raise _bad(
            "/validUntil",
            "SCOPE_DATES_INVALID",
            "授权截止日期须晚于起始日期",
            "the end date must come after the start date",
        )
    return IssuerScope(
        tuple(types),
        tuple(series),
        tuple(specialties),
        level,
        request.valid_from,
        request.valid_until,
    )


def _issuer(session: Session, uscc: str) -> IssuerRow:
    row = IssuerRepository(session).by_uscc(uscc)
    if row is None or row.id is None:
        raise not_found("ISSUER_UNKNOWN", "签发机构未登记", "no such issuer")
    return row


def _scope_detail(scope: IssuerScope) -> dict[str, Any]:
    return {
        "recordTypes": list(scope.record_types),
        "series": list(scope.series),
        "specialties": list(scope.specialties),
        "highestLevel": scope.highest_level,
        "validFrom": scope.valid_from.isoformat(),
        "validUntil": scope.valid_until.isoformat() if scope.valid_until else None,
    }


def grant_scope(
    registry: Registry, *, actor: str, uscc: str, request: ScopeRequest, now: datetime
) -> IssuerScope:
    """Grant an issuer a dated scope; returns it with its number."""
    scope = _checked_scope(request)
    with registry.transaction() as session:
        issuer = _issuer(session, uscc)
        assert issuer.id is not None
        row = ScopeRepository(session).add(
            IssuerScopeRow(
                issuer_id=issuer.id,
                record_types=list(scope.record_types),
                series=list(scope.series),
                specialties=list(scope.specialties),
                highest_level=scope.highest_level,
                valid_from=scope.valid_from,
                valid_until=scope.valid_until,
                created_at=now,
            )
        )
        known = list(issuer.record_types)
        issuer.record_types = known + [t for t in scope.record_types if t not in known]
        session.add(issuer)
        record_change(
            session,
            actor=actor,
            subject="scope",
            ref=str(row.id),
            action="granted",
            at=now,
            detail={"issuer": issuer.uscc, **_scope_detail(scope)},
        )
        granted = scope_info(row)
        digest = scope_digest(issuer.uscc, granted)
        append_event(session, LogEvent("scope_granted", now, issuer.uscc, record_digest=digest))
        return granted


def end_scope(
    registry: Registry, *, actor: str, scope_id: int, until: date | None, now: datetime
) -> IssuerScope:
    """End a scope at the start of ``until`` (China time; default tomorrow).

    A scope cannot end retroactively: records issued under it keep verifying.
    """
    earliest = china_date(now) + timedelta(days=1)
    end = until or earliest
    if end < earliest:
        raise _bad(
            "/until",
            "SCOPE_END_IN_PAST",
            "授权不能追溯终止：结束日期最早为明天",
            "a scope cannot end retroactively: the end date is tomorrow at the earliest",
        )
    with registry.transaction() as session:
        row = ScopeRepository(session).get(scope_id)
        if row is None:
            raise not_found("SCOPE_UNKNOWN", "授权范围不存在", "no such scope")
        if row.valid_until is not None and row.valid_until <= end:
            raise conflict(
                "SCOPE_ALREADY_ENDED",
                "该授权已在此日期或之前结束",
                "the scope already ends on or before this date",
            )
        end = max(row.valid_from, end)  # a scope that never started: it now covers no day at all
        issuer = IssuerRepository(session).by_id(row.issuer_id)
        assert issuer is not None
        row.valid_until, row.ended_at = end, now
        session.add(row)
        record_change(
            session,
            actor=actor,
            subject="scope",
            ref=str(scope_id),
            action="ended",
            at=now,
            detail={"issuer": issuer.uscc, "validUntil": end.isoformat()},
        )
        session.flush()
        ended = scope_info(row)
        digest = scope_digest(issuer.uscc, ended)
        append_event(session, LogEvent("scope_ended", now, issuer.uscc, record_digest=digest))
        return ended


def scopes_of(registry: Registry, uscc: str) -> list[IssuerScope]:
    """An issuer's scopes, oldest first (ended ones included)."""
    with registry.reading() as session:
        issuer = _issuer(session, uscc)
        assert issuer.id is not None
        return [scope_info(row) for row in ScopeRepository(session).for_issuer(issuer.id)]


def require_in_scope(
    session: Session,
    issuer: IssuerRow,
    record_type: str,
    credential: Mapping[str, Any],
    at: datetime,
) -> None:
    """Refuse (403 ``ISSUER_OUT_OF_SCOPE``) an issuance its issuer has no authority for."""
    assert issuer.id is not None
    rows = ScopeRepository(session).for_issuer(issuer.id)
    scopes = effective_scopes((scope_info(row) for row in rows), issuer.record_types)
    decision = decide(scopes, AuthorityClaim.of_request(record_type, credential, at))
    if not decision.allowed:
        raise out_of_scope_error(decision)


@dataclass(frozen=True)
class Change:
    """One recorded change: when, by whom, what."""

    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]


def history(registry: Registry, subject: str, ref: str) -> list[Change]:
    """The recorded changes to one issuer, scope, key, region, agreement or equivalence."""
    with registry.reading() as session:
        return [
            Change(as_utc(row.at) or row.at, row.actor, row.action, dict(row.detail))
            for row in AuthorityChangeRepository(session).about(subject, ref)
        ]

"""Dated scopes of issuer authority: grant one, end one (never retroactively), list them,
and refuse an issuance its issuer has no scope for.

Every change is recorded in the authority history and appended to the transparency log in
the same transaction. Nothing is deleted: ending a scope sets its end date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from registry.core.codes import code_list
from registry.core.errors import conflict, invalid_field, not_found
from registry.core.lifecycle.events import LogEvent, record_digest
from registry.core.records.credential import TITLE_TYPES
from registry.core.trust.authority import (
    AuthorityClaim,
    china_date,
    decide,
    effective_scopes,
    out_of_scope_error,
)
from registry.core.trust.model import IssuerScope
from registry.services.authority.issuers import issuer_row
from registry.services.runtime.context import Registry
from registry.services.transparency.events import append_event
from registry.services.transparency.history import record_change
from registry.services.trust.directory import scope_info
from registry.storage.authority import ScopeRepository
from registry.storage.repositories import IssuerRepository
from registry.storage.tables import IssuerRow, IssuerScopeRow


def _codes(list_name: str, values: Sequence[str], pointer: str) -> list[str]:
    checked = []
    for index, value in enumerate(values):
        if value not in code_list(list_name):
            raise invalid_field(
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
        raise invalid_field(
            "/recordTypes", "SCOPE_TYPES_REQUIRED", "须指定记录类型", "record types needed"
        )
    types = _codes("record-types", request.record_types, "/recordTypes")
    series = _codes("title-series", request.series, "/series")
    specialties = _codes("specialties", request.specialties, "/specialties")
    level = request.highest_level
    if level is not None:
        _codes("title-levels", [level], "/highestLevel")
    title_fields = series or specialties or level is not None
    if title_fields and not set(types) & set(TITLE_TYPES):
        raise invalid_field(
            "/recordTypes",
            "SCOPE_TITLE_FIELDS_WITHOUT_TITLE",
            "系列、专业和级别只适用于职称记录",
            "series, specialties and level apply to title records only",
        )
    if request.valid_until is not None and request.valid_until <= request.valid_from:
        raise invalid_field(
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


def scope_digest(issuer_uscc: str, scope: IssuerScope) -> str:
    """The digest a scope event's log leaf commits to: hex SHA-256 of the canonical JSON
    (RFC 8785) of the scope as it stands after the event, with its number and issuer."""
    return record_digest({"id": scope.scope_id, "issuer": issuer_uscc, **_scope_detail(scope)})


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
        issuer = issuer_row(session, uscc)
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
        raise invalid_field(
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
        issuer = issuer_row(session, uscc)
        assert issuer.id is not None
        return [scope_info(row) for row in ScopeRepository(session).for_issuer(issuer.id)]


def require_in_scope(
    session: Session,
    issuer: IssuerRow,
    record_type: str,
    credential: Mapping[str, Any],
    at: datetime,
    *,
    scope_rows: Sequence[IssuerScopeRow] | None = None,
) -> None:
    """Refuse (403 ``ISSUER_OUT_OF_SCOPE``) an issuance its issuer has no authority for.
    ``scope_rows`` are the issuer's scopes when the caller has read them already."""
    assert issuer.id is not None
    rows = ScopeRepository(session).for_issuer(issuer.id) if scope_rows is None else scope_rows
    scopes = effective_scopes((scope_info(row) for row in rows), issuer.record_types)
    decision = decide(scopes, AuthorityClaim.of_request(record_type, credential, at))
    if not decision.allowed:
        raise out_of_scope_error(decision)

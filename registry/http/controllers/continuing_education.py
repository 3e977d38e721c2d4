"""Partners ask a person's continuing-education hours for a year, across every issuer and
region, and whether the national rule (90 hours, at least 60 professional) is met."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from registry.core.people.privacy import loggable
from registry.core.qualifications.ce_hours import (
    REQUIRED_HOURS,
    REQUIRED_PROFESSIONAL_HOURS,
    CountedRecord,
    HoursTotals,
    Reason,
    RegionTotal,
)
from registry.core.recordtypes.continuing_education import hours_value
from registry.http.documentation import documented
from registry.http.ratelimit import PARTNER_LIMIT
from registry.http.security import partner_guard, principal_of
from registry.services.partners.ce_hours import HolderHours, IssuerName, holder_hours
from registry.services.records.answers import labelled
from registry.services.runtime.context import Registry

log = logging.getLogger("registry.partner")


class HoursTotalsRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /api/v1/continuing-education/totals``: whose hours (ID number, in the body so
    that it never sits in a URL or a log), which year, why, and optionally which region
    asks (the partner token's region by default)."""

    idNumber: str  # noqa: N815
    year: int
    purpose: str
    region: str | None = None


def _reason(reason: Reason) -> dict[str, Any]:
    return {"code": reason.code, "message": {"zh": reason.zh, "en": reason.en}}


def _hours(general: float, professional: float) -> dict[str, Any]:
    return {
        "generalHours": hours_value(general),
        "professionalHours": hours_value(professional),
        "totalHours": hours_value(general + professional),
    }


def _issuer(issuer: IssuerName) -> dict[str, Any]:
    return {"uscc": issuer.uscc, "name": {"zh": issuer.name_zh, "en": issuer.name_en}}


def _record(item: CountedRecord, issuers: dict[str, IssuerName]) -> dict[str, Any]:
    record = item.record
    return {
        "id": record.record_id,
        "issuer": _issuer(issuers[record.issuer_uscc]),
        "issuerRegion": labelled("divisions", record.issuer_region),
        "regions": [labelled("divisions", code) for code in record.regions],
        **_hours(record.general_hours, record.professional_hours),
        "status": record.status,
        "counted": item.counted,
        "reason": _reason(item.reason),
    }


def _region(total: RegionTotal) -> dict[str, Any]:
    return {
        "region": labelled("divisions", total.region),
        **_hours(total.general_hours, total.professional_hours),
        "records": total.records,
    }


def totals_body(answer: HolderHours) -> dict[str, Any]:
    """The wire form of a totals answer."""
    totals: HoursTotals = answer.totals
    issuers = dict(answer.issuers)
    return {
        "year": totals.year,
        "region": labelled("divisions", totals.asking_region) if totals.asking_region else None,
        "rule": {
            "requiredHours": hours_value(REQUIRED_HOURS),
            "requiredProfessionalHours": hours_value(REQUIRED_PROFESSIONAL_HOURS),
            "message": {
                "zh": "每年不少于 90 学时，其中专业科目不少于三分之二（60 学时）",
                "en": "at least 90 hours a year, two thirds (60 hours) of them professional",
            },
        },
        "ruleMet": totals.rule_met,
        "reasons": [_reason(reason) for reason in totals.reasons],
        "totals": _hours(totals.general_hours, totals.professional_hours),
        "byRegion": [_region(total) for total in totals.by_region],
        "records": [_record(item, issuers) for item in totals.records],
    }


class ContinuingEducationController(Controller):
    """``/api/v1/continuing-education``: the partners' hours API."""

    path = "/api/v1/continuing-education"
    tags = ["partners"]  # noqa: RUF012

    @post(
        "/totals",
        guards=[partner_guard],
        sync_to_thread=True,
        status_code=200,
        opt={PARTNER_LIMIT: True},
        description=(
            "A person's continuing-education hours for a year (ID number in the body, never "
            "echoed) across every issuer and region, and whether the 90/60 rule is met. The "
            "asking region is the partner token's own: naming another is 403 "
            "`REGION_MISMATCH`; an admin token may name one. Limited per client (token): 429 "
            "`RATE_LIMITED` with RateLimit-* headers."
        ),
        responses=documented(
            400,
            401,
            403,
            413,
            422,
            429,
            codes={
                403: "ROLE_FORBIDDEN (该令牌无权执行此操作 / not a partner's or an admin's "
                "token); REGION_MISMATCH (伙伴令牌只能以本地区身份查询 / a partner token named "
                "a region other than its own)",
                413: "BODY_TOO_LARGE (请求体超过 64 KB / over 64 KB)",
                422: "PURPOSE_REQUIRED, ID_NUMBER_INVALID, CE_YEAR_INVALID, REGION_UNKNOWN "
                "(errors[].pointer names the field; the number itself is never echoed)",
            },
        ),
    )
    def totals(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        data: JSONBody[HoursTotalsRequest],
    ) -> dict[str, Any]:
        """A person's hours for a year across every issuer and region, per region and per
        record, and whether the national rule is met, with the reasons. Revoked, suspended,
        cancelled and superseded records do not count; the query is logged for the holder.
        A partner token asks for its own region only."""
        principal = principal_of(request)
        answer = holder_hours(
            registry,
            principal,
            id_number=data.idNumber,
            year=data.year,
            purpose=data.purpose,
            region=data.region,
            now=datetime.now(UTC),
        )
        log.info(
            "partner hours client=%s region=%s year=%s records=%d purpose=%s",
            principal.token_id,
            answer.totals.asking_region,
            answer.totals.year,
            len(answer.totals.records),
            loggable(answer.purpose),
        )
        return totals_body(answer)

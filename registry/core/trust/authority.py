"""Issuer authority: did a dated scope cover a record on its issue date?

A scope names record types and, for titles, series, specialties and the highest level,
over a period of dates (China Standard Time, the dates of the authorising documents).
A record is within authority when one scope covers every dimension. When none does, the
answer names the first dimension no scope could satisfy, in the order type, date, series,
specialty, level, so the message tells an issuer what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from types import MappingProxyType
from typing import Any

from registry.core.checks import Check, Outcome, check
from registry.core.codes import code_list
from registry.core.errors import RegistryError, forbidden
from registry.core.formats.timefmt import china_date
from registry.core.records.credential import RecordFacts
from registry.core.trust.model import IssuerInfo, IssuerScope

DIMENSIONS = ("type", "date", "series", "specialty", "level")
_DIMENSION_WORDS: Mapping[str, tuple[str, str]] = {
    "type": ("无权签发此类记录", "not authorised for this record type"),
    "date": ("签发日期不在授权期限内", "no authority in force on the issue date"),
    "series": ("超出授权的职称系列", "outside the title series it is authorised for"),
    "specialty": ("超出授权的专业范围", "outside the specialties it is authorised for"),
    "level": ("超出授权的最高级别", "above the highest level it is authorised for"),
}


@dataclass(frozen=True)
class AuthorityClaim:
    """What a record needs authority for: its type on a date, and a title's dimensions."""

    record_type: str
    on: date
    series: str | None = None
    specialty: str | None = None
    level: str | None = None

    @classmethod
    def of_facts(cls, facts: RecordFacts) -> AuthorityClaim:
        """The claim of a record's public facts, dated by its issue time."""
        title = facts.title
        return cls(
            record_type=facts.record_type,
            on=china_date(facts.issued_at),
            series=title.series if title is not None else None,
            specialty=title.specialty if title is not None else None,
            level=title.level if title is not None else None,
        )

    @classmethod
    def of_request(
        cls, record_type: str, credential: Mapping[str, Any], at: datetime
    ) -> AuthorityClaim:
        """The claim of an issuance request (already schema-checked) issued at ``at``."""
        subject = credential.get("credentialSubject")
        title = subject.get("professionalTitle") if isinstance(subject, Mapping) else None
        if not isinstance(title, Mapping):
            return cls(record_type, china_date(at))
        return cls(
            record_type=record_type,
            on=china_date(at),
            series=_text(title.get("series")),
            specialty=_text(title.get("specialty")),
            level=_text(title.get("level")),
        )


@dataclass(frozen=True)
class AuthorityDecision:
    """Whether a claim is within authority; if not, the dimension that failed."""

    allowed: bool
    dimension: str | None = None
    scope: IssuerScope | None = None


def _text(value: object) -> str | None:
    return str(value) if value is not None else None


def level_rank(level: str) -> int | None:
    """The rank of a title level (``title-levels`` code list), ``None`` if unknown."""
    return _level_ranks().get(level)


@cache
def _level_ranks() -> Mapping[str, int]:
    """Each ranked level's rank, read once from the code list (checked on every verify)."""
    ranks: dict[str, int] = {}
    for entry in code_list("title-levels"):
        rank = entry.extra.get("rank")
        if rank is not None and rank.isdigit():
            ranks[entry.code] = int(rank)
    return MappingProxyType(ranks)


def effective_scopes(
    scopes: Iterable[IssuerScope], record_types: Iterable[str]
) -> tuple[IssuerScope, ...]:
    """The scopes to judge by. An issuer with no recorded scope (a source that predates
    scopes) is judged by its record types alone, undated and unrestricted."""
    found = tuple(scopes)
    if found:
        return found
    return (IssuerScope(tuple(sorted(record_types)), (), (), None, date.min),)


def _in_force(scope: IssuerScope, on: date) -> bool:
    return scope.valid_from <= on and (scope.valid_until is None or on < scope.valid_until)


def _level_covered(scope: IssuerScope, level: str | None) -> bool:
    if scope.highest_level is None or level is None:
        return True
    asked, highest = level_rank(level), level_rank(scope.highest_level)
    return asked is not None and highest is not None and asked <= highest


def _covers(scope: IssuerScope, claim: AuthorityClaim, ranks: Mapping[str, int]) -> bool:
    """Does this one scope cover every dimension of the claim? (``decide``'s filters, in
    one pass: in force, series, specialty, and the level ranked no higher than allowed.)"""
    if claim.record_type not in scope.record_types or scope.valid_from > claim.on:
        return False
    if scope.valid_until is not None and claim.on >= scope.valid_until:
        return False
    if claim.series is not None and scope.series and claim.series not in scope.series:
        return False
    specialty = claim.specialty
    if specialty is not None and scope.specialties and specialty not in scope.specialties:
        return False
    if scope.highest_level is None or claim.level is None:
        return True
    asked, highest = ranks.get(claim.level), ranks.get(scope.highest_level)
    return asked is not None and highest is not None and asked <= highest


def decide(scopes: Iterable[IssuerScope], claim: AuthorityClaim) -> AuthorityDecision:
    """Is the claim covered by one of the scopes? If not, which dimension failed first."""
    scopes = tuple(scopes)
    ranks = _level_ranks()
    for scope in scopes:  # the first covering scope, as the staged filters would leave it
        if _covers(scope, claim, ranks):
            return AuthorityDecision(True, None, scope)
    return _first_gap(scopes, claim)


def _first_gap(scopes: tuple[IssuerScope, ...], claim: AuthorityClaim) -> AuthorityDecision:
    """The scopes filtered one dimension at a time: the first that leaves none failed."""
    remaining = [s for s in scopes if claim.record_type in s.record_types]
    if not remaining:
        return AuthorityDecision(False, "type")
    remaining = [s for s in remaining if _in_force(s, claim.on)]
    if not remaining:
        return AuthorityDecision(False, "date")
    if claim.series is not None:
        remaining = [s for s in remaining if not s.series or claim.series in s.series]
        if not remaining:
            return AuthorityDecision(False, "series")
    if claim.specialty is not None:
        remaining = [s for s in remaining if not s.specialties or claim.specialty in s.specialties]
        if not remaining:
            return AuthorityDecision(False, "specialty")
    remaining = [s for s in remaining if _level_covered(s, claim.level)]
    if not remaining:
        return AuthorityDecision(False, "level")
    return AuthorityDecision(True, None, remaining[0])


def decide_for(issuer: IssuerInfo, claim: AuthorityClaim) -> AuthorityDecision:
    """``decide`` over an issuer's scopes (or its record types, if it has none)."""
    return decide(effective_scopes(issuer.scopes, issuer.record_types), claim)


def out_of_scope_words(dimension: str) -> tuple[str, str]:
    """The Chinese and English message for a failed dimension."""
    zh, en = _DIMENSION_WORDS[dimension]
    return f"签发机构{zh}", f"the issuer is {en}"


def out_of_scope_error(decision: AuthorityDecision) -> RegistryError:
    """The 403 answer when an issuer tries to issue outside its scope."""
    dimension = decision.dimension or "type"
    zh, en = out_of_scope_words(dimension)
    return forbidden(
        "ISSUER_OUT_OF_SCOPE", f"{zh}（{dimension}）", f"{en} (dimension: {dimension})"
    )


def authority_check(issuer: IssuerInfo, facts: RecordFacts) -> Check:
    """The ``issuer_authorised`` check of a verified record on its issue date."""
    claim = AuthorityClaim.of_facts(facts)
    decision = decide_for(issuer, claim)
    on = claim.on.isoformat()
    if decision.allowed:
        scope = decision.scope
        detail: dict[str, Any] = {"on": on}
        if scope is not None and scope.scope_id is not None:
            detail["scope"] = scope.scope_id
        return check("issuer_authorised", Outcome.PASSED, "ISSUER_AUTHORISED", **detail)
    dimension = decision.dimension or "type"
    zh, en = out_of_scope_words(dimension)
    return Check(
        "issuer_authorised",
        Outcome.FAILED,
        "ISSUER_OUT_OF_SCOPE",
        f"{zh}（签发日 {on}）",
        f"{en} (issued on {on})",
        {"dimension": dimension, "on": on},
    )


__all__ = [
    "DIMENSIONS",
    "AuthorityClaim",
    "AuthorityDecision",
    "authority_check",
    "china_date",
    "decide",
    "decide_for",
    "effective_scopes",
    "level_rank",
    "out_of_scope_error",
]

"""Recognition of a record in the asking region: native, recognised under an agreement
(with the equivalent in the asking region's terms), or not recognised and why.

A record is native where its issuer sits and, for a jointly reviewed title, in every
co-reviewing region. Elsewhere it counts only under an agreement whose parties include
the asking region and a region the record comes from, whose scope covers the record's
type, series and level, and which is in force on the day of the question (China Standard
Time). Equivalence tables then say what the record is called in the asking region.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from registry.core.checks import Check, Outcome, check
from registry.core.codes import code_list
from registry.core.errors import RegistryError
from registry.core.records.credential import RecordFacts
from registry.core.trust.authority import china_date
from registry.core.trust.model import Agreement, Equivalence, IssuerInfo, TrustSource

# Which code list labels a term of each kind, when no equivalence entry renames it.
TERM_LISTS: Mapping[str, str] = {"title_name": "title-names", "level": "title-levels"}


@dataclass(frozen=True)
class Equivalent:
    """A record's term and what the asking region calls it."""

    kind: str
    source: str
    target: str
    label_zh: str
    label_en: str
    basis: str  # 'table': from an equivalence entry; 'same': the shared national term
    demo: bool = False

    def as_detail(self) -> dict[str, Any]:
        """The wire form inside a check's detail."""
        body: dict[str, Any] = {
            "kind": self.kind,
            "source": self.source,
            "target": self.target,
            "label": {"zh": self.label_zh, "en": self.label_en},
            "basis": self.basis,
        }
        if self.demo:
            body["demo"] = True
        return body


@dataclass(frozen=True)
class Recognition:
    """The decision, before it becomes a check."""

    code: str
    region: str
    agreement: Agreement | None = None
    equivalents: tuple[Equivalent, ...] = ()
    via: str | None = None  # native: 'issuer' or 'co_review'
    dimension: str | None = None  # out of an agreement's scope: 'type', 'series', 'level'

    @property
    def recognised(self) -> bool:
        """Native or recognised under an agreement."""
        return self.code in ("RECOGNITION_NATIVE", "RECOGNITION_AGREEMENT")


def origin_regions(facts: RecordFacts, issuer: IssuerInfo) -> tuple[str, ...]:
    """Where a record counts natively: the issuer's region (and jurisdiction) and any
    co-reviewing region."""
    title = facts.title
    regions = [issuer.region, *(r for r in issuer.jurisdiction if r != issuer.region)]
    if title is not None:
        regions += [r for r in title.review_regions if r not in regions]
    return tuple(regions)


def terms_of(facts: RecordFacts) -> tuple[tuple[str, str], ...]:
    """The record's terms an equivalence table may rename: (kind, term).

    A title has its title name and level; a foreign-qualification equivalence decision has
    its catalogue item, written ``<catalogue>:<item>``.
    """
    title = facts.title
    if title is not None:
        return (("title_name", title.title_name), ("level", title.level))
    catalogue = getattr(facts.details, "catalogue", None)
    item = getattr(facts.details, "item", None)
    if isinstance(catalogue, str) and isinstance(item, str):
        return (("catalogue_item", f"{catalogue}:{item}"),)
    return ()


def _level_in(level: str | None, levels: tuple[str, ...]) -> bool:
    if not levels or level is None:
        return True
    if level in levels:
        return True
    try:
        parent = code_list("title-levels").by_code(level).extra.get("parent")
    except RegistryError:
        return False
    return parent is not None and parent in levels


def scope_gap(agreement: Agreement, facts: RecordFacts) -> str | None:
    """The first dimension of the record an agreement's scope leaves out, or ``None``."""
    if facts.record_type not in agreement.record_types:
        return "type"
    title = facts.title
    if title is None:
        return None
    if agreement.series and title.series not in agreement.series:
        return "series"
    if not _level_in(title.level, agreement.levels):
        return "level"
    return None


def in_force(agreement: Agreement, on: date) -> bool:
    """Is the agreement in force on this day? (``effective_until`` is exclusive.)"""
    return agreement.effective_from <= on and (
        agreement.effective_until is None or on < agreement.effective_until
    )


def equivalents(
    facts: RecordFacts, origins: Iterable[str], region: str, trust: TrustSource
) -> tuple[Equivalent, ...]:
    """Each renamable term in the asking region's vocabulary (the table, else the same)."""
    found: list[Equivalent] = []
    tables = [trust.equivalences(origin, region) for origin in origins]
    for kind, term in terms_of(facts):
        entry = _entry(tables, kind, term)
        if entry is not None:
            found.append(
                Equivalent(
                    kind, term, entry.target, entry.label_zh, entry.label_en, "table", entry.demo
                )
            )
            continue
        zh, en = _labels(kind, term)
        found.append(Equivalent(kind, term, term, zh, en, "same"))
    return tuple(found)


def _entry(tables: list[tuple[Equivalence, ...]], kind: str, term: str) -> Equivalence | None:
    for table in tables:
        for entry in table:
            if entry.kind == kind and entry.source == term:
                return entry
    return None


def _labels(kind: str, term: str) -> tuple[str, str]:
    list_name = TERM_LISTS.get(kind)
    if list_name is None:
        return term, term
    try:
        entry = code_list(list_name).by_code(term)
    except RegistryError:
        return term, term
    return entry.zh, entry.en


def recognise(
    facts: RecordFacts, issuer: IssuerInfo, region: str, trust: TrustSource, on: date
) -> Recognition:
    """Decide how the asking region treats the record on the day ``on``."""
    if region == issuer.region or region in issuer.jurisdiction:
        return Recognition("RECOGNITION_NATIVE", region, via="issuer")
    origins = origin_regions(facts, issuer)
    if region in origins:
        return Recognition("RECOGNITION_NATIVE", region, via="co_review")
    candidates = [
        a
        for a in trust.agreements()
        if region in a.parties and any(origin in a.parties for origin in origins)
    ]
    if not candidates:
        return Recognition("RECOGNITION_NO_AGREEMENT", region)
    gaps = [(a, scope_gap(a, facts)) for a in candidates]
    covering = [a for a, gap in gaps if gap is None]
    if not covering:
        first, gap = gaps[0]
        return Recognition("RECOGNITION_OUT_OF_SCOPE", region, first, dimension=gap)
    return _under_agreements(facts, covering, origins=origins, region=region, trust=trust, on=on)


def _under_agreements(
    facts: RecordFacts,
    covering: list[Agreement],
    *,
    origins: tuple[str, ...],
    region: str,
    trust: TrustSource,
    on: date,
) -> Recognition:
    """Recognised under the first covering agreement in force, or why none is."""
    for agreement in covering:
        if in_force(agreement, on):
            terms = equivalents(facts, origins, region, trust)
            return Recognition("RECOGNITION_AGREEMENT", region, agreement, terms)
    upcoming = [a for a in covering if a.effective_from > on]
    if upcoming:
        return Recognition("RECOGNITION_NOT_YET_IN_FORCE", region, upcoming[0])
    return Recognition("RECOGNITION_AGREEMENT_EXPIRED", region, covering[0])


def agreement_detail(agreement: Agreement) -> dict[str, Any]:
    """An agreement as a check's detail names it."""
    body: dict[str, Any] = {
        "id": agreement.agreement_id,
        "name": {"zh": agreement.name_zh, "en": agreement.name_en},
        "parties": list(agreement.parties),
        "legalBasis": agreement.legal_basis,
        "effectiveFrom": agreement.effective_from.isoformat(),
        "effectiveUntil": agreement.effective_until.isoformat()
        if agreement.effective_until
        else None,
    }
    if agreement.legal_article:
        body["legalArticle"] = agreement.legal_article
    return body


def _named_equivalent(found: tuple[Equivalent, ...]) -> Equivalent | None:
    """What the message names: the title's name (from a table or the national list), else
    the catalogue item's equivalent when a table gives one."""
    for equivalent in found:
        if equivalent.kind == "title_name":
            return equivalent
    for equivalent in found:
        if equivalent.kind == "catalogue_item" and equivalent.basis == "table":
            return equivalent
    return None


def as_check(decision: Recognition) -> Check:
    """The ``recognition`` check of an answer."""
    detail: dict[str, Any] = {"region": decision.region}
    if decision.via:
        detail["via"] = decision.via
    if decision.agreement is not None:
        detail["agreement"] = agreement_detail(decision.agreement)
    if decision.dimension:
        detail["dimension"] = decision.dimension
    outcome = Outcome.PASSED if decision.recognised else Outcome.FAILED
    if decision.code != "RECOGNITION_AGREEMENT":
        return check("recognition", outcome, decision.code, **detail)
    assert decision.agreement is not None
    detail["equivalent"] = [e.as_detail() for e in decision.equivalents]
    zh = f"依据《{decision.agreement.name_zh}》互认"
    en = f"recognised under agreement {decision.agreement.agreement_id}"
    named = _named_equivalent(decision.equivalents)
    if named is not None:
        zh += f"，相当于本地区的“{named.label_zh}”"
        en += f"; equivalent here: {named.label_en}"
    level = next((e for e in decision.equivalents if e.kind == "level"), None)
    if level is not None and level.basis == "table":
        zh += f"，级别称“{level.label_zh}”"
        en += f"; level here: {level.label_en}"
    return Check("recognition", outcome, decision.code, zh, en, detail)


_NOT_ASKED = check("recognition", Outcome.SKIPPED, "RECOGNITION_NOT_ASKED")
_NOT_CHECKED = check("recognition", Outcome.SKIPPED, "NOT_CHECKED")


def recognition_check(
    facts: RecordFacts,
    issuer: IssuerInfo | None,
    region: str | None,
    trust: TrustSource,
    now: datetime,
) -> Check:
    """Native, recognised under an agreement, or not recognised and why."""
    if region is None:
        return _NOT_ASKED
    if issuer is None:
        return _NOT_CHECKED
    return as_check(recognise(facts, issuer, region, trust, china_date(now)))


__all__ = [
    "Equivalent",
    "Recognition",
    "as_check",
    "equivalents",
    "in_force",
    "origin_regions",
    "recognise",
    "recognition_check",
    "scope_gap",
]

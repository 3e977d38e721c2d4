"""Continuing-education hours (继续教育学时): one person's records for a year, added up
across issuers and regions, and the national rule applied to the total.

The rule (专业技术人员继续教育规定, 2015): at least 90 hours a year, two thirds of them
professional, that is at least 60 professional hours. A record counts when it is active
and, if a region asks, when that region is among the regions the record says its hours
count in (the zone's interim measures have every zone record name all three regions).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

REQUIRED_HOURS = 90.0
REQUIRED_PROFESSIONAL_HOURS = 60.0  # two thirds of the required 90

REASONS: dict[str, tuple[str, str]] = {
    "CE_TOTAL_MET": (
        "全年学时 {total} 学时，达到 90 学时",
        "{total} hours in the year: 90 reached",
    ),
    "CE_TOTAL_SHORT": (
        "全年学时 {total} 学时，不足 90 学时（差 {missing} 学时）",
        "{total} hours in the year: {missing} short of 90",
    ),
    "CE_PROFESSIONAL_MET": (
        "专业科目 {professional} 学时，达到 60 学时（90 学时的三分之二）",
        "{professional} professional hours: 60 (two thirds of 90) reached",
    ),
    "CE_PROFESSIONAL_SHORT": (
        "专业科目 {professional} 学时，不足 60 学时（90 学时的三分之二，差 {missing} 学时）",
        "{professional} professional hours: {missing} short of 60 (two thirds of 90)",
    ),
    "CE_RECORD_COUNTED": ("计入", "counted"),
    "CE_RECORD_NOT_ACTIVE": ("记录状态为 {status}，不计入", "the record is {status}: not counted"),
    "CE_RECORD_NOT_RECOGNISED": (
        "该记录的学时认可地区不含查询地区 {region}，不计入",
        "the record's hours do not count in the asking region {region}: not counted",
    ),
}


def hours_text(hours: float) -> str:
    """Hours as people write them: 92, 24.5."""
    return str(int(hours)) if float(hours).is_integer() else str(hours)


@dataclass(frozen=True)
class Reason:
    """Why something is as it is: a stable code and a sentence in Chinese and English."""

    code: str
    zh: str
    en: str


def reason(code: str, **values: object) -> Reason:
    """The reason for ``code`` with its values filled in."""
    zh, en = REASONS[code]
    return Reason(code, zh.format(**values), en.format(**values))


@dataclass(frozen=True)
class HoursRecord:
    """What a continuing-education record says, with its issuer and live status."""

    record_id: str
    issuer_uscc: str
    issuer_region: str
    year: int
    general_hours: float
    professional_hours: float
    regions: tuple[str, ...]
    status: str

    @property
    def total_hours(self) -> float:
        """General and professional hours together."""
        return self.general_hours + self.professional_hours


@dataclass(frozen=True)
class CountedRecord:
    """A record of the year, and whether and why it counts."""

    record: HoursRecord
    counted: bool
    reason: Reason


@dataclass(frozen=True)
class RegionTotal:
    """The counted hours recorded by the issuers of one region."""

    region: str
    general_hours: float
    professional_hours: float
    records: int

    @property
    def total_hours(self) -> float:
        """General and professional hours together."""
        return self.general_hours + self.professional_hours


@dataclass(frozen=True)
class HoursTotals:
    """A person's hours for a year: per record, per region, in total, and the rule."""

    year: int
    asking_region: str | None
    records: tuple[CountedRecord, ...]
    by_region: tuple[RegionTotal, ...]
    general_hours: float
    professional_hours: float
    rule_met: bool
    reasons: tuple[Reason, ...]

    @property
    def total_hours(self) -> float:
        """General and professional hours together."""
        return self.general_hours + self.professional_hours


def _counted(record: HoursRecord, asking_region: str | None) -> CountedRecord:
    if record.status != "active":
        return CountedRecord(record, False, reason("CE_RECORD_NOT_ACTIVE", status=record.status))
    if asking_region is not None and asking_region not in record.regions:
        return CountedRecord(
            record, False, reason("CE_RECORD_NOT_RECOGNISED", region=asking_region)
        )
    return CountedRecord(record, True, reason("CE_RECORD_COUNTED"))


def hours_totals(
    records: Iterable[HoursRecord], year: int, asking_region: str | None = None
) -> HoursTotals:
    """Add up the records of ``year`` that count, by region and in total, and apply the
    national rule; records of other years are left out."""
    counted = tuple(
        _counted(record, asking_region)
        for record in sorted(records, key=lambda r: (r.issuer_region, r.record_id))
        if record.year == year
    )
    regions: dict[str, list[HoursRecord]] = {}
    for item in counted:
        if item.counted:
            regions.setdefault(item.record.issuer_region, []).append(item.record)
    by_region = tuple(
        RegionTotal(
            region,
            sum(r.general_hours for r in held),
            sum(r.professional_hours for r in held),
            len(held),
        )
        for region, held in sorted(regions.items())
    )
    general = sum(total.general_hours for total in by_region)
    professional = sum(total.professional_hours for total in by_region)
    total = general + professional
    total_ok = total >= REQUIRED_HOURS
    professional_ok = professional >= REQUIRED_PROFESSIONAL_HOURS
    reasons = (
        reason("CE_TOTAL_MET", total=hours_text(total))
        if total_ok
        else reason(
            "CE_TOTAL_SHORT",
            total=hours_text(total),
            missing=hours_text(REQUIRED_HOURS - total),
        ),
        reason("CE_PROFESSIONAL_MET", professional=hours_text(professional))
        if professional_ok
        else reason(
            "CE_PROFESSIONAL_SHORT",
            professional=hours_text(professional),
            missing=hours_text(REQUIRED_PROFESSIONAL_HOURS - professional),
        ),
    )
    return HoursTotals(
        year=year,
        asking_region=asking_region,
        records=counted,
        by_region=by_region,
        general_hours=general,
        professional_hours=professional,
        rule_met=total_ok and professional_ok,
        reasons=reasons,
    )


__all__ = [
    "REQUIRED_HOURS",
    "REQUIRED_PROFESSIONAL_HOURS",
    "CountedRecord",
    "HoursRecord",
    "HoursTotals",
    "Reason",
    "RegionTotal",
    "hours_text",
    "hours_totals",
]

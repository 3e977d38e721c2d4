"""Adding up continuing-education hours and the national rule (90 hours, 60 professional)."""

from __future__ import annotations

import pytest

from registry.core.qualifications.ce_hours import HoursRecord, hours_text, hours_totals

ZONE = ("310118", "320509", "330421")


def _record(rid, region, general, professional, *, year=2025, status="active", regions=ZONE):
    return HoursRecord(
        rid, f"issuer-{region}", region, year, general, professional, regions, status
    )


def test_hours_from_two_regions_add_up_and_meet_the_rule():
    totals = hours_totals(
        [_record("b", "330421", 0, 42), _record("a", "310118", 30, 20.5)], 2025, "320509"
    )
    assert (totals.general_hours, totals.professional_hours, totals.total_hours) == (30, 62.5, 92.5)
    assert totals.rule_met is True
    assert [r.code for r in totals.reasons] == ["CE_TOTAL_MET", "CE_PROFESSIONAL_MET"]
    assert "92.5" in totals.reasons[0].zh and "92.5" in totals.reasons[0].en
    assert [(t.region, t.total_hours, t.records) for t in totals.by_region] == [
        ("310118", 50.5, 1),
        ("330421", 42, 1),
    ]
    assert [item.record.record_id for item in totals.records] == ["a", "b"]
    assert all(item.counted and item.reason.code == "CE_RECORD_COUNTED" for item in totals.records)


def test_enough_hours_but_too_few_professional_fails_with_both_reasons():
    totals = hours_totals([_record("a", "310118", 40, 55)], 2025)
    assert totals.total_hours == 95
    assert totals.rule_met is False
    assert [r.code for r in totals.reasons] == ["CE_TOTAL_MET", "CE_PROFESSIONAL_SHORT"]
    assert "差 5 学时" in totals.reasons[1].zh
    assert "5 short of 60" in totals.reasons[1].en


def test_too_few_hours_in_total():
    totals = hours_totals([_record("a", "310118", 10, 60)], 2025)
    assert totals.rule_met is False
    assert [r.code for r in totals.reasons] == ["CE_TOTAL_SHORT", "CE_PROFESSIONAL_MET"]
    assert "20 short of 90" in totals.reasons[0].en


def test_exactly_90_with_60_professional_meets_the_rule():
    assert hours_totals([_record("a", "310118", 30, 60)], 2025).rule_met is True
    assert hours_totals([_record("a", "310118", 30.5, 59.5)], 2025).rule_met is False


@pytest.mark.parametrize("status", ["revoked", "suspended", "cancelled", "superseded"])
def test_records_that_are_not_active_do_not_count(status):
    totals = hours_totals(
        [_record("a", "310118", 30, 60, status=status), _record("b", "330421", 0, 10)], 2025
    )
    assert totals.total_hours == 10
    counted = {item.record.record_id: item for item in totals.records}
    assert counted["a"].counted is False
    assert counted["a"].reason.code == "CE_RECORD_NOT_ACTIVE"
    assert status in counted["a"].reason.en
    assert [t.region for t in totals.by_region] == ["330421"]


def test_other_years_are_left_out():
    totals = hours_totals([_record("a", "310118", 30, 60, year=2024)], 2025)
    assert totals.records == ()
    assert totals.total_hours == 0
    assert totals.rule_met is False


def test_a_record_not_recognised_in_the_asking_region_does_not_count_there():
    local = _record("a", "440100", 30, 60, regions=("440100",))
    assert hours_totals([local], 2025, "320509").total_hours == 0
    assert hours_totals([local], 2025, "320509").records[0].reason.code == (
        "CE_RECORD_NOT_RECOGNISED"
    )
    assert hours_totals([local], 2025, "440100").rule_met is True
    assert hours_totals([local], 2025, None).rule_met is True  # nobody asks for a region


def test_hours_text():
    assert (hours_text(92.0), hours_text(24.5), hours_text(0)) == ("92", "24.5", "0")

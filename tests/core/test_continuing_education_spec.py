"""Continuing-education records: public facts, half-hours in the QR, courses that add up."""

from __future__ import annotations

import copy
import json

import pytest

from registry.core.errors import RegistryError
from registry.core.recordtypes import RECORD_TYPES, public_details, public_view
from registry.core.recordtypes.continuing_education import (
    CONTINUING_EDUCATION,
    GENERAL_HALF_HOURS,
    REGIONS,
    ContinuingEducationFacts,
    hours_value,
)
from registry.core.recordtypes.continuing_education import (
    CONTINUING_EDUCATION_SPEC as SPEC,
)
from registry.core.resources import schemas_dir

POINTER = "/credentialSubject/continuingEducation"


def _block() -> dict:
    path = schemas_dir() / CONTINUING_EDUCATION / "v1.schema.json"
    example = json.loads(path.read_text(encoding="utf-8"))["examples"][0]
    return copy.deepcopy(example["credentialSubject"]["continuingEducation"])


def _facts(block: dict) -> ContinuingEducationFacts:
    details = public_details(SPEC, {"continuingEducation": block})
    assert isinstance(details, ContinuingEducationFacts)
    return details


def _check(block: dict) -> None:
    SPEC.check(_facts(block), block, None, None)  # type: ignore[arg-type]


def test_registered_and_the_example_is_consistent():
    assert RECORD_TYPES[CONTINUING_EDUCATION] is SPEC
    block = _block()
    facts = _facts(block)
    assert facts == ContinuingEducationFacts(2025, 30, 24, ("310118", "320509", "330421"))
    assert SPEC.write(facts) == {k: v for k, v in block.items() if k != "courses"}
    view = public_view(SPEC, facts)
    assert [r["code"] for r in view["regions"]] == ["310118", "320509", "330421"]
    assert "courses" not in view
    _check(block)


def test_half_hours_travel_as_integers_and_round_trip():
    facts = ContinuingEducationFacts(2025, 12.5, 87.5, ("330421",))
    entries = SPEC.encode(facts)
    assert entries[GENERAL_HALF_HOURS] == 25
    assert entries[REGIONS] == [330421]
    assert SPEC.decode(entries) == facts
    assert SPEC.write(facts)["generalHours"] == 12.5
    assert (hours_value(30.0), hours_value(0.5)) == (30, 0.5)


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.__setitem__(17, -1),
        lambda e: e.__setitem__(17, 1001),
        lambda e: e.__setitem__(18, 2.5),
        lambda e: e.__setitem__(19, []),
        lambda e: e.__setitem__(19, 330421),
        lambda e: e.__setitem__(16, 1999),
    ],
    ids=["negative", "too-many", "float", "no-regions", "regions-not-list", "year"],
)
def test_bad_qr_entries_are_refused(change):
    entries = SPEC.encode(_facts(_block()))
    change(entries)
    with pytest.raises(RegistryError):
        SPEC.decode(entries)


def test_courses_must_add_up_to_the_stated_hours():
    block = _block()
    block["professionalHours"] = 30
    with pytest.raises(RegistryError) as caught:
        _check(block)
    assert caught.value.code == "CE_HOURS_MISMATCH"
    assert [p.pointer for p in caught.value.problems] == [f"{POINTER}/professionalHours"]
    assert "24" in caught.value.message_en


def test_courses_must_fall_in_the_records_year():
    block = _block()
    block["courses"][1]["completedOn"] = "2024-12-31"
    with pytest.raises(RegistryError) as caught:
        _check(block)
    assert caught.value.code == "CE_COURSE_YEAR_MISMATCH"
    assert [p.pointer for p in caught.value.problems] == [f"{POINTER}/courses/1/completedOn"]


def test_a_record_without_courses_is_not_checked_against_them():
    block = _block()
    del block["courses"]
    block["generalHours"] = 40
    _check(block)

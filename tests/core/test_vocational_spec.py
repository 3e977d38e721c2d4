"""Vocational qualifications: public facts, QR entries, and agreement with the code lists."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date

import pytest

from registry.core.errors import RegistryError
from registry.core.recordtypes import RECORD_TYPES, public_details, public_view
from registry.core.recordtypes.vocational import (
    SHARED,
    SPECIALTY,
    VOCATIONAL_QUALIFICATION,
    VocationalQualificationFacts,
    shared_provinces,
)
from registry.core.recordtypes.vocational import (
    VOCATIONAL_QUALIFICATION_SPEC as SPEC,
)
from registry.core.resources import schemas_dir

POINTER = "/credentialSubject/vocationalQualification"


def _example() -> dict:
    path = schemas_dir() / VOCATIONAL_QUALIFICATION / "v1.schema.json"
    return copy.deepcopy(json.loads(path.read_text(encoding="utf-8"))["examples"][0])


def _facts(block: dict) -> VocationalQualificationFacts:
    details = public_details(SPEC, {"vocationalQualification": block})
    assert isinstance(details, VocationalQualificationFacts)
    return details


def test_the_type_is_registered():
    assert RECORD_TYPES[VOCATIONAL_QUALIFICATION] is SPEC


def test_public_facts_of_the_example_leave_the_numbers_out():
    block = _example()["credentialSubject"]["vocationalQualification"]
    facts = _facts(block)
    assert facts == VocationalQualificationFacts(
        qualification="二级建造师",
        level="二级",
        kind="准入类",
        authority="浙江省住房和城乡建设厅",
        obtained_on=date(2022, 12, 16),
        shared_across_zone=True,
        specialty="建筑工程",
        registration_region="330421",
    )
    written = SPEC.write(facts)
    assert written == {k: v for k, v in block.items() if k in SPEC.public_fields}
    view = public_view(SPEC, facts)
    assert view["kind"] == {"code": "准入类", "zh": "准入类", "en": view["kind"]["en"]}
    assert view["sharedAcrossZone"] is True
    assert "certificateNumber" not in view and "registrationNumber" not in view
    SPEC.check(facts, block, None, None)  # type: ignore[arg-type]


def test_qr_entries_round_trip_with_and_without_optional_fields():
    facts = _facts(_example()["credentialSubject"]["vocationalQualification"])
    assert SPEC.decode(SPEC.encode(facts)) == facts
    plain = replace(facts, specialty=None, registration_region=None, qualification="电工",
                    level="三级", kind="水平评价类", shared_across_zone=False)  # fmt: skip
    entries = SPEC.encode(plain)
    assert SPECIALTY not in entries and SHARED not in entries
    assert min(entries) >= 16
    assert SPEC.decode(entries) == plain


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.__setitem__(16, 999),
        lambda e: e.__setitem__(17, "二级"),
        lambda e: e.__setitem__(23, 1),
        lambda e: e.pop(22),
    ],
    ids=["unknown-qualification", "label-not-code", "shared-not-bool", "no-date"],
)
def test_bad_qr_entries_are_refused(change):
    entries = SPEC.encode(_facts(_example()["credentialSubject"]["vocationalQualification"]))
    change(entries)
    with pytest.raises(RegistryError):
        SPEC.decode(entries)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("kind", "水平评价类", "QUALIFICATION_KIND_MISMATCH"),
        ("level", "一级", "QUALIFICATION_LEVEL_MISMATCH"),
        ("specialty", "煤矿安全", "QUALIFICATION_SPECIALTY_MISMATCH"),
        ("specialty", "铁路工程", "QUALIFICATION_SPECIALTY_MISMATCH"),  # 一级 only
        ("sharedAcrossZone", False, "QUALIFICATION_SHARING_MISMATCH"),
    ],
)
def test_inconsistent_requests_are_refused_at_the_field(field, value, code):
    block = _example()["credentialSubject"]["vocationalQualification"]
    block[field] = value
    with pytest.raises(RegistryError) as caught:
        SPEC.check(_facts(block), block, None, None)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert [p.pointer for p in caught.value.problems] == [f"{POINTER}/{field}"]


def test_a_qualification_that_is_not_shared_must_not_claim_to_be():
    block = _example()["credentialSubject"]["vocationalQualification"]
    block.update(qualification="一级建造师", level="一级", specialty="铁路工程")
    with pytest.raises(RegistryError) as caught:
        SPEC.check(_facts(block), block, None, None)  # type: ignore[arg-type]
    assert caught.value.code == "QUALIFICATION_SHARING_MISMATCH"
    block["sharedAcrossZone"] = False
    SPEC.check(_facts(block), block, None, None)  # type: ignore[arg-type]


def test_shared_provinces_come_from_the_code_list():
    assert shared_provinces("二级建造师") == ("310000", "320000", "330000")
    assert shared_provinces("一级建造师") == ()

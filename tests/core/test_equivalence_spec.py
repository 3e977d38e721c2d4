"""Equivalence records: public facts, QR entries, and the specialty-series rule."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date

import pytest

from registry.core.errors import RegistryError
from registry.core.recordtypes import RECORD_TYPES, public_details, public_view
from registry.core.recordtypes.equivalence import (
    CATALOGUE,
    ITEM_NUMBER,
    QUALIFICATION_EQUIVALENCE,
    SPECIALTY,
    EquivalenceFacts,
)
from registry.core.recordtypes.equivalence import (
    QUALIFICATION_EQUIVALENCE_SPEC as SPEC,
)
from registry.core.resources import schemas_dir

PARTNER_ONLY = (
    "decisionNumber",
    "foreignQualification",
    "awardingBody",
    "foreignCertificateNumber",
)


def _block() -> dict:
    path = schemas_dir() / QUALIFICATION_EQUIVALENCE / "v1.schema.json"
    example = json.loads(path.read_text(encoding="utf-8"))["examples"][0]
    return copy.deepcopy(example["credentialSubject"]["qualificationEquivalence"])


def _facts(block: dict) -> EquivalenceFacts:
    details = public_details(SPEC, {"qualificationEquivalence": block})
    assert isinstance(details, EquivalenceFacts)
    return details


def test_registered_and_the_example_reads_without_partner_fields():
    assert RECORD_TYPES[QUALIFICATION_EQUIVALENCE] is SPEC
    block = _block()
    facts = _facts(block)
    assert facts == EquivalenceFacts(
        "DEMO-FQ", "2025.1", "IT-003", "工程技术", "中级", date(2025, 2, 20), "计算机应用"
    )
    assert SPEC.write(facts) == {k: v for k, v in block.items() if k not in PARTNER_ONLY}
    view = public_view(SPEC, facts)
    assert view["mappedLevel"]["en"] == "Intermediate"
    assert not set(view) & set(PARTNER_ONLY)
    SPEC.check(facts, block, None, None)  # type: ignore[arg-type]


def test_qr_entries_round_trip_with_and_without_a_specialty():
    facts = _facts(_block())
    entries = SPEC.encode(facts)
    assert entries[CATALOGUE] == "DEMO-FQ"
    assert SPEC.decode(entries) == facts
    general = replace(facts, mapped_series="会计", mapped_specialty=None)
    assert SPECIALTY not in SPEC.encode(general)
    assert SPEC.decode(SPEC.encode(general)) == general


@pytest.mark.parametrize(
    ("key", "value"),
    [(CATALOGUE, "has space"), (CATALOGUE, "x" * 33), (ITEM_NUMBER, ""), (ITEM_NUMBER, 7)],
)
def test_bad_identifiers_in_the_qr_are_refused(key, value):
    entries = SPEC.encode(_facts(_block()))
    entries[key] = value
    with pytest.raises(RegistryError) as caught:
        SPEC.decode(entries)
    assert caught.value.code == "QR_CLAIMS_INVALID"


def test_a_specialty_of_another_series_is_refused():
    block = _block()
    block["mappedSeries"] = "经济"
    with pytest.raises(RegistryError) as caught:
        SPEC.check(_facts(block), block, None, None)  # type: ignore[arg-type]
    assert caught.value.code == "EQUIVALENCE_SPECIALTY_SERIES_MISMATCH"
    assert caught.value.problems[0].pointer.endswith("/mappedSpecialty")

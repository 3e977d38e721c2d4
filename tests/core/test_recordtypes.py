"""The record-type registry: every spec is complete and consistent with the code lists,
its public view is built from public fields only, and the QR keys follow the layout."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from registry.core.codes import code_list
from registry.core.errors import RegistryError
from registry.core.records.credential import facts_from_credential, record_type_of, status_index_of
from registry.core.records.schemas import schema_document
from registry.core.recordtypes import (
    RECORD_TYPES,
    field_labels,
    partner_view,
    public_details,
    public_view,
    spec_of,
)
from registry.core.recordtypes.base import FIRST_TYPE_KEY, RecordDetails, add_years

TITLE_KEYS = set(range(2, 8)) | {9, 10}
COMMON_KEYS = {0, 1, 8}
SPECS = list(RECORD_TYPES.values())


def _example(record_type: str) -> dict[str, Any]:
    return copy.deepcopy(schema_document(record_type)["examples"][0])


def test_every_listed_type_is_a_code_and_every_active_code_is_listed() -> None:
    types = code_list("record-types")
    for name in RECORD_TYPES:
        assert name in types
    active = {entry.code for entry in types if entry.extra.get("status") == "active"}
    assert active <= set(RECORD_TYPES)


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_spec_is_complete(spec: Any) -> None:
    assert spec_of(spec.name) is spec
    assert issubclass(spec.details_type, RecordDetails)
    assert dataclasses.is_dataclass(spec.details_type)
    entry = code_list("record-types").by_code(spec.name)
    assert spec.elicence_type == entry.extra["elicenceType"]
    assert len(spec.elicence_type) == 2 and spec.elicence_type.isdigit()
    assert not set(spec.public_fields) & set(spec.partner_fields)
    fields = (*spec.public_fields, *spec.partner_fields, *spec.holder_partner_fields)
    labels = field_labels(spec)
    for name in fields:
        assert labels[name]["zh"] and labels[name]["en"], name
    assert "idNumber" not in spec.holder_partner_fields
    for name, list_name in spec.code_fields.items():
        assert name in labels
        code_list(list_name)


def test_elicence_type_codes_are_distinct() -> None:
    codes = [spec.elicence_type for spec in SPECS]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_example_round_trips_through_write_encode_and_decode(spec: Any) -> None:
    subject = _example(spec.name)["credentialSubject"]
    details = public_details(spec, subject)
    assert isinstance(details, spec.details_type)
    written = spec.write(details)
    assert set(written) <= set(spec.public_fields)
    block = subject[spec.subject_key]
    assert written == {name: block[name] for name in spec.public_fields if name in block}
    encoded = spec.encode(details)
    allowed = TITLE_KEYS if spec.subject_key == "professionalTitle" else None
    for key in encoded:
        assert key not in COMMON_KEYS
        if allowed is not None:
            assert key in allowed
        else:
            assert key >= FIRST_TYPE_KEY
    assert spec.decode(encoded) == details


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_public_details_never_read_a_partner_field(spec: Any) -> None:
    subject = _example(spec.name)["credentialSubject"]
    trimmed = copy.deepcopy(subject)
    for name in spec.partner_fields:
        trimmed[spec.subject_key].pop(name, None)
        subject[spec.subject_key][name] = "SENTINEL-PARTNER-FIELD"
    assert public_details(spec, subject) == public_details(spec, trimmed)
    view = public_view(spec, public_details(spec, subject))
    assert "SENTINEL" not in repr(view)
    assert set(view) <= set(spec.public_fields)


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_public_view_expands_codes_to_labels(spec: Any) -> None:
    view = public_view(spec, public_details(spec, _example(spec.name)["credentialSubject"]))
    for name, list_name in spec.code_fields.items():
        if name not in view:
            continue
        values = view[name] if isinstance(view[name], list) else [view[name]]
        for value in values:
            entry = code_list(list_name).by_code(value["code"])
            assert value == {"code": entry.code, "zh": entry.zh, "en": entry.en}


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_partner_view_holds_partner_fields_and_never_the_id_number(spec: Any) -> None:
    subject = _example(spec.name)["credentialSubject"]
    subject["idNumber"] = "3101**********9999"
    view = partner_view(spec, subject)
    assert "idNumber" not in view
    assert set(view[spec.subject_key]) <= set(spec.partner_fields)
    assert set(view) - {spec.subject_key} <= set(spec.holder_partner_fields)
    for name in spec.partner_fields:
        if name in subject[spec.subject_key] and name not in spec.code_fields:
            assert view[spec.subject_key][name] == subject[spec.subject_key][name]


def test_unknown_type_is_refused() -> None:
    with pytest.raises(RegistryError) as caught:
        spec_of("DriverLicenceCredential")
    assert caught.value.code == "RECORD_TYPE_UNKNOWN"
    assert record_type_of({"type": ["VerifiableCredential", "DriverLicenceCredential"]}) is None


def test_status_index_is_read_from_one_entry_or_a_list() -> None:
    entry = {"statusPurpose": "revocation", "statusListIndex": "48213"}
    assert status_index_of({"credentialStatus": entry}) == 48213
    assert status_index_of({"credentialStatus": [entry, {**entry, "statusPurpose": "x"}]}) == 48213
    assert status_index_of({"credentialStatus": [{"statusListIndex": "no"}]}) is None
    assert status_index_of({}) is None


def test_facts_from_an_issued_example_with_a_single_status_entry() -> None:
    issued = schema_document("ProfessionalTitleCredential")["examples"][1]
    assert isinstance(issued["credentialStatus"], dict)
    facts = facts_from_credential(issued, "周*涛")
    assert facts.status_index == 48213
    assert facts.title is not None
    assert facts.title.title_name == "工程师"


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        ("2024-02-29", 1, "2025-02-28"),
        ("2024-02-29", 4, "2028-02-29"),
        ("2026-03-01", 5, "2031-03-01"),
    ],
)
def test_add_years(day: str, years: int, expected: str) -> None:
    from datetime import date

    assert add_years(date.fromisoformat(day), years) == date.fromisoformat(expected)


@pytest.mark.parametrize("regions", [7, "310118", {"310118": 1}], ids=["int", "text", "map"])
def test_review_regions_in_a_qr_that_are_not_a_list_are_refused(regions: Any) -> None:
    """A title's QR record map whose review regions (key 10) are not an array, and is fine
    in every other way, is malformed."""
    spec = next(s for s in SPECS if s.subject_key == "professionalTitle")
    encoded = dict(spec.encode(public_details(spec, _example(spec.name)["credentialSubject"])))
    encoded[10] = regions
    with pytest.raises(RegistryError) as refused:
        spec.decode(encoded)
    assert refused.value.code == "QR_CLAIMS_INVALID"

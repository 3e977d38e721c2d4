"""The schemas of vocational qualifications, continuing-education hours and equivalences:
valid 2020-12, examples that are complete demo requests, enums equal to the code lists,
and every term in the JSON-LD context."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from registry.core.codes import code_list
from registry.core.recordtypes import spec_of
from registry.core.resources import schemas_dir
from registry.demo.data import DEMO_ISSUERS, DEMO_PEOPLE, DEMO_RECORDS

TYPES = {
    "VocationalQualificationCredential": "vocationalQualification",
    "ContinuingEducationCredential": "continuingEducation",
    "QualificationEquivalenceCredential": "qualificationEquivalence",
}
ENUMS = {
    "VocationalQualificationCredential": {
        "qualification": "vocational-qualifications",
        "level": "qualification-levels",
        "kind": "qualification-kinds",
        "specialty": "qualification-specialties",
        "authority": "qualification-authorities",
        "registrationRegion": "divisions",
    },
    "ContinuingEducationCredential": {},
    "QualificationEquivalenceCredential": {
        "mappedSeries": "title-series",
        "mappedLevel": "title-levels",
        "mappedSpecialty": "specialties",
    },
}
VOCABULARY = "https://w3id.org/yrd-talent#"


def _schema(record_type: str) -> dict[str, Any]:
    path = schemas_dir() / record_type / "v1.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _errors(record_type: str, document: dict[str, Any]) -> list[str]:
    validator = Draft202012Validator(_schema(record_type), format_checker=FormatChecker())
    return [error.message for error in validator.iter_errors(document)]


def _block_schema(record_type: str) -> dict[str, Any]:
    subject = _schema(record_type)["properties"]["credentialSubject"]
    return subject["properties"][TYPES[record_type]]


@pytest.mark.parametrize("record_type", TYPES)
def test_schema_is_2020_12_with_a_stable_id(record_type):
    schema = _schema(record_type)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"urn:yrd-talent:schema:{record_type}:v1"
    assert _schema("ProfessionalTitleCredential")["$defs"] == schema["$defs"]


@pytest.mark.parametrize("record_type", TYPES)
def test_examples_are_a_demo_request_and_its_issued_form(record_type):
    request, issued = _schema(record_type)["examples"]
    assert _errors(record_type, request) == []
    assert _errors(record_type, issued) == []
    subject = request["credentialSubject"]
    person = next(p for p in DEMO_PEOPLE if p.id_number == subject["idNumber"])
    assert person.name == subject["name"]
    assert issued["credentialSubject"]["idNumber"] == "*" * 14 + person.id_number[-4:]
    uscc = issued["issuer"]["id"].rsplit("/", 1)[1]
    assert uscc in {issuer.uscc for issuer in DEMO_ISSUERS}
    assert issued["credentialSubject"][TYPES[record_type]] == subject[TYPES[record_type]]


@pytest.mark.parametrize("record_type", TYPES)
def test_public_and_partner_fields_are_exactly_the_schemas_fields(record_type):
    spec = spec_of(record_type)
    fields = set(_block_schema(record_type)["properties"])
    assert set(spec.public_fields) | set(spec.partner_fields) == fields
    assert not set(spec.public_fields) & set(spec.partner_fields)
    assert set(spec.labels) == fields


@pytest.mark.parametrize("record_type", TYPES)
def test_enums_equal_the_code_lists(record_type):
    properties = _block_schema(record_type)["properties"]
    for field, list_name in ENUMS[record_type].items():
        assert properties[field]["enum"] == list(code_list(list_name).codes), field


def test_continuing_education_regions_and_course_kinds_follow_the_code_lists():
    properties = _block_schema("ContinuingEducationCredential")["properties"]
    assert properties["regions"]["items"]["enum"] == list(code_list("divisions").codes)
    course = properties["courses"]["items"]["properties"]
    assert course["kind"]["enum"] == list(code_list("ce-kinds").codes)


@pytest.mark.parametrize(
    ("record_type", "field", "value"),
    [
        ("VocationalQualificationCredential", "sharedAcrossZone", "yes"),
        ("VocationalQualificationCredential", "level", "二级建造师"),
        ("ContinuingEducationCredential", "generalHours", 2.25),
        ("ContinuingEducationCredential", "professionalHours", -1),
        ("ContinuingEducationCredential", "regions", []),
        ("ContinuingEducationCredential", "year", 1999),
        ("QualificationEquivalenceCredential", "item", "IT 003"),
        ("QualificationEquivalenceCredential", "catalogue", "x" * 33),
        ("QualificationEquivalenceCredential", "decidedOn", "2025-02-30x"),
    ],
)
def test_bad_values_are_refused_by_the_schema(record_type, field, value):
    document = copy.deepcopy(_schema(record_type)["examples"][0])
    document["credentialSubject"][TYPES[record_type]][field] = value
    assert _errors(record_type, document)


@pytest.mark.parametrize("record_type", TYPES)
def test_context_defines_the_type_and_every_field(record_type):
    context = json.loads((schemas_dir() / "context" / "v1.jsonld").read_text(encoding="utf-8"))
    terms = context["@context"]
    assert terms[record_type] == VOCABULARY + record_type
    block = terms[TYPES[record_type]]
    assert block["@id"] == VOCABULARY + TYPES[record_type]
    scoped = block["@context"]
    assert scoped["@protected"] is True
    for field in _block_schema(record_type)["properties"]:
        term = scoped[field]
        assert (term if isinstance(term, str) else term["@id"]).startswith(VOCABULARY), field


@pytest.mark.parametrize(
    ("record_type", "demo_key"),
    [
        ("VocationalQualificationCredential", "jiashan-chen-constructor"),
        ("ContinuingEducationCredential", "qingpu-li-hours-2025"),
        ("QualificationEquivalenceCredential", "qingpu-zhang-equivalence"),
    ],
)
def test_each_example_is_the_demo_record(record_type, demo_key):
    record = next(r for r in DEMO_RECORDS if r.key == demo_key)
    assert _schema(record_type)["examples"][0] == record.issuance_request()
    issuer = _schema(record_type)["examples"][1]["issuer"]["id"].rsplit("/", 1)[1]
    assert issuer == record.issuer_uscc

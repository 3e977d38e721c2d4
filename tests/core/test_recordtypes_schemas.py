"""The schemas of residence permits, recommendation letters and postdoctoral affiliations:
valid 2020-12, examples that validate (as requests and as issued), enums equal to the code
lists, conditional fields, and every term defined in the JSON-LD context."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from registry.core.codes import code_list
from registry.core.people.privacy import mask_passport_number
from registry.core.recordtypes import RECORD_TYPES
from registry.core.resources import schemas_dir
from registry.demo import talent as demo_talent

PERMIT = "ResidencePermitCredential"
LETTER = "RecommendationLetterCredential"
POSTDOC = "PostdocAffiliationCredential"
TYPES = (PERMIT, LETTER, POSTDOC)
VOCABULARY = "https://w3id.org/yrd-talent#"
ENUMS = {
    PERMIT: {"role": "permit-roles", "category": "permit-categories", "workRegion": "divisions"},
    LETTER: {"purpose": "recommendation-purposes"},
    POSTDOC: {"station": "postdoc-stations", "state": "postdoc-states"},
}


def _schema(record_type: str) -> dict[str, Any]:
    path = schemas_dir() / record_type / "v1.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _problems(record_type: str, document: dict[str, Any]) -> set[tuple[str, str]]:
    validator = Draft202012Validator(_schema(record_type), format_checker=FormatChecker())
    found = set()
    for error in validator.iter_errors(document):
        path = "/" + "/".join(str(part) for part in error.absolute_path)
        found.add((path, str(error.validator)))
    return found


def _block(record_type: str) -> dict[str, Any]:
    subject = _schema(record_type)["properties"]["credentialSubject"]["properties"]
    key = RECORD_TYPES[record_type].subject_key
    block: dict[str, Any] = subject[key]
    return block


def _example(record_type: str, position: int = 0) -> dict[str, Any]:
    return copy.deepcopy(_schema(record_type)["examples"][position])


def _masked(document: dict[str, Any]) -> dict[str, Any]:
    """The example as issued: every passport number masked."""
    masked = copy.deepcopy(document)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                if name == "passport":
                    value["number"] = mask_passport_number(value["number"])
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(masked)
    if "idNumber" in masked["credentialSubject"]:
        number = masked["credentialSubject"]["idNumber"]
        masked["credentialSubject"]["idNumber"] = "*" * 14 + number[-4:]
    return masked


@pytest.mark.parametrize("record_type", TYPES)
def test_schema_is_valid_2020_12_with_stable_id(record_type: str) -> None:
    schema = _schema(record_type)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"urn:yrd-talent:schema:{record_type}:v1"
    assert {"supersedes", "electronicLicenceId", "credentialStatus"} <= set(schema["properties"])


@pytest.mark.parametrize("record_type", TYPES)
def test_examples_validate_as_requests_and_as_issued(record_type: str) -> None:
    for example in _schema(record_type)["examples"]:
        assert example["type"] == ["VerifiableCredential", record_type]
        assert _problems(record_type, example) == set()
        assert _problems(record_type, _masked(example)) == set()


def test_examples_are_the_demo_requests() -> None:
    records = {record.key: record.credential for record in demo_talent.talent_records("X")}
    assert _example(PERMIT) == records[demo_talent.PRINCIPAL_PERMIT_KEY]
    assert _example(PERMIT, 1) == records["qingpu-becker-dependant"]
    assert _example(LETTER) == records["committee-martin-letter"]
    assert _example(POSTDOC) == records["postdoc-lin-in-station"]


@pytest.mark.parametrize("record_type", TYPES)
def test_enums_equal_the_code_lists(record_type: str) -> None:
    properties = _block(record_type)["properties"]
    for field, list_name in ENUMS[record_type].items():
        assert properties[field]["enum"] == list(code_list(list_name).codes), field


def test_dependant_relations_equal_the_code_list() -> None:
    dependant = _block(LETTER)["properties"]["dependants"]["items"]
    assert dependant["properties"]["relation"]["enum"] == list(code_list("family-relations").codes)


@pytest.mark.parametrize(
    ("record_type", "change", "expected"),
    [
        (PERMIT, lambda b: b.pop("principalRecord"), None),
        (PERMIT, lambda b: b.update(role="主证"), "not"),
        (PERMIT, lambda b: b.update(category="B"), "enum"),
        (PERMIT, lambda b: b.update(validUntil="2031-02-30"), "format"),
        (POSTDOC, lambda b: b.update(state="出站"), "required"),
        (POSTDOC, lambda b: b.update(exitDate="2026-08-31"), "not"),
        (POSTDOC, lambda b: b.update(branch="站" * 13), "maxLength"),
        (POSTDOC, lambda b: b.update(supervisors=[]), "minItems"),
        (LETTER, lambda b: b["dependants"][1].pop("birthDate"), "required"),
        (LETTER, lambda b: b.update(letterNumber=" 推荐"), "pattern"),
    ],
    ids=[
        "dependant-without-principal",
        "principal-with-principal-record",
        "unknown-category",
        "impossible-date",
        "left-without-exit-date",
        "in-station-with-exit-date",
        "long-branch",
        "no-supervisor",
        "child-without-birth-date",
        "padded-letter-number",
    ],
)
def test_conditional_and_bounded_fields(record_type, change, expected) -> None:
    position = 1 if record_type == PERMIT else 0
    document = _example(record_type, position)
    change(document["credentialSubject"][RECORD_TYPES[record_type].subject_key])
    rules = {rule for _, rule in _problems(record_type, document)}
    if expected is None:  # a dependant without the principal's record
        assert "required" in rules
    else:
        assert expected in rules


def test_a_holder_needs_an_id_number_or_a_passport() -> None:
    document = _example(PERMIT)
    del document["credentialSubject"]["passport"]
    assert ("/credentialSubject", "anyOf") in _problems(PERMIT, document)
    letter = _example(LETTER)
    del letter["credentialSubject"]["passport"]
    assert ("/credentialSubject", "required") in _problems(LETTER, letter)


@pytest.mark.parametrize("record_type", [PERMIT, LETTER])
def test_the_credential_validity_is_required_where_the_document_expires(record_type) -> None:
    document = _example(record_type)
    del document["validUntil"]
    assert ("/", "required") in _problems(record_type, document)


def _context() -> dict[str, Any]:
    path = schemas_dir() / "context" / "v1.jsonld"
    context: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["@context"]
    return context


def _iri(definition: Any) -> str:
    return definition if isinstance(definition, str) else str(definition["@id"])


def _terms_defined(schema_node: dict[str, Any], scope: dict[str, Any], where: str) -> None:
    """Every property under ``schema_node`` is a term of ``scope`` (or of the VC context),
    recursively through scoped contexts."""
    for name, node in schema_node.get("properties", {}).items():
        if name == "name":
            continue  # from the VC v2 context
        assert name in scope, f"{where}/{name}"
        assert _iri(scope[name]).startswith(VOCABULARY), f"{where}/{name}"
        child = node.get("items", node) if node.get("type") == "array" else node
        if "$ref" in child:
            continue
        if child.get("type") == "object" or "properties" in child:
            inner = scope[name].get("@context", {}) if isinstance(scope[name], dict) else {}
            assert inner.get("@protected") is True, f"{where}/{name}"
            _terms_defined(child, {**scope, **inner}, f"{where}/{name}")


@pytest.mark.parametrize("record_type", TYPES)
def test_context_defines_every_term_the_schema_uses(record_type: str) -> None:
    context = _context()
    assert _iri(context[record_type]) == VOCABULARY + record_type
    for term in ("supersedes", "electronicLicenceId"):
        assert _iri(context[term]).startswith(VOCABULARY)
    subject = _schema(record_type)["properties"]["credentialSubject"]
    _terms_defined(subject, context, "/credentialSubject")
    passport = context["passport"]["@context"]
    assert {"number", "issuingCountry"} <= set(passport)

"""The OpenAPI document types credential bodies: each record type's JSON Schema is a
component, the issuance request's credential is one of them, every ``$ref`` resolves
inside the document, and the schema accepts each type's example and refuses broken ones."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from litestar.serialization import encode_json

from registry.core.records.schemas import schema_document
from registry.core.recordtypes import RECORD_TYPES
from registry.http.app import create_app
from tests.support.fixtures import make_settings

COMPONENTS = "#/components/schemas/"
BODIES = {
    "/credentials/issue": "IssueRequest",
    "/credentials/issue/batch": "IssueBatchRequest",
    "/credentials/{record_id}/amend": "AmendRequest",
}


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The app's OpenAPI document as served (the app is built, never started)."""
    data = tmp_path_factory.mktemp("openapi")
    app = create_app(make_settings(str(data), f"sqlite:///{data / 'registry.db'}"))
    found: dict[str, Any] = json.loads(encode_json(app.openapi_schema.to_schema()))
    return found


def _validator(document: dict[str, Any], component: str) -> Draft202012Validator:
    """A validator of one component, its references read inside the document itself."""
    root = {**document, "$ref": COMPONENTS + component}
    return Draft202012Validator(root, format_checker=FormatChecker())


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _examples() -> list[tuple[str, dict[str, Any]]]:
    return [
        (record_type, example)
        for record_type in RECORD_TYPES
        for example in schema_document(record_type)["examples"]
    ]


def test_every_reference_resolves_inside_the_document(document):
    schemas = document["components"]["schemas"]
    refs = set(_refs(document))
    assert refs, "the document has references"
    for ref in refs:
        assert ref.startswith(COMPONENTS), ref
        assert ref.removeprefix(COMPONENTS) in schemas, ref


def test_each_record_type_is_a_component_with_its_examples(document):
    schemas = document["components"]["schemas"]
    request = schemas["CredentialRequest"]
    assert request["oneOf"] == [{"$ref": COMPONENTS + name} for name in RECORD_TYPES]
    for record_type in RECORD_TYPES:
        assert schemas[record_type]["examples"] == schema_document(record_type)["examples"]


@pytest.mark.parametrize(("path", "component"), BODIES.items())
def test_the_credential_bodies_are_typed(document, path, component):
    operation = document["paths"][path]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": COMPONENTS + component}
    properties = document["components"]["schemas"][component]["properties"]
    credential = properties.get("credential") or properties["credentials"]["items"]
    assert credential == {"allOf": [{"$ref": COMPONENTS + "CredentialRequest"}]}


@pytest.mark.parametrize(("record_type", "example"), _examples())
def test_the_issuance_schema_accepts_each_types_example(document, record_type, example):
    validator = _validator(document, "IssueRequest")
    errors = list(validator.iter_errors({"credential": example}))
    assert not errors, (record_type, [e.message for e in errors])
    batch = {"sessionKey": "s-1", "credentials": [example]}
    assert not list(_validator(document, "IssueBatchRequest").iter_errors(batch))
    assert not list(_validator(document, "AmendRequest").iter_errors({"credential": example}))


def _broken(example: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The example wrong in one way each."""
    cases = []
    no_subject = copy.deepcopy(example)
    del no_subject["credentialSubject"]
    cases.append(("no subject", no_subject))
    unknown = copy.deepcopy(example)
    unknown["credentialSubject"]["favouriteColour"] = "blue"
    cases.append(("unknown subject field", unknown))
    other_type = copy.deepcopy(example)
    other_type["type"] = ["VerifiableCredential", "NoSuchCredential"]
    cases.append(("unknown type", other_type))
    bad_id = copy.deepcopy(example)
    bad_id["credentialSubject"]["idNumber"] = "12345"
    cases.append(("short ID number", bad_id))
    return cases


@pytest.mark.parametrize(("record_type", "example"), _examples())
def test_the_issuance_schema_refuses_a_broken_credential(document, record_type, example):
    validator = _validator(document, "IssueRequest")
    for case, broken in _broken(example):
        if case == "short ID number" and "idNumber" not in example["credentialSubject"]:
            continue
        assert list(validator.iter_errors({"credential": broken})), (record_type, case)
    assert list(validator.iter_errors({})), "the credential is required"


def test_request_bodies_that_refuse_unknown_fields_say_so(document):
    """A generator that adds a field the API refuses would only ever get 400s."""
    schemas = document["components"]["schemas"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                continue
            component = schemas[schema["$ref"].removeprefix(COMPONENTS)]
            assert component["additionalProperties"] is False, (method, path)

"""The published title schemas, their examples, their enums and the JSON-LD context."""

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from registry.core.codes import code_list
from registry.core.people.identifiers import parse_resident_id, parse_uscc
from registry.core.resources import schemas_dir

TITLE = "ProfessionalTitleCredential"
JOINT = "JointTitleCredential"
RECORD_TYPES = (TITLE, JOINT)
ENUM_LISTS = {
    "series": "title-series",
    "specialty": "specialties",
    "level": "title-levels",
    "titleName": "title-names",
    "obtainedBy": "obtained-by",
}
VOCABULARY = "https://w3id.org/yrd-talent#"


def _schema(record_type: str) -> dict[str, Any]:
    path = schemas_dir() / record_type / "v1.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _validator(record_type: str) -> Draft202012Validator:
    return Draft202012Validator(_schema(record_type), format_checker=FormatChecker())


def _pointers(record_type: str, document: dict[str, Any]) -> set[tuple[str, str]]:
    """(JSON pointer, failed rule) for every error in ``document``."""
    found = set()
    for error in _validator(record_type).iter_errors(document):
        parts = [str(part).replace("~", "~0").replace("/", "~1") for part in error.absolute_path]
        found.add(("/" + "/".join(parts) if parts else "", str(error.validator)))
    return found


def _title_properties(record_type: str) -> dict[str, Any]:
    subject = _schema(record_type)["properties"]["credentialSubject"]
    return subject["properties"]["professionalTitle"]["properties"]


def _request(record_type: str) -> dict[str, Any]:
    return copy.deepcopy(_schema(record_type)["examples"][0])


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_schema_is_valid_2020_12_with_stable_id(record_type: str) -> None:
    schema = _schema(record_type)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:yrd-talent:schema:{record_type}:v1"


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_examples_validate_in_request_and_issued_form(record_type: str) -> None:
    examples = _schema(record_type)["examples"]
    forms = set()
    for example in examples:
        assert _pointers(record_type, example) == set()
        assert example["type"] == ["VerifiableCredential", record_type]
        id_number = example["credentialSubject"]["idNumber"]
        forms.add("masked" if "*" in id_number else "full")
        if "*" not in id_number:
            parse_resident_id(id_number)
    assert forms == {"full", "masked"}


def test_joint_example_names_a_valid_committee_code() -> None:
    title = _request(JOINT)["credentialSubject"]["professionalTitle"]
    assert parse_uscc(title["jointCommittee"]) == title["jointCommittee"]


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_enums_equal_the_code_lists(record_type: str) -> None:
    properties = _title_properties(record_type)
    for field, list_name in ENUM_LISTS.items():
        assert properties[field]["enum"] == list(code_list(list_name).codes), field


def test_review_regions_are_the_zone_divisions() -> None:
    regions = _title_properties(JOINT)["reviewRegions"]["items"]["enum"]
    assert regions == ["310118", "320509", "330421"]
    assert all(region in code_list("divisions") for region in regions)


def test_joint_fields_are_forbidden_in_a_plain_title() -> None:
    joint_only = set(_title_properties(JOINT)) - set(_title_properties(TITLE))
    assert joint_only == {"jointCommittee", "reviewRegions", "reviewSession"}
    document = _request(TITLE)
    document["credentialSubject"]["professionalTitle"]["jointCommittee"] = "11320509MB0000091M"
    assert _pointers(TITLE, document) == {
        ("/credentialSubject/professionalTitle", "additionalProperties")
    }


def _set(document: dict[str, Any], pointer: str, value: Any) -> None:
    *parents, last = pointer.strip("/").split("/")
    target: Any = document
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if value is _DELETE:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


_DELETE = object()
_T = "/credentialSubject/professionalTitle"


@pytest.mark.parametrize(
    ("record_type", "pointer", "value", "expected"),
    [
        (TITLE, "/credentialSubject/idNumber", "12345", ("", "pattern")),
        (TITLE, "/credentialSubject/idNumber", "3101**********999", ("", "pattern")),
        (TITLE, "/credentialSubject/idNumber", "*" * 10 + "19999999", ("", "pattern")),
        (TITLE, "/credentialSubject/name", "", ("", "minLength")),
        (TITLE, "/credentialSubject/name", "张" * 65, ("", "maxLength")),
        (TITLE, f"{_T}/level", "高级", ("", "enum")),
        (TITLE, f"{_T}/specialty", "炼丹", ("", "enum")),
        (TITLE, f"{_T}/obtainedOn", "2023-13-01", ("", "pattern")),
        (TITLE, f"{_T}/employer", "厂" * 129, ("", "maxLength")),
        (TITLE, "/type/1", JOINT, ("", "const")),
        (
            TITLE,
            "/credentialSubject/email",
            "a@example.org",
            ("/credentialSubject", "additionalProperties"),
        ),
        (TITLE, "/proof", {}, ("/", "additionalProperties")),
        (TITLE, "/validFrom", "yesterday", ("", "pattern")),
        (TITLE, f"{_T}/series", _DELETE, (_T, "required")),
        (JOINT, f"{_T}/reviewRegions", ["310118"], ("", "minItems")),
        (JOINT, f"{_T}/reviewRegions", ["310118", "310118"], ("", "uniqueItems")),
        (JOINT, f"{_T}/reviewRegions/1", "440100", ("", "enum")),
        (JOINT, f"{_T}/jointCommittee", "11320509MB000009IM", ("", "pattern")),
        (JOINT, f"{_T}/reviewSession/batch", 0, ("", "minimum")),
        (JOINT, f"{_T}/jointCommittee", _DELETE, (_T, "required")),
    ],
)
def test_invalid_documents_fail_at_the_bad_field(
    record_type: str, pointer: str, value: Any, expected: tuple[str, str]
) -> None:
    document = _request(record_type)
    _set(document, pointer, value)
    where, rule = expected
    where = where or pointer
    if where == "/":
        where = ""
    assert (where, rule) in _pointers(record_type, document)


@pytest.mark.parametrize(
    "masked",
    [
        "*" * 14 + "999X",  # the masking rule since issue 13: the last four only
        "3101" + "*" * 10 + "9999",  # signed under the earlier rule: still a valid record
    ],
)
def test_both_masked_forms_of_an_issued_id_number_validate(masked: str) -> None:
    document = _request(TITLE)
    document["credentialSubject"]["idNumber"] = masked
    assert _pointers(TITLE, document) == set()


def test_context_array_must_start_with_vc_v2() -> None:
    document = _request(TITLE)
    document["@context"] = ["https://example.org/other", "https://www.w3.org/ns/credentials/v2"]
    assert ("/@context/0", "const") in _pointers(TITLE, document)
    document["@context"] = ["https://www.w3.org/ns/credentials/v2", "https://example.org/c/v1"]
    assert _pointers(TITLE, document) == set()


def _context() -> dict[str, Any]:
    path = schemas_dir() / "context" / "v1.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


def _iri(definition: Any) -> str:
    return definition if isinstance(definition, str) else definition["@id"]


def test_context_defines_every_term_the_schemas_use() -> None:
    context = _context()
    assert context["@protected"] is True
    for record_type in RECORD_TYPES:
        assert _iri(context[record_type]) == VOCABULARY + record_type
        subject = _schema(record_type)["properties"]["credentialSubject"]["properties"]
        for term in set(subject) - {"name"}:  # name comes from the VC v2 context
            assert _iri(context[term]).startswith(VOCABULARY), term
        scoped = context["professionalTitle"]["@context"]
        assert scoped["@protected"] is True
        for term in _title_properties(record_type):
            assert _iri(scoped[term]).startswith(VOCABULARY), term
    session = context["professionalTitle"]["@context"]["reviewSession"]["@context"]
    assert {"year", "batch"} <= set(session)
    assert "name" not in context  # redefining a protected VC v2 term would break processing


def test_a_record_types_validator_is_built_once_whatever_the_number_of_checks(monkeypatch):
    """Both validators of a type (the compiled validity check and the one naming the
    problems) are built on first use and kept."""
    from registry.core.records import schemas

    built: list[str] = []
    real = schemas.Draft202012Validator
    real_fast = schemas.jsonschema_rs.Draft202012Validator

    def counting(schema: dict[str, Any], **kwargs: Any) -> Draft202012Validator:
        built.append(schema.get("$id", "?"))
        return real(schema, **kwargs)

    def counting_fast(schema: dict[str, Any], **kwargs: Any) -> Any:
        built.append("fast " + schema.get("$id", "?"))
        return real_fast(schema, **kwargs)

    monkeypatch.setattr(schemas, "Draft202012Validator", counting)
    monkeypatch.setattr(schemas.jsonschema_rs, "Draft202012Validator", counting_fast)
    schemas._validator.cache_clear()
    schemas._fast_validator.cache_clear()
    try:
        example = _schema(TITLE)["examples"][0]
        for _ in range(3):
            schemas.require_schema(TITLE, example)
            assert schemas.schema_problems(TITLE, {**example, "unexpected": 1})
            assert schemas.schema_problems(JOINT, {})
    finally:
        schemas._validator.cache_clear()
        schemas._fast_validator.cache_clear()
    assert len(built) == 4
    assert len(set(built)) == 4

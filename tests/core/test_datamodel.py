"""The VCDM 2.0 data-model checks (registry/core/verification/datamodel.py), unit by unit.

The MUST-by-MUST walk is tests/conformance/test_vcdm2_verifier.py; this file pins the
helpers and the shape of the checks.
"""

from __future__ import annotations

import copy

import pytest

from registry.core.checks import MESSAGES, Outcome
from registry.core.verification.datamodel import (
    CHECK_NAME,
    check_data_model,
    is_datetime_stamp,
    is_url,
    pointer,
)
from tests.support.vectors_dataintegrity import rdfc_suite

VECTOR = rdfc_suite()
OWN = "https://registry.example/contexts/v1"


@pytest.mark.parametrize(
    "value",
    [
        "https://vc.example/a",
        "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "did:key:z6Mk",
        "a:b",
    ],
)
def test_urls(value: str) -> None:
    assert is_url(value)


@pytest.mark.parametrize(
    "value", ["fake-issuer", "", ":x", "https://a b", "https:", 7, None, ["a:b"]]
)
def test_not_urls(value: object) -> None:
    assert not is_url(value)


@pytest.mark.parametrize(
    "value",
    [
        "2023-01-01T00:00:00Z",
        "2023-01-01T00:00:00.123+08:00",
        "2024-02-29T23:59:59-14:00",
        "12023-01-01T00:00:00Z",
        "-0044-03-15T12:00:00Z",
        "2023-01-01T24:00:00Z",
    ],
)
def test_datetime_stamps(value: str) -> None:
    assert is_datetime_stamp(value)


@pytest.mark.parametrize(
    "value",
    [
        "2023-01-01T00:00:00",
        "2023-01-01",
        "2023-01-01 00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2023-13-01T00:00:00Z",
        "2023-01-00T00:00:00Z",
        "2023-01-01T25:00:00Z",
        "2023-01-01T24:00:01Z",
        "2023-01-01T23:60:00Z",
        "2023-01-01T23:59:60Z",
        "2023-01-01T00:00:00+15:00",
        "0000-01-01T00:00:00Z",
        "２０２３-01-01T00:00:00Z",
        20230101,
    ],
)
def test_not_datetime_stamps(value: object) -> None:
    assert not is_datetime_stamp(value)


def test_pointers_escape_per_rfc_6901() -> None:
    assert pointer("credentialSubject", 0, "a/b", "c~d") == "/credentialSubject/0/a~1b/c~0d"
    assert pointer() == ""


def test_a_conforming_document_gets_one_passed_check() -> None:
    [only] = check_data_model(VECTOR.signed)
    assert (only.name, only.outcome, only.code) == (CHECK_NAME, Outcome.PASSED, "DATA_MODEL_VALID")


def test_every_failure_is_its_own_check_with_a_catalogued_message() -> None:
    document = copy.deepcopy(VECTOR.unsigned)
    document.update(issuer="fake-issuer", id="x", validFrom="soon", credentialSubject={})
    checks = check_data_model(document)
    assert [c.code for c in checks] == [
        "VC_ID_INVALID",
        "VC_ISSUER_INVALID",
        "VC_SUBJECT_NO_CLAIMS",
        "VC_VALID_FROM_INVALID",
    ]
    assert [c.detail["pointer"] for c in checks] == [
        "/id",
        "/issuer",
        "/credentialSubject",
        "/validFrom",
    ]
    for item in checks:
        assert item.name == CHECK_NAME and item.outcome == Outcome.FAILED
        assert (item.message_zh, item.message_en) == MESSAGES[item.code]


def test_a_document_that_is_not_an_object_fails_without_raising() -> None:
    assert [c.code for c in check_data_model([1, 2])] == ["VC_NOT_AN_OBJECT"]  # type: ignore[arg-type]


def test_vc_1_1_is_answered_alone() -> None:
    document = {**VECTOR.unsigned, "issuanceDate": "2023-01-01T00:00:00Z", "issuer": "x"}
    assert [c.code for c in check_data_model(document)] == ["VC_V1_UNSUPPORTED"]


def test_json_ld_is_not_run_on_a_broken_context() -> None:
    document = {**VECTOR.unsigned, "@context": [VECTOR.unsigned["@context"][0], 5]}
    assert [c.code for c in check_data_model(document)] == ["VC_CONTEXT_ENTRY_INVALID"]


def test_the_registrys_own_context_is_read_only_where_the_caller_says() -> None:
    document = copy.deepcopy(VECTOR.unsigned)
    document["@context"] = [*document["@context"], OWN]
    assert [c.code for c in check_data_model(document)] == ["JSONLD_CONTEXT_UNKNOWN"]
    assert [c.code for c in check_data_model(document, OWN.__eq__)] == ["DATA_MODEL_VALID"]


def test_unknown_context_names_the_url() -> None:
    document = {
        **VECTOR.unsigned,
        "@context": [*VECTOR.unsigned["@context"], "https://x.example/c"],
    }
    [failure] = check_data_model(document)
    assert "https://x.example/c" in failure.detail["reason"]


def test_an_undefined_type_deep_in_the_document_is_named() -> None:
    document = copy.deepcopy(VECTOR.unsigned)
    document["@context"] = [document["@context"][0]]
    document["type"] = ["VerifiableCredential"]
    document["credentialSubject"] = {"name": "J", "type": ["Person"]}
    [failure] = check_data_model(document)
    assert failure.code == "VC_TERM_UNDEFINED"
    assert failure.detail["pointers"] == ["/credentialSubject/type/0"]

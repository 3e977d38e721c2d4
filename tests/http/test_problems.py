"""``registry.http.problems``: one table from error kinds to statuses, and problem bodies
that carry a code and both languages but never a stack trace or a submitted value."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import pytest
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    TooManyRequestsException,
    ValidationException,
)

from registry.core.errors import ErrorKind, FieldProblem, RegistryError
from registry.demo.data import DEMO_PEOPLE
from registry.http.problems import (
    PROBLEM_JSON,
    STATUS_OF_KIND,
    http_error_handler,
    internal_error_handler,
    problem,
    registry_error_handler,
)
from tests.support.api_checks import assert_problem

REQUEST = SimpleNamespace(method="POST", url=SimpleNamespace(path="/credentials/issue"))


def _body(response) -> dict:
    assert response.media_type == PROBLEM_JSON
    return response.content


def test_problem_body_has_every_member():
    response = problem(422, "SOME_CODE", "中文说明", "English text")
    assert response.status_code == 422
    assert _body(response) == {
        "type": "https://w3id.org/yrd-talent/errors#SOME_CODE",
        "title": "English text",
        "status": 422,
        "code": "SOME_CODE",
        "detail": "中文说明 / English text",
        "message": {"zh": "中文说明", "en": "English text"},
    }


def test_problem_body_lists_field_errors_only_when_there_are_some():
    errors = [{"pointer": "/a", "code": "X", "message": {"zh": "甲", "en": "a"}}]
    assert _body(problem(400, "C", "中", "e", errors=errors))["errors"] == errors
    assert "errors" not in _body(problem(400, "C", "中", "e", errors=[]))


def test_every_error_kind_has_a_status():
    assert set(STATUS_OF_KIND) == set(ErrorKind)
    assert STATUS_OF_KIND[ErrorKind.MALFORMED] == 400
    assert STATUS_OF_KIND[ErrorKind.INVALID] == 422
    assert STATUS_OF_KIND[ErrorKind.UNAUTHENTICATED] == 401
    assert STATUS_OF_KIND[ErrorKind.FORBIDDEN] == 403
    assert STATUS_OF_KIND[ErrorKind.NOT_FOUND] == 404
    assert STATUS_OF_KIND[ErrorKind.CONFLICT] == 409
    assert STATUS_OF_KIND[ErrorKind.TOO_LARGE] == 413
    assert STATUS_OF_KIND[ErrorKind.UNAVAILABLE] == 503


@pytest.mark.parametrize("kind", list(ErrorKind), ids=lambda k: k.value)
def test_registry_errors_map_by_kind(kind):
    error = RegistryError(
        "FIELD_BAD",
        "字段错误",
        "bad field",
        kind,
        (FieldProblem("/credential/x", "FIELD_BAD", "字段错误", "bad field"),),
    )
    response = registry_error_handler(REQUEST, error)
    assert response.status_code == STATUS_OF_KIND[kind]
    body = _body(response)
    assert body["code"] == "FIELD_BAD"
    assert body["message"] == {"zh": "字段错误", "en": "bad field"}
    assert body["errors"] == [
        {
            "pointer": "/credential/x",
            "code": "FIELD_BAD",
            "message": {"zh": "字段错误", "en": "bad field"},
        }
    ]


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (NotFoundException(), 404, "NOT_FOUND"),
        (MethodNotAllowedException(), 405, "METHOD_NOT_ALLOWED"),
        (TooManyRequestsException(), 429, "RATE_LIMITED"),
        (HTTPException(status_code=413), 413, "BODY_TOO_LARGE"),
        (HTTPException(status_code=415), 415, "MEDIA_TYPE_UNSUPPORTED"),
        (HTTPException(status_code=418), 418, "HTTP_ERROR"),
        (HTTPException(status_code=400, detail="Malformed JSON body"), 400, "MALFORMED_JSON"),
        (HTTPException(status_code=400, detail="something else"), 400, "REQUEST_INVALID"),
    ],
    ids=["404", "405", "429", "413", "415", "418", "json", "400"],
)
def test_framework_errors_map_to_stable_codes(error, status, code):
    response = http_error_handler(REQUEST, error)
    assert response.status_code == status
    body = _body(response)
    assert body["code"] == code
    assert body["message"]["zh"]
    assert body["message"]["en"]


def test_validation_errors_become_json_pointers():
    error = ValidationException(
        extra=[
            {"key": "data", "message": "Object contains unknown field `foo` - at `$.options`"},
            {"key": "", "message": "Expected `str`, got `int` - at `$.credentials[2].name`"},
            {"key": "data", "message": "'data'"},
        ]
    )
    body = _body(http_error_handler(REQUEST, error))
    assert body["code"] == "REQUEST_INVALID"
    assert [(e["pointer"], e["message"]["en"]) for e in body["errors"]] == [
        ("/options", "Object contains unknown field `foo`"),
        ("/credentials/2/name", "Expected `str`, got `int`"),
        ("", "request body required"),
    ]
    assert {e["code"] for e in body["errors"]} == {"FIELD_INVALID"}


def test_internal_errors_reveal_nothing(caplog):
    secret = DEMO_PEOPLE[0].id_number
    caplog.set_level(logging.DEBUG)
    response = internal_error_handler(REQUEST, ValueError(f"bad number {secret}"))
    assert response.status_code == 500
    body = _body(response)
    assert body["code"] == "INTERNAL_ERROR"
    assert secret not in json.dumps(body)
    assert "ValueError" in caplog.text
    assert "/credentials/issue" in caplog.text
    assert secret not in caplog.text


def test_wrong_method_is_a_problem(client):
    assert_problem(client.delete("/api/v1/issuers"), 405, "METHOD_NOT_ALLOWED")
    assert_problem(client.get("/credentials/issue"), 405, "METHOD_NOT_ALLOWED")


def test_match_is_rate_limited_with_a_problem(client, demo):
    body = {"record": demo.records[0], "idNumber": DEMO_PEOPLE[0].id_number}
    answers = [client.post("/api/v1/verify/match", json=body).status_code for _ in range(20)]
    assert answers == [200] * 20
    assert_problem(client.post("/api/v1/verify/match", json=body), 429, "RATE_LIMITED")


def test_rate_limited_answer_says_when_to_retry(client, demo):
    body = {"record": demo.records[0], "idNumber": DEMO_PEOPLE[0].id_number}
    for _ in range(20):
        client.post("/api/v1/verify/match", json=body)
    response = client.post("/api/v1/verify/match", json=body)
    assert response.status_code == 429
    assert "retry-after" in response.headers or "ratelimit-reset" in response.headers


def test_unauthenticated_answer_names_the_bearer_scheme(client, demo):
    response = client.get(f"/api/v1/credentials/{demo.records[0]}")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].lower().startswith("bearer")

"""The OpenAPI description of the partner API lists, for each operation, exactly the codes a
partner can act on, with their meaning in Chinese and English, and only real codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from registry.core.checks import MESSAGES
from registry.http.problems import HTTP_CODES

REGISTRY = Path(__file__).resolve().parents[2] / "registry"
CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
LITERAL = re.compile(r"""["']([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)["']""")
PARTNER_VERIFY = ("/api/v1/verify", "/api/v1/verify/batch")
# What a partner can act on in an answer: unknown issuer, out of scope, stale or expired
# trust list, key windows and compromise, and recognition (or why not).
ACTIONABLE = (
    "ISSUER_UNKNOWN",
    "ISSUER_OUT_OF_SCOPE",
    "TRUST_LIST_STALE",
    "TRUST_LIST_EXPIRED",
    "KEY_COMPROMISED",
    "KEY_COMPROMISED_LATER",
    "KEY_NOT_YET_VALID",
    "KEY_EXPIRED",
    "RECOGNITION_NATIVE",
    "RECOGNITION_AGREEMENT",
    "RECOGNITION_NO_AGREEMENT",
    "RECOGNITION_OUT_OF_SCOPE",
    "RECOGNITION_NOT_YET_IN_FORCE",
    "RECOGNITION_AGREEMENT_EXPIRED",
)
# Codes that are words of the API rather than errors (headers, field names).
NOT_CODES = {"RATE_LIMIT"}


def defined_codes() -> set[str]:
    """Every check code, and every UPPER_SNAKE string literal in the registry's source."""
    found = set(MESSAGES) | {code for code, _, _ in HTTP_CODES.values()}
    for source in REGISTRY.rglob("*.py"):
        found |= set(LITERAL.findall(source.read_text(encoding="utf-8")))
    return found


@pytest.fixture
def paths(client):
    return client.get("/schema/openapi.json").json()["paths"]


@pytest.mark.parametrize("path", PARTNER_VERIFY)
def test_each_actionable_code_is_documented_with_its_meaning(paths, path):
    description = paths[path]["post"]["description"]
    for code in ACTIONABLE:
        zh, en = MESSAGES[code]
        line = next((x for x in description.splitlines() if f"`{code}`" in x), None)
        assert line is not None, (path, code)
        assert zh in line and en in line, (path, code)


@pytest.mark.parametrize("path", PARTNER_VERIFY)
def test_the_partner_errors_are_documented_per_status(paths, path):
    responses = paths[path]["post"]["responses"]
    assert {"400", "401", "403", "413", "422", "429"} <= set(responses)
    assert set(CODE.findall(responses["403"]["description"])) == {
        "ROLE_FORBIDDEN",
        "REGION_MISMATCH",
    }
    problems_422 = set(CODE.findall(responses["422"]["description"]))
    assert {"PURPOSE_REQUIRED", "REGION_UNKNOWN"} <= problems_422
    # nothing an issuer or an admin call gives
    assert not problems_422 & {"CREDENTIAL_SCHEMA_INVALID", "SCOPE_DATES_INVALID", "USCC_INVALID"}
    assert "RATE_LIMITED" in responses["429"]["description"]


def test_the_single_verify_documents_its_not_valid_answer(paths):
    response = paths["/api/v1/verify"]["post"]["responses"]["422"]
    assert "verified: false" in response["description"]
    assert "application/json" in response["content"]
    assert (
        "BATCH_TOO_LARGE" not in paths["/api/v1/verify"]["post"]["responses"]["413"]["description"]
    )
    scan = paths["/api/v1/scan"]["post"]["responses"]["422"]["description"]
    assert "TRUST_LIST_EXPIRED" in scan
    assert "REGION_UNKNOWN" in scan  # the page may name the employer's region
    assert "RECOGNITION_NOT_ASKED" in scan  # and without one recognition is not asked


@pytest.mark.parametrize(
    "path", [*PARTNER_VERIFY, "/api/v1/scan", "/api/v1/continuing-education/totals"]
)
def test_every_code_listed_is_a_real_code(paths, path):
    operation = paths[path]["post"]
    texts = [operation.get("description", "")]
    texts += [response["description"] for response in operation["responses"].values()]
    listed = {code for text in texts for code in CODE.findall(text)} - NOT_CODES
    assert listed, path
    unknown = listed - defined_codes()
    assert not unknown, (path, sorted(unknown))

"""Schemathesis over the app's own OpenAPI document, in process, on every store.

Every operation gets a few generated requests (with the token of the role it is for);
each answer must not be a 5xx, and its status, content type and body must be the ones the
document declares (``not_a_server_error``, ``status_code_conformance``,
``content_type_conformance``, ``response_schema_conformance``). Bounded and deterministic:
``derandomize``, no example database, no shrinking, a few examples per operation.

``KNOWN_DEFECTS`` lists the (operation, check) failures of issue 16 that are being fixed
in parallel (the API description and the 500s). While one of them still fails, and nothing
else does, the test is an expected failure naming them; any other failure fails it. Remove
an entry once its fix is merged.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.api_checks import reset_rate_limits
from tests.support.fixtures import bearer

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 8
ISSUER = "issuer:11320509MB0000001C"

_UNDOCUMENTED_STATUS = "issue 16, API description (wt-h2): an answer's status is not documented"
_INTEGER_RANGE = "issue 16 defect 4 (wt-h1): an id past the column's range is a 500 (OverflowError)"
# (METHOD path, failure class) → the issue-16 defect it is (found by this test, both stores).
KNOWN_DEFECTS: dict[tuple[str, str], str] = {
    ("GET /api/v1/credentials/{record_id}/qr", "UndefinedStatusCode"): _UNDOCUMENTED_STATUS,
    ("GET /api/v1/credentials/{record_id}/qr.png", "UndefinedStatusCode"): _UNDOCUMENTED_STATUS,
    ("GET /api/v1/credentials/{record_id}/qr.svg", "UndefinedStatusCode"): _UNDOCUMENTED_STATUS,
    ("GET /issuers/{uscc}", "UndefinedStatusCode"): _UNDOCUMENTED_STATUS,
    ("GET /schemas/{record_type}/{file_name}", "UndefinedStatusCode"): _UNDOCUMENTED_STATUS,
    ("POST /credentials/verify", "UndefinedStatusCode"): _UNDOCUMENTED_STATUS,
    ("POST /api/v1/scan", "UndefinedStatusCode"): _UNDOCUMENTED_STATUS,
    ("POST /api/v1/admin/scopes/{scope_id}/end", "ServerError"): _INTEGER_RANGE,
    ("POST /api/v1/admin/scopes/{scope_id}/end", "UndefinedStatusCode"): _INTEGER_RANGE,
    ("GET /contexts/v1", "UndefinedContentType"): "issue 16 (wt-h2): application/ld+json",
    ("GET /holder/{token}", "UndefinedContentType"): "issue 16 (wt-h2): 404 answered as HTML",
    ("POST /api/v1/verify", "UndefinedContentType"): "issue 16 (wt-h2): 422 problem+json",
}


def _token_for(demo, path: str) -> dict[str, str]:
    if path.startswith(("/api/v1/admin", "/log")):
        return bearer(demo.tokens["admin"])
    if path.startswith(("/api/v1/verify", "/api/v1/continuing-education")):
        return bearer(demo.tokens["partner:320509"])
    if path.startswith(("/credentials", "/api/v1/catalogues")):
        return bearer(demo.tokens[ISSUER])
    return {}


def _failures(error: BaseException) -> list[Failure]:
    if isinstance(error, FailureGroup):
        return [f for e in error.exceptions for f in _failures(e)]
    return [error] if isinstance(error, Failure) else []


@pytest.mark.skip(
    reason="unfinished (issue 16): validating one generated multipart upload raises "
    "AttributeError inside schemathesis ('int' has no 'read'); the harness must skip it first"
)
def test_every_operation_answers_as_documented(client, demo):
    started = time.monotonic()
    # The app's own document, fetched in process; requests go through the same test client.
    schema = schemathesis.openapi.from_dict(client.get("/schema/openapi.json").json())
    found: dict[tuple[str, str], str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:
        _fuzz(operation, client, demo, found)
    elapsed = time.monotonic() - started
    unknown = {k: v for k, v in found.items() if k not in KNOWN_DEFECTS}
    report = "\n".join(f"{op} [{kind}]: {text}" for (op, kind), text in sorted(found.items()))
    assert not unknown, f"{len(unknown)} failure(s) in {elapsed:.0f} s:\n{report}"
    if found:
        pytest.xfail(f"issue 16 defects being fixed: {sorted(found)}")


def _fuzz(operation: Any, client: Any, demo: Any, found: dict[tuple[str, str], str]) -> None:
    """A few generated requests to one operation; each failure recorded once by check."""
    label = f"{operation.method.upper()} {operation.path}"
    headers = _token_for(demo, operation.path)

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def call(case: Any) -> None:
        reset_rate_limits(client)
        kwargs = case.as_transport_kwargs(base_url=str(client.base_url), headers=headers)
        kwargs.pop("cookies", None)  # the API documents no cookies; httpx deprecates them
        try:
            response = client.request(**kwargs)
        except (AttributeError, TypeError):  # a generated multipart "file" that is no file
            reject()
        response.request.read()  # schemathesis reads the request body back
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        call()
    except Unsatisfiable:
        pass
    except (Failure, FailureGroup) as error:
        for failure in _failures(error) or [error]:
            found.setdefault((label, type(failure).__name__), str(failure).split("\n")[0])

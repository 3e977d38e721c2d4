"""Schemathesis over the app's own OpenAPI document, in process, on every store.

Every operation gets a few generated requests (with the token of the role it is for);
each answer must not be a 5xx, and its status, content type and body must be the ones the
document declares (``not_a_server_error``, ``status_code_conformance``,
``content_type_conformance``, ``response_schema_conformance``). Bounded and deterministic:
``derandomize``, no example database, no shrinking, a few examples per operation.

Requests go through the suite's Litestar test client (an httpx client), so the privacy
guard of ``tests/support/fixtures.py`` sees every answer. Schemathesis serializes a case
for ``requests`` (``case.as_transport_kwargs``); ``_for_httpx`` turns that into the same
bytes on the wire for httpx (see its docstring for the multipart difference).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
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
EXAMPLES_PER_OPERATION = 5
ISSUER = "issuer:11320509MB0000001C"


def _token_for(demo, method: str, path: str) -> dict[str, str]:
    """The token of the role an operation is for, so generated bodies get past its guard."""
    if path.startswith(("/api/v1/admin", "/log")):
        return bearer(demo.tokens["admin"])
    if path.startswith("/api/v1/catalogues"):
        # Importing a catalogue version is for the admin; reading catalogues is public.
        return bearer(demo.tokens["admin"]) if method == "post" else {}
    if path.startswith(("/api/v1/verify", "/api/v1/continuing-education")):
        return bearer(demo.tokens["partner:320509"])
    if path.startswith(("/credentials", "/api/v1/credentials")):
        return bearer(demo.tokens[ISSUER])
    return {}


def _for_httpx(kwargs: dict[str, Any]) -> dict[str, Any]:
    """``requests`` keyword arguments from ``case.as_transport_kwargs`` as httpx ones.

    Form bodies are encoded by ``requests`` itself, exactly as schemathesis' own transport
    sends them. Passing ``files`` to httpx as is fails: a generated multipart field that
    is an integer (an extra property of ``CatalogueUpload``, which allows them) stays an
    ``int`` in the part tuple, which requests/urllib3 write as its decimal text but httpx
    tries to ``.read()`` (``AttributeError: 'int' object has no attribute 'read'``).
    Raw ``data`` bytes are httpx's ``content`` (``data=bytes`` is deprecated there).
    """
    kwargs = dict(kwargs)
    kwargs.pop("cookies", None)  # the API documents no cookies; httpx deprecates them
    files, data = kwargs.pop("files", None), kwargs.pop("data", None)
    if files is None and data is None:
        return kwargs
    headers = dict(kwargs.get("headers") or {})
    if files is not None or isinstance(data, Mapping):
        prepared = requests.PreparedRequest()
        prepared.prepare_headers(None)
        prepared.prepare_body(data, files)
        data = prepared.body
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = prepared.headers["Content-Type"]
    kwargs["headers"] = headers
    kwargs["content"] = data
    return kwargs


def _failures(error: BaseException) -> list[BaseException]:
    if isinstance(error, FailureGroup):
        return [f for e in error.exceptions for f in _failures(e)]
    return [error]


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
    report = "\n".join(f"{op} [{kind}]: {text}" for (op, kind), text in sorted(found.items()))
    assert not found, f"{len(found)} failure(s) in {elapsed:.0f} s:\n{report}"


def _fuzz(operation: Any, client: Any, demo: Any, found: dict[tuple[str, str], str]) -> None:
    """A few generated requests to one operation; each failure recorded once by check."""
    label = f"{operation.method.upper()} {operation.path}"
    headers = _token_for(demo, operation.method, operation.path)

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
        response = client.request(**_for_httpx(kwargs))
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        call()
    except (Failure, FailureGroup) as error:
        for failure in _failures(error):
            found.setdefault((label, type(failure).__name__), str(failure).split("\n")[0])

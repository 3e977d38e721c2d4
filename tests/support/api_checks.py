"""Assertions and small actions shared by the HTTP tests: problem bodies, row counts,
issuing a demo record, and clearing the rate limits between many requests."""

from __future__ import annotations

from typing import Any

from httpx import Response
from litestar.testing import TestClient
from sqlmodel import func, select

from registry.demo.data import DemoRecord
from registry.demo.seed import DemoSummary
from registry.http.ratelimit import COUNTERS_STATE, MemoryCounter
from registry.services.runtime.context import Registry
from registry.storage.tables import CredentialRow
from tests.support.fixtures import BASE_URL, bearer

PROBLEM_JSON = "application/problem+json"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
CHECK_NAMES = [
    "format",
    "signature",
    "proof_set",
    "issuer_known",
    "key_valid",
    "issuer_authorised",
    "schema",
    "validity",
    "status",
    "recognition",
]


def has_chinese(text: str) -> bool:
    """Whether the text holds at least one CJK ideograph."""
    return any("\u4e00" <= character <= "\u9fff" for character in text)


def assert_problem(response: Response, status: int, code: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status and code, in both languages."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["type"].endswith("#" + code)
    assert has_chinese(body["message"]["zh"])
    assert body["message"]["en"]
    assert body["message"]["en"].isascii()
    assert "Traceback" not in response.text
    return body


def assert_not_verified(response: Response) -> dict[str, Any]:
    """A 422 verification answer: not verified, with problem details for what failed."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["verified"] is False
    assert body["problemDetails"]
    assert [c["check"] for c in body["checks"] if c["outcome"] in ("failed", "unknown")] == [
        p["check"] for p in body["problemDetails"]
    ]
    return body


def check_of(answer: dict[str, Any], name: str) -> dict[str, Any]:
    """The one check of a verification answer with this name."""
    found = [c for c in answer["checks"] if c["check"] == name]
    assert len(found) == 1, answer["checks"]
    return found[0]


def credential_count(registry: Registry) -> int:
    """How many records the store holds."""
    with registry.reading() as session:
        return int(session.exec(select(func.count()).select_from(CredentialRow)).one())


def issuer_headers(demo: DemoSummary, uscc: str) -> dict[str, str]:
    """The Authorization header of a demo issuer's token."""
    return bearer(demo.tokens[f"issuer:{uscc}"])


def issue(
    client: TestClient,  # type: ignore[type-arg]
    demo: DemoSummary,
    record: DemoRecord,
    key: str | None = None,
) -> dict[str, Any]:
    """Issue a demo record with its own issuer's token; the 201 body."""
    body: dict[str, Any] = {"credential": record.issuance_request()}
    if key is not None:
        body["options"] = {"idempotencyKey": key}
    response = client.post(
        "/credentials/issue", json=body, headers=issuer_headers(demo, record.issuer_uscc)
    )
    assert response.status_code == 201, response.text
    issued: dict[str, Any] = response.json()
    return issued


def issuer_id(uscc: str) -> str:
    """An issuer's id as the registry under test mints it."""
    return f"{BASE_URL}/issuers/{uscc}"


def reset_rate_limits(client: TestClient) -> None:  # type: ignore[type-arg]
    """Forget every request counted so far, so a long run of requests is not throttled."""
    counters = client.app.state[COUNTERS_STATE]
    assert counters, "no rate-limit counters"
    for counter in counters.values():
        assert isinstance(counter, MemoryCounter)
        counter.clear()

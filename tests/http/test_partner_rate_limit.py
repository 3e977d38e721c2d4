"""Partner rate limits: per client token, in memory or shared through Redis."""

from __future__ import annotations

import socket
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from litestar.testing import TestClient

from registry.demo.data import LI_SIYUAN
from registry.http.app import create_app
from registry.http.ratelimit import COUNTERS_STATE, PARTNER_STORE, RedisCounter
from registry.services.access.tokens import create_token, list_tokens, revoke_token
from tests.support.api_checks import assert_problem
from tests.support.fixtures import bearer

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
LIMIT = 3
BODY = {"items": [], "purpose": "限流测试"}
TOTALS = "/api/v1/continuing-education/totals"


def redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def post(client, token: str):
    return client.post("/api/v1/verify/batch", json=BODY, headers=bearer(token))


def test_each_partner_client_has_its_own_limit(registry, demo, settings):
    limited = replace(settings, partner_rate_limit=LIMIT)
    other = create_token(registry, "partner", now=datetime.now(UTC), region="330421", name="second")
    with TestClient(app=create_app(limited, registry)) as client:
        token = demo.tokens["partner:330421"]
        answers = [post(client, token) for _ in range(LIMIT)]
        assert [a.status_code for a in answers] == [200] * LIMIT
        assert answers[0].headers["RateLimit-Limit"] == str(LIMIT)
        assert answers[-1].headers["RateLimit-Remaining"] == "0"
        refused = post(client, token)
        body = assert_problem(refused, 429, "RATE_LIMITED")
        assert body["message"]["zh"]
        assert int(refused.headers["RateLimit-Reset"]) > 0
        assert post(client, other).status_code == 200  # another client, another count
        # the single verify shares the client's limit; public scans are not limited here
        single = client.post(
            "/api/v1/verify", json={"qr": "RC1:X", "purpose": "核验"}, headers=bearer(token)
        )
        assert single.status_code == 429
        assert client.post("/api/v1/scan", json={"payload": "RC1:X"}).status_code == 422


@pytest.mark.skipif(not redis_reachable(), reason="Redis at 127.0.0.1:6379 is not reachable")
def test_two_app_instances_share_the_limit_through_redis(registry, demo, settings):
    shared = replace(
        settings, partner_rate_limit=LIMIT, redis_url=f"redis://{REDIS_HOST}:{REDIS_PORT}/0"
    )
    token = create_token(
        registry, "partner", now=datetime.now(UTC), region="320509", name=str(uuid.uuid4())
    )
    with (
        TestClient(app=create_app(shared, registry)) as first,
        TestClient(app=create_app(shared, registry)) as second,
    ):
        assert isinstance(first.app.state[COUNTERS_STATE][PARTNER_STORE], RedisCounter)
        assert [post(first, token).status_code for _ in range(2)] == [200, 200]
        assert post(second, token).status_code == 200
        assert_problem(post(second, token), 429, "RATE_LIMITED")
        assert_problem(post(first, token), 429, "RATE_LIMITED")


def test_hours_totals_count_against_the_client_limit(registry, demo, settings):
    limited = replace(settings, partner_rate_limit=LIMIT)
    hours = {"idNumber": LI_SIYUAN.id_number, "year": 2025, "purpose": "学时审核"}
    with TestClient(app=create_app(limited, registry)) as client:
        token = demo.tokens["partner:320509"]
        answers = [client.post(TOTALS, json=hours, headers=bearer(token)) for _ in range(LIMIT)]
        assert [a.status_code for a in answers] == [200] * LIMIT
        assert answers[0].headers["RateLimit-Limit"] == str(LIMIT)
        refused = client.post(TOTALS, json=hours, headers=bearer(token))
        assert_problem(refused, 429, "RATE_LIMITED")
        assert LI_SIYUAN.id_number not in refused.text
        # one count per client across the partner API: the batch is refused too
        assert_problem(post(client, token), 429, "RATE_LIMITED")
        spec = client.get("/schema/openapi.json").json()
        operation = spec["paths"][TOTALS]["post"]
        assert "RATE_LIMITED" in operation["responses"]["429"]["description"]
        assert "REGION_MISMATCH" in operation["responses"]["403"]["description"]


def spellings(token: str) -> list[dict[str, str]]:
    """One secret written as a client may write it; authentication accepts every one."""
    return [
        {"Authorization": f"{scheme}{gap}{token}"}
        for scheme in ("Bearer", "bearer", "BEARER", "bEaReR")
        for gap in (" ", "  ")
    ]


def test_one_token_is_one_client_however_its_header_is_written(registry, demo, settings):
    # security review, issue 13, finding 2: counts were kept per raw header
    limited = replace(settings, partner_rate_limit=LIMIT)
    with TestClient(app=create_app(limited, registry)) as client:
        token = demo.tokens["partner:330421"]
        assert [post(client, token).status_code for _ in range(LIMIT)] == [200] * LIMIT
        for headers in spellings(token):
            refused = client.post("/api/v1/verify/batch", json=BODY, headers=headers)
            assert_problem(refused, 429, "RATE_LIMITED")


def test_hours_totals_count_one_token_once_however_written(registry, demo, settings):
    limited = replace(settings, partner_rate_limit=LIMIT)
    hours = {"idNumber": LI_SIYUAN.id_number, "year": 2025, "purpose": "学时审核"}
    with TestClient(app=create_app(limited, registry)) as client:
        token = demo.tokens["partner:320509"]
        written = spellings(token)
        answers = [client.post(TOTALS, json=hours, headers=written[n]) for n in range(LIMIT)]
        assert [a.status_code for a in answers] == [200] * LIMIT
        for headers in written:
            refused = client.post(TOTALS, json=hours, headers=headers)
            assert_problem(refused, 429, "RATE_LIMITED")
            assert LI_SIYUAN.id_number not in refused.text
        single = {"qr": "RC1:X", "purpose": "核验"}
        for headers in written:
            assert client.post("/api/v1/verify", json=single, headers=headers).status_code == 429


def test_a_request_that_does_not_authenticate_gets_its_401_and_is_not_counted(
    registry, demo, settings
):
    limited = replace(settings, partner_rate_limit=LIMIT)
    hours = {"idNumber": LI_SIYUAN.id_number, "year": 2025, "purpose": "学时审核"}
    revoked_secret = create_token(
        registry, "partner", now=datetime.now(UTC), region="320509", name="revoked"
    )
    revoked_id = max(info.token_id for info in list_tokens(registry))
    revoke_token(registry, revoked_id, now=datetime.now(UTC))
    unauthenticated = [
        {},
        {"Authorization": "Bearer rgt_not-a-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer "},
        bearer(revoked_secret),
    ]
    with TestClient(app=create_app(limited, registry)) as client:
        for headers in unauthenticated:
            for _ in range(LIMIT + 2):
                answer = client.post("/api/v1/verify/batch", json=BODY, headers=headers)
                assert answer.status_code == 401, headers
                assert "RateLimit-Limit" not in answer.headers
                assert client.post(TOTALS, json=hours, headers=headers).status_code == 401
        # the same address, with a token, still has its whole allowance
        token = demo.tokens["partner:330421"]
        answers = [post(client, token) for _ in range(LIMIT)]
        assert [a.status_code for a in answers] == [200] * LIMIT
        assert answers[0].headers["RateLimit-Remaining"] == str(LIMIT - 1)


def test_a_token_of_another_role_is_counted_and_refused_as_before(registry, demo, settings):
    limited = replace(settings, partner_rate_limit=LIMIT)
    issuer = next(secret for name, secret in demo.tokens.items() if name.startswith("issuer"))
    with TestClient(app=create_app(limited, registry)) as client:
        assert [post(client, issuer).status_code for _ in range(LIMIT)] == [403] * LIMIT
        assert_problem(post(client, issuer), 429, "RATE_LIMITED")


@pytest.mark.skipif(not redis_reachable(), reason="Redis at 127.0.0.1:6379 is not reachable")
def test_spellings_of_one_token_share_one_count_in_redis(registry, demo, settings):
    shared = replace(
        settings, partner_rate_limit=LIMIT, redis_url=f"redis://{REDIS_HOST}:{REDIS_PORT}/0"
    )
    token = create_token(
        registry, "partner", now=datetime.now(UTC), region="320509", name=str(uuid.uuid4())
    )
    written = spellings(token)
    with (
        TestClient(app=create_app(shared, registry)) as first,
        TestClient(app=create_app(shared, registry)) as second,
    ):
        assert isinstance(second.app.state[COUNTERS_STATE][PARTNER_STORE], RedisCounter)
        assert first.post("/api/v1/verify/batch", json=BODY, headers=written[0]).status_code == 200
        assert second.post("/api/v1/verify/batch", json=BODY, headers=written[3]).status_code == 200
        assert first.post("/api/v1/verify/batch", json=BODY, headers=written[5]).status_code == 200
        for headers in written:
            refused = second.post("/api/v1/verify/batch", json=BODY, headers=headers)
            assert_problem(refused, 429, "RATE_LIMITED")

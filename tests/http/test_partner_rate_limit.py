"""Partner rate limits: per client token, in memory or shared through Redis."""

from __future__ import annotations

import socket
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from litestar.stores.redis import RedisStore
from litestar.testing import TestClient

from registry.demo.data import LI_SIYUAN
from registry.http.app import create_app
from registry.http.ratelimit import PARTNER_STORE
from registry.services.access.tokens import create_token
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
        assert isinstance(first.app.stores.get(PARTNER_STORE), RedisStore)
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

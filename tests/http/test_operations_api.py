"""Liveness, readiness and the worker header (issue 18, operations)."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from litestar.testing import TestClient

from registry.http.app import WORKER_HEADER, create_app
from registry.services.runtime.context import Registry
from tests.support.api_checks import assert_problem

UNUSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthz_says_up_with_the_worker_pid(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "up", "pid": os.getpid()}
    assert answer.headers[WORKER_HEADER] == str(os.getpid())


def test_every_answer_names_its_worker(client):
    assert client.get("/api/v1/codes").headers[WORKER_HEADER] == str(os.getpid())
    assert client.get("/no/such/page").headers[WORKER_HEADER] == str(os.getpid())


def test_readyz_checks_the_database_and_keys(client):
    client.get("/log/head")  # the log's signing key exists from here on
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.text
    assert answer.json()["checks"] == {"database": "ok", "keys": "ok", "redis": "not configured"}
    assert answer.json()["pid"] == os.getpid()


def test_readyz_is_503_when_redis_does_not_answer(registry, demo, settings):
    unreachable = replace(settings, redis_url=UNUSED_REDIS)
    with TestClient(app=create_app(unreachable, registry)) as client:
        body = assert_problem(client.get("/readyz"), 503, "REDIS_UNREACHABLE")
        assert "Redis" in body["message"]["zh"]
        assert UNUSED_REDIS not in str(body)
        assert client.get("/healthz").status_code == 200  # alive all the same


def test_readyz_is_503_when_the_passphrase_opens_no_key(client, settings):
    assert client.get("/log/head").status_code == 200  # creates the log key
    wrong = replace(settings, key_passphrase="not the passphrase")
    other = Registry.open(wrong, migrate_schema=False)
    try:
        with TestClient(app=create_app(wrong, other)) as second:
            body = assert_problem(second.get("/readyz"), 503, "KEY_PASSPHRASE_WRONG")
            assert body["message"]["en"]
    finally:
        other.close()


def test_readyz_is_503_when_the_database_is_gone(tmp_path, settings):
    gone = replace(settings, database_url=f"sqlite:///{tmp_path / 'missing' / 'x' / 'r.db'}")
    registry = Registry.open(settings)
    try:
        registry.engine.dispose()
        registry.engine = Registry.open(gone, migrate_schema=False).engine
        (tmp_path / "missing" / "x" / "r.db").unlink()
        (tmp_path / "missing" / "x").rmdir()
        with TestClient(app=create_app(settings, registry)) as client:
            assert_problem(client.get("/readyz"), 503, "DATABASE_UNREACHABLE")
    finally:
        registry.close()


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in a text exposition (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    for line in text.splitlines():
        head, _, value = line.rpartition(" ")
        if head == (f"{name}{{{wanted}}}" if labels else name):
            return float(value)
    return 0.0


def test_metrics_count_requests_by_route_template_verifications_and_the_log(client, demo):
    before = client.get("/metrics").text
    scanned = client.post("/api/v1/scan", json={"payload": "RC1:NOT-A-PAYLOAD"})
    assert scanned.status_code in (400, 422)
    client.get(f"/api/v1/credentials/{demo.records[0]}")  # a concrete id, never a label
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    assert demo.records[0] not in text
    route = "/api/v1/credentials/{record_id}"
    assert f'route="{route}"' in text
    counted = metric(
        text,
        "registry_http_requests_total",
        method="POST",
        route="/api/v1/scan",
        status=str(scanned.status_code),
    )
    assert counted == 1 + metric(
        before,
        "registry_http_requests_total",
        method="POST",
        route="/api/v1/scan",
        status=str(scanned.status_code),
    )
    assert "registry_http_request_duration_seconds_bucket" in text
    assert metric(text, "registry_transparency_log_size") >= len(demo.records)


def test_metrics_need_the_token_when_one_is_set(registry, demo, settings):
    guarded = replace(settings, metrics_token="metrics-secret-for-tests")
    with TestClient(app=create_app(guarded, registry)) as client:
        assert_problem(client.get("/metrics"), 403, "METRICS_FORBIDDEN")
        wrong = {"Authorization": "Bearer not-it"}
        assert_problem(client.get("/metrics", headers=wrong), 403, "METRICS_FORBIDDEN")
        right = {"Authorization": "Bearer metrics-secret-for-tests"}
        assert client.get("/metrics", headers=right).status_code == 200


def test_metrics_without_a_token_are_for_loopback_clients_only(settings):
    from types import SimpleNamespace

    from registry.core.errors import RegistryError
    from registry.http.metrics import allow_scrape

    def scrape_from(host: str) -> None:
        allow_scrape(SimpleNamespace(headers={}, client=SimpleNamespace(host=host)), settings)

    scrape_from("127.0.0.1")
    scrape_from("::1")
    for host in ("198.51.100.7", "10.0.0.5", "localhost.example"):
        with pytest.raises(RegistryError) as refused:
            scrape_from(host)
        assert refused.value.code == "METRICS_FORBIDDEN"


def test_metrics_keep_counting_each_label_set_through_repeated_requests(client, registry, demo):
    """The label children are bound once per label set: every later request still counts
    under its own route, status and outcome, and the latency histogram sees each one."""
    from sqlalchemy import text as sql

    with registry.reading() as session:
        payload = session.execute(
            sql("SELECT qr_payload FROM credential WHERE id = :r"), {"r": demo.records[0]}
        ).scalar_one()
    scan = {"method": "POST", "route": "/api/v1/scan"}
    before = client.get("/metrics").text
    for _ in range(3):
        assert client.post("/api/v1/scan", json={"payload": payload}).status_code == 200
    after = client.get("/metrics").text

    def grew(name: str, **labels: str) -> float:
        return metric(after, name, **labels) - metric(before, name, **labels)

    assert grew("registry_http_requests_total", **scan, status="200") == 3
    assert grew("registry_http_request_duration_seconds_count", **scan) == 3
    # (the exposition writes labels in name order)
    assert grew("registry_verifications_total", outcome="verified", route="/api/v1/scan") == 3
    assert grew("registry_verifications_total", outcome="not_verified", route="/api/v1/scan") == 0

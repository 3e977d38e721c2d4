"""Liveness, readiness and the worker header (issue 18, operations)."""

from __future__ import annotations

import os
from dataclasses import replace

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

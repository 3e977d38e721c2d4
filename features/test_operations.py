"""Steps of operations.feature: ``registry serve --workers 2`` as a process, driven over
HTTP only (the multi-worker helpers are those of tests/cli/test_serve_workers.py)."""

from __future__ import annotations

import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from registry.demo.data import DEMO_RECORDS, QINGPU_BUREAU
from registry.http.app import WORKER_HEADER
from tests.cli.test_serve_workers import REDIS_URL, start_workers
from tests.http.test_partner_rate_limit import redis_reachable
from tests.support.api_checks import issuer_headers
from tests.support.fixtures import bearer
from tests.support.privacy import assert_no_id_numbers_in_output

scenarios("operations.feature")

VERIFY_ROUNDS = 40  # bounded: at most this many partner checks to see a second worker


@dataclass
class Stack:
    """The running registry and what the operator saw of it."""

    url: str = ""
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None
    answer: httpx.Response | None = None
    workers: set[str] = field(default_factory=set)
    exit_code: int | None = None


@pytest.fixture
def stack():
    """The stack of one scenario, stopped at the end whatever happened."""
    running = Stack()
    yield running
    if running.process is not None and running.process.poll() is None:
        running.process.kill()
        running.process.wait(timeout=30)
    if running.log is not None:
        assert_no_id_numbers_in_output(running.log.read_text(encoding="utf-8"))


@given(parsers.parse("运维人员以 {workers:d} 个工作进程启动登记系统，共用本场景的数据库和 Redis"))
def started(stack: Stack, settings, tmp_path, workers: int) -> None:
    if not redis_reachable():
        pytest.skip("Redis at 127.0.0.1:6379 is not reachable")
    stack.url, stack.process, stack.log = start_workers(
        settings, tmp_path, workers, REGISTRY_REDIS_URL=REDIS_URL
    )


@when(parsers.parse("运维人员请求 {path}"))
def operator_asks(stack: Stack, path: str) -> None:
    stack.answer = httpx.get(stack.url + path, timeout=10)


@when("运维人员在本机请求 /metrics")
def operator_scrapes(stack: Stack) -> None:
    stack.answer = httpx.get(stack.url + "/metrics", timeout=10)


@then("登记系统已就绪：数据库、密钥和 Redis 均为 ok")
def ready(stack: Stack) -> None:
    assert stack.answer is not None
    assert stack.answer.status_code == 200, stack.answer.text
    body: dict[str, Any] = stack.answer.json()
    assert body["checks"] == {"database": "ok", "keys": "ok", "redis": "ok"}
    assert str(body["pid"]) == stack.answer.headers[WORKER_HEADER]


@then("指标中有按路由模板统计的请求数、延迟直方图和透明日志大小")
def metrics_shown(stack: Stack) -> None:
    assert stack.answer is not None
    assert stack.answer.status_code == 200
    text = stack.answer.text
    assert 'registry_http_requests_total{method="GET",route="/readyz",status="200"}' in text
    assert "registry_http_request_duration_seconds_bucket" in text
    assert "registry_transparency_log_size " in text


@when("青浦人社局签发一份职称证书，嘉善的伙伴系统反复核验它")
def partner_checks(stack: Stack, demo) -> None:
    title = next(
        record
        for record in DEMO_RECORDS
        if record.issuer_uscc == QINGPU_BUREAU.uscc
        and record.credential["type"][1] == "ProfessionalTitleCredential"
    )
    issued = httpx.post(
        stack.url + "/credentials/issue",
        json={"credential": title.issuance_request()},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
        timeout=30,
    )
    assert issued.status_code == 201, issued.text
    payload = issued.json()["qr"]["payload"]
    partner = bearer(demo.tokens["partner:330421"])
    for _ in range(VERIFY_ROUNDS):
        answer = httpx.post(  # a new connection each time: any worker may take it
            stack.url + "/api/v1/verify",
            json={"qr": payload, "purpose": "人才引进资格审核"},
            headers=partner,
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["verified"] is True
        stack.workers.add(answer.headers[WORKER_HEADER])
        if len(stack.workers) > 1:
            break


@then("伙伴的核验由不止一个工作进程处理，每次核验结果都有效")
def served_by_several(stack: Stack) -> None:
    assert len(stack.workers) > 1, stack.workers


@when("运维人员向登记系统发送 SIGTERM")
def terminated(stack: Stack) -> None:
    assert stack.process is not None
    started = time.monotonic()
    stack.process.send_signal(signal.SIGTERM)
    stack.exit_code = stack.process.wait(timeout=45)
    assert time.monotonic() - started < 35


@then("登记系统在 30 秒的宽限期内正常退出")
def exited(stack: Stack) -> None:
    assert stack.exit_code == 0

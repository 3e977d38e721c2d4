"""``registry serve --workers N``: several processes behind one port, each with its own
registry, stopped gracefully by SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from features.steps.command import environment, registry_command
from registry.demo.data import DEMO_RECORDS
from registry.http.app import WORKER_HEADER
from tests.http.test_partner_rate_limit import redis_reachable
from tests.support.api_checks import issuer_headers
from tests.support.fixtures import bearer
from tests.support.privacy import assert_no_id_numbers_in_output
from tests.support.servers import free_port, wait_for_process

STARTUP = 60  # seconds


def start_workers(settings, tmp_path: Path, workers: int, **variables: str):
    """``registry serve --workers N`` as a process; its URL, the process and its log."""
    port = free_port()
    log = tmp_path / f"workers-{port}.log"
    env = {**environment(settings), **variables}
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [*registry_command(), "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    wait_for_process(process, log, url + "/readyz", STARTUP, "registry serve --workers")
    return url, process, log


def pids_serving(url: str, requests: int, path: str = "/readyz") -> set[str]:
    """The worker pids that answered ``requests`` concurrent requests, each on a new
    connection (the kernel hands a new connection to whichever worker accepts first, so
    sequential requests may all reach one)."""

    def ask(_: int) -> str:
        answer = httpx.get(url + path, timeout=10)
        assert answer.status_code == 200, answer.text
        assert str(answer.json()["pid"]) == answer.headers[WORKER_HEADER]
        return answer.headers[WORKER_HEADER]

    with ThreadPoolExecutor(max_workers=8) as pool:
        return set(pool.map(ask, range(requests)))


def readyz_count(url: str) -> float:
    text = httpx.get(url + "/metrics", timeout=10).text
    label = 'registry_http_requests_total{method="GET",route="/readyz",status="200"}'
    return sum(
        float(line.rpartition(" ")[2]) for line in text.splitlines() if line.startswith(label)
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # PostgreSQL: below
def test_two_workers_share_the_port_and_stop_on_sigterm(registry, settings, tmp_path):
    url, process, log = start_workers(settings, tmp_path, 2, REGISTRY_LOG_FORMAT="json")
    try:
        seen: set[str] = set()
        asked = 1  # the start-up probe
        deadline = time.monotonic() + 30
        while len(seen) < 2 and time.monotonic() < deadline:
            seen |= pids_serving(url, 24)
            asked += 24
        assert len(seen) == 2, seen
        assert str(process.pid) not in seen  # the supervisor serves nothing itself
        # any worker's /metrics sums every worker's counts (multiprocess mode)
        assert readyz_count(url) == asked
        assert readyz_count(url) == asked
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=45)
    output = log.read_text(encoding="utf-8")
    assert_no_id_numbers_in_output(output)
    assert code == 0, output
    assert "with 2 worker(s)" in output
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    assert len(access) >= 24
    assert len({line["pid"] for line in access}) == 2
    assert any(line["message"].startswith("Shutting down") for line in lines)


REDIS_URL = "redis://127.0.0.1:6379/0"
CLIENTS, EACH = 4, 6  # four issuing clients, six records each, all at once


def issued_everywhere(url: str, demo, records) -> list[tuple[dict, str]]:
    """Issue ``records`` from ``CLIENTS`` concurrent clients (a new connection a request,
    so that the kernel may hand each to another worker); every answer with the pid of the
    worker that served it."""

    def client(batch) -> list[tuple[dict, str]]:
        answers = []
        for record in batch:
            answer = httpx.post(
                url + "/credentials/issue",
                json={"credential": record.issuance_request()},
                headers=issuer_headers(demo, record.issuer_uscc),
                timeout=60,
            )
            assert answer.status_code == 201, answer.text
            answers.append((answer.json(), answer.headers[WORKER_HEADER]))
        return answers

    batches = [records[n::CLIENTS] for n in range(CLIENTS)]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return [answer for batch in pool.map(client, batches) for answer in batch]


@pytest.mark.postgres
@pytest.mark.skipif(not redis_reachable(), reason="Redis at 127.0.0.1:6379 is not reachable")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_three_workers_on_one_postgresql_and_redis_issue_without_collisions(
    registry, demo, settings, tmp_path
):
    titles = [r for r in DEMO_RECORDS if r.credential["type"][1] == "ProfessionalTitleCredential"]
    records = [titles[n % len(titles)] for n in range(CLIENTS * EACH)]
    url, process, log = start_workers(
        settings, tmp_path, 3, REGISTRY_REDIS_URL=REDIS_URL, REGISTRY_PARTNER_RATE_LIMIT="1000"
    )
    try:
        with httpx.Client(base_url=url, timeout=30) as http:
            size_before = http.get("/log/head").json()["treeSize"]
        issued = issued_everywhere(url, demo, records)
        served_by = {pid for _, pid in issued}
        ids = [body["id"] for body, _ in issued]
        assert len(set(ids)) == len(records)
        # status indexes: one per record of each issuer, none shared
        indexes = [
            (body["verifiableCredential"]["issuer"]["id"], entry["statusListIndex"])
            for body, _ in issued
            for entry in body["verifiableCredential"]["credentialStatus"]
            if entry["statusPurpose"] == "revocation"
        ]
        assert len(indexes) == len(records)
        assert len(set(indexes)) == len(indexes)
        with httpx.Client(base_url=url, timeout=30) as http:
            head = http.get("/log/head").json()
            assert head["treeSize"] == size_before + len(records)
            leaves = http.get(
                "/log/entries", params={"start": size_before, "end": head["treeSize"]}
            ).json()["entries"]
            assert [leaf["index"] for leaf in leaves] == list(range(size_before, head["treeSize"]))
            assert sorted(leaf["event"]["record"] for leaf in leaves) == sorted(ids)
            partner = bearer(demo.tokens["partner:310118"])
            for body, _ in issued:
                answer = httpx.post(
                    url + "/api/v1/verify",
                    json={"qr": body["qr"]["payload"], "purpose": "多进程核验"},
                    headers=partner,
                    timeout=30,
                )
                assert answer.status_code == 200, answer.text
                assert answer.json()["verified"] is True
                served_by.add(answer.headers[WORKER_HEADER])
        deadline = time.monotonic() + 30  # the kernel may have handed one worker everything
        while len(served_by) < 2 and time.monotonic() < deadline:
            served_by |= pids_serving(url, 24)
        assert len(served_by) >= 2, served_by
        assert str(process.pid) not in served_by
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=45)
    assert_no_id_numbers_in_output(log.read_text(encoding="utf-8"))
    assert code == 0

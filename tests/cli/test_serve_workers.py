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

from features.steps.command import environment, registry_command
from registry.http.app import WORKER_HEADER
from tests.cli.test_serve import free_port
from tests.support.fixtures import assert_no_id_numbers_in_output

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
    deadline = time.monotonic() + STARTUP
    while True:
        assert process.poll() is None, log.read_text(encoding="utf-8")
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return url, process, log
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "registry serve --workers did not start"
        time.sleep(0.2)


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

"""``registry serve --workers N``: several processes behind one port, each with its own
registry, stopped gracefully by SIGTERM."""

from __future__ import annotations

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


def test_two_workers_share_the_port_and_stop_on_sigterm(registry, settings, tmp_path):
    url, process, log = start_workers(settings, tmp_path, 2)
    try:
        seen: set[str] = set()
        deadline = time.monotonic() + 30
        while len(seen) < 2 and time.monotonic() < deadline:
            seen |= pids_serving(url, 24)
        assert len(seen) == 2, seen
        assert str(process.pid) not in seen  # the supervisor serves nothing itself
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=45)
    output = log.read_text(encoding="utf-8")
    assert_no_id_numbers_in_output(output)
    assert code == 0, output
    assert "with 2 worker(s)" in output
    assert "Received SIGTERM" in output or "Shutting down" in output

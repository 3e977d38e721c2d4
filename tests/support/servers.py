"""Servers started by tests: a free local port, and waiting until a server answers (or
failing with what it wrote, when it died or took too long)."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx


def free_port() -> int:
    """A local TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(
    ready: Callable[[], bool], within: float, failure: Callable[[], str], every: float = 0.2
) -> None:
    """Ask ``ready`` every ``every`` seconds until it says yes; after ``within`` seconds,
    fail with ``failure()`` (called only then: it may read a log)."""
    deadline = time.monotonic() + within
    while not ready():
        assert time.monotonic() < deadline, failure()
        time.sleep(every)


def answers(url: str) -> bool:
    """Whether ``url`` answers 200 now (a refused or timed-out connection is a no)."""
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def wait_for_process(
    process: subprocess.Popen[bytes], log: Path, url: str, within: float, what: str
) -> None:
    """Wait until ``url`` answers from the server ``process`` runs; fail with its ``log``
    as soon as it exits, or saying that ``what`` did not start after ``within`` seconds."""

    def ready() -> bool:
        assert process.poll() is None, log.read_text(encoding="utf-8")
        return answers(url)

    wait_until(ready, within, lambda: f"{what} did not start")

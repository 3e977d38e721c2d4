"""Running Digital Bazaar's VC libraries (``tests/interop/js``) under node as an independent
implementation: ``npm ci`` once per test session, then one node process per batch of tasks
(JSON in on stdin, JSON out on stdout; see ``js/interop.mjs``)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

JS_DIR = Path(__file__).parent / "js"
SCRIPT = JS_DIR / "interop.mjs"
INSTALL_TIMEOUT = 300  # seconds: a cold npm cache on a slow line
RUN_TIMEOUT = 60
NODE_MAJOR_MIN = 18  # what the packages' "engines" ask


@dataclass(frozen=True)
class Node:
    """The installed node project: runs batches of tasks through ``interop.mjs``."""

    executable: str

    def run(
        self, tasks: Sequence[Mapping[str, Any]], documents: Mapping[str, Any] | None = None
    ) -> dict[str, dict[str, Any]]:
        """Run the tasks in one node process; each task's result by its ``id``."""
        request = {"documents": dict(documents or {}), "tasks": list(tasks)}
        finished = subprocess.run(
            [self.executable, str(SCRIPT)],
            input=json.dumps(request, ensure_ascii=False),
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=JS_DIR,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        assert finished.returncode == 0, finished.stderr
        results: list[dict[str, Any]] = json.loads(finished.stdout)["results"]
        return {result["id"]: result for result in results}


def install() -> Node:
    """``npm ci`` into ``tests/interop/js`` once, or skip with the reason it cannot be."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are not installed: the interop tests need node >= 18")
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=False, timeout=30
    ).stdout.strip()
    major = version.lstrip("v").partition(".")[0]
    if not major.isdigit() or int(major) < NODE_MAJOR_MIN:
        pytest.skip(f"node {version or '(unknown version)'} is older than {NODE_MAJOR_MIN}")
    try:
        installed = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=JS_DIR,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.skip(f"npm ci in tests/interop/js took over {INSTALL_TIMEOUT} s")
    if installed.returncode != 0:
        last = (installed.stderr.strip().splitlines() or ["(no output)"])[-1]
        pytest.skip(f"npm ci in tests/interop/js failed: {last}")
    return Node(node)

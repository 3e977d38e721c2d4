"""The CLI tests do not depend on how logging is configured (issue 16): run with pytest's
live logging at DEBUG, a command's output still reaches ``CliRunner``'s result."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_cli_tests_pass_with_live_logging_at_debug():
    environment = {**os.environ, "REGISTRY_TEST_POSTGRES_URL": ""}
    run = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "tests/cli/test_cli.py", "-k", "sqlite and (issue_prints or verify_a_qr_url)",
            "-o", "log_cli=true", "--log-cli-level=DEBUG",
        ],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert "2 passed" in run.stdout

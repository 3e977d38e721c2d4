"""Running the ``registry`` command as a user would, on the same store as the test client."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from registry.settings import Settings
from tests.support.command_line import store_variables
from tests.support.privacy import assert_no_id_numbers_in_output

COMMAND_TIMEOUT_SECONDS = 120


def registry_command() -> list[str]:
    """The installed ``registry`` console script, preferring the one beside this Python."""
    beside = Path(sys.executable).with_name("registry")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("registry")
    if found:
        return [found]
    return [sys.executable, "-c", "from registry.cli import main; main()"]


def environment(settings: Settings) -> dict[str, str]:
    """The process environment naming the store and secrets of ``settings``."""
    assert settings.key_passphrase is not None
    inherited = {name: value for name, value in os.environ.items() if "REGISTRY_" not in name}
    return {**inherited, "PYTHONIOENCODING": "utf-8", **store_variables(settings)}


def run_registry(settings: Settings, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``registry ARGUMENTS`` and capture what it prints, which must hold no ID or
    passport number (the suite's privacy guard)."""
    completed = subprocess.run(
        [*registry_command(), *arguments],
        env=environment(settings),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )
    assert_no_id_numbers_in_output(completed.stdout + completed.stderr)
    return completed

"""Every ```sh example in README.md and docs/ runs against a demo registry, so none drifts.

How it runs:

- One demo registry for the module: ``registry serve --demo`` on a free loopback port, its
  data in a temporary folder (``REGISTRY_DATA_DIR``), ``REGISTRY_BASE_URL`` matching.
- A temporary "project folder" holding a copy of ``docs/examples/`` (the sample files and
  ``demo-env.sh``) is the working directory; the venv's ``bin`` is first on ``PATH``.
- Each Markdown file runs as one bash session (``set -euo pipefail``), its ``sh`` blocks
  in order, so a block may use the variables and files of the blocks before it in the same
  file, and nothing from another file (``set -u`` fails a variable used before it is set). Files run in the order of the parametrisation, but
  none may rely on another having run: each reaches the demo only through its own blocks.
- ``curl`` reads a ``.curlrc`` with ``fail-with-body``: an example whose request answers
  4xx or 5xx fails the test, unless the example itself says what it expects.
- Blocks fenced ``console`` or ``text`` are not run (installing, serving, production-only).
- What the examples print and what the server logs are searched for ID and passport
  numbers, as the suite's privacy guard does for answers and logs.

The whole module takes one to two minutes (each `registry` command starts a Python process);
it is skipped, with the reason, when bash or curl is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.privacy import id_numbers_in
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
_FENCE = re.compile(r"^```sh\n(.*?)^```$", re.MULTILINE | re.DOTALL)
FILE_TIMEOUT = 180  # seconds for all the blocks of one file
START_TIMEOUT = 90

BASH = shutil.which("bash")
CURL = shutil.which("curl")
REGISTRY = Path(sys.executable).parent / "registry"

needs_tools = pytest.mark.skipif(
    BASH is None or CURL is None or not REGISTRY.exists(),
    reason="the documentation examples need bash, curl and the `registry` command beside "
    "this Python",
)


def sh_blocks(path: Path) -> list[tuple[int, str]]:
    """The ``sh`` blocks of a Markdown file, each with the line its code starts on."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in _FENCE.finditer(text)]


def _environment(tmp: Path, base_url: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("REGISTRY_")}
    curl_home = tmp / "curl-home"
    curl_home.mkdir(exist_ok=True)
    (curl_home / ".curlrc").write_text("fail-with-body\nshow-error\n", encoding="utf-8")
    scratch = tmp / "scratch"
    scratch.mkdir(exist_ok=True)
    env.update(
        PATH=f"{REGISTRY.parent}{os.pathsep}{env.get('PATH', '')}",
        REGISTRY_DATA_DIR=str(tmp / "data"),
        REGISTRY_BASE_URL=base_url,
        CURL_HOME=str(curl_home),
        TMPDIR=str(scratch),
        LC_ALL="C.UTF-8",
        PYTHONIOENCODING="utf-8",
    )
    return env


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A demo registry served from a temporary folder: the project folder and environment."""
    tmp = tmp_path_factory.mktemp("docs-demo")
    project = tmp / "project"
    shutil.copytree(ROOT / "docs" / "examples", project / "docs" / "examples")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = _environment(tmp, base_url)
    log = (tmp / "serve.log").open("w+b")
    server = subprocess.Popen(
        [str(REGISTRY), "serve", "--demo", "--port", str(port)],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/api/v1/issuers", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"the demo registry did not start:\n{log.read().decode()}")
                time.sleep(0.3)
        yield project, env
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.seek(0)
        served = log.read().decode("utf-8", "replace")
        log.close()
    assert not id_numbers_in(served), "the demo registry logged an ID or passport number"


def _script(path: Path) -> str:
    lines = ["set -euo pipefail"]
    for number, (line, code) in enumerate(sh_blocks(path), start=1):
        where = f"{path.relative_to(ROOT)}:{line}"
        lines += [f"echo '::: block {number} at {where}' >&2", code]
    return "\n".join(lines) + "\n"


BINARY_SUFFIXES = {".png", ".jpg", ".jpeg", ".pdf", ".zip"}


def test_every_document_with_examples_is_checked() -> None:
    assert sh_blocks(ROOT / "README.md"), "the README's tour has no sh block"
    for path in DOC_FILES:
        text = path.read_text(encoding="utf-8")
        assert text.count("```sh\n") == len(sh_blocks(path)), f"{path}: unclosed sh block"


def test_only_the_demo_people_s_fictional_numbers_appear_in_the_docs() -> None:
    from registry.demo.data import DEMO_PEOPLE

    fictional = {person.id_number for person in DEMO_PEOPLE}
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*"))]:
        if path.is_file() and path.suffix not in BINARY_SUFFIXES:  # images are not text
            found = set(id_numbers_in(path.read_text(encoding="utf-8")))
            assert found <= fictional, f"{path.name} holds an ID number of no demo person"


@needs_tools
@pytest.mark.parametrize(
    "path",
    [path for path in DOC_FILES if sh_blocks(path)],
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_examples_run(path: Path, demo: tuple[Path, dict[str, str]]) -> None:
    project, env = demo
    result = subprocess.run(
        [str(BASH), "-c", _script(path)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=FILE_TIMEOUT,
        check=False,
    )
    failed_at = [line for line in result.stderr.splitlines() if line.startswith("::: block")]
    assert result.returncode == 0, (
        f"exit {result.returncode} in {failed_at[-1] if failed_at else path}\n"
        f"--- stdout (end)\n{result.stdout[-3000:]}\n--- stderr (end)\n{result.stderr[-3000:]}"
    )
    assert not id_numbers_in(result.stdout + result.stderr), (
        f"an example in {path.name} printed an ID or passport number"
    )

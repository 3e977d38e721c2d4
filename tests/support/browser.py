"""A real browser over a live demo registry, for page tests (Playwright for Python driving
Debian's ``chromium``; Playwright's own browser download is not used).

Both fixtures are module-scoped and skip cleanly, saying why, where Playwright or a
Chromium binary is absent. Playwright's sync API keeps an event loop running in the test
thread while a browser is open, so code under test that calls ``asyncio.run`` must not run
in the same thread meanwhile (run it in a worker thread instead).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pytest
import uvicorn

from registry.demo.seed import DemoSummary, seed_demo
from registry.http.app import create_app
from registry.services.runtime.context import Registry
from registry.settings import Settings
from tests.support.fixtures import make_settings
from tests.support.keyset import test_keyset
from tests.support.servers import free_port

CHROMIUM_ENV = "REGISTRY_TEST_CHROMIUM"
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    """The system Chromium: ``$REGISTRY_TEST_CHROMIUM``, else ``chromium`` on the PATH."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return named if os.path.exists(named) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass(frozen=True)
class LiveRegistry:
    """A demo registry served over real HTTP on a loopback port."""

    url: str
    settings: Settings
    registry: Registry
    demo: DemoSummary


@pytest.fixture(scope="module")
def live_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveRegistry]:
    """The demo zone on SQLite, served by uvicorn in a thread; its base URL is its address."""
    port = free_port()
    data = tmp_path_factory.mktemp("live")
    settings = make_settings(str(data), f"sqlite:///{data / 'registry.db'}")
    url = f"http://127.0.0.1:{port}"
    settings = replace(settings, base_url=url)
    registry = Registry.open(settings)
    demo = seed_demo(registry, now=datetime.now(UTC), keyset=test_keyset())
    config = uvicorn.Config(
        create_app(settings, registry), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live registry did not start")
        time.sleep(0.05)
    try:
        yield LiveRegistry(url=url, settings=settings, registry=registry, demo=demo)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        registry.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium through Playwright, or a clean skip naming what is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed: browser tests skipped")
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            f"no Chromium binary (install Debian's chromium or set {CHROMIUM_ENV}): "
            "browser tests skipped"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox"]
        )
        try:
            yield launched
        finally:
            launched.close()

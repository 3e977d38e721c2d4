"""The README's screenshots of the people's pages, taken in Debian's Chromium on a phone
viewport over a fresh demo registry:

    .venv/bin/python -m tests.support.screenshots docs/images

writes ``verify-page-jiashan.png`` (an employer in Jiashan scanning a Qingpu title) and
``holder-page.png`` (the holder's page after one partner check). Not a test: run it again
when the pages change.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn

from registry.demo.data import QINGPU_BUREAU
from registry.demo.seed import seed_demo
from registry.http.app import create_app
from registry.services.runtime.context import Registry
from tests.support.browser import PHONE, chromium_path
from tests.support.fixtures import make_settings
from tests.support.keyset import test_keyset
from tests.support.servers import free_port


def take(target: Path) -> list[Path]:
    """Serve a demo registry, open its pages in Chromium and save the screenshots."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise SystemExit("no Chromium binary: install Debian's chromium")
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        settings = replace(
            make_settings(data, f"sqlite:///{Path(data) / 'registry.db'}"), base_url=url
        )
        registry = Registry.open(settings)
        demo = seed_demo(registry, now=datetime.now(UTC), keyset=test_keyset())
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings, registry), port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        headers = {"Authorization": f"Bearer {demo.tokens[f'issuer:{QINGPU_BUREAU.uscc}']}"}
        record = demo.records[0]
        qr = httpx.get(f"{url}/api/v1/credentials/{record}/qr", headers=headers).json()
        holder = httpx.post(f"{url}/credentials/{record}/holder-link", headers=headers).json()
        httpx.post(
            f"{url}/api/v1/verify",
            json={"qr": qr["payload"], "purpose": "人才引进资格审核"},
            headers={"Authorization": f"Bearer {demo.tokens['partner:330421']}"},
        )
        written = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=executable, headless=True, args=["--no-sandbox"]
                )
                page = browser.new_page(viewport=PHONE, device_scale_factor=1)
                page.goto(qr["url"])
                page.get_by_label("嘉善县").check()
                page.locator("#recognition-verdict").filter(has_text="Jiashan").wait_for()
                written.append(target / "verify-page-jiashan.png")
                page.screenshot(path=str(written[-1]), full_page=False)
                page.goto(holder["url"])
                written.append(target / "holder-page.png")
                page.screenshot(path=str(written[-1]), full_page=False)
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=15)
            registry.close()
    return written


if __name__ == "__main__":
    for path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images")):
        print(path)

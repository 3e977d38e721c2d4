"""The verify page in real Chromium: a demo record's QR link opens to an answer."""

from __future__ import annotations

import httpx

from tests.support.browser import PHONE, LiveRegistry, browser, live_registry

__all__ = ["browser", "live_registry"]


def test_a_qr_link_opens_to_a_verified_answer(browser, live_registry: LiveRegistry) -> None:
    demo = live_registry.demo
    record = demo.records[0]
    tokens = [token for name, token in demo.tokens.items() if name.startswith("issuer:")]
    qr = None
    for token in tokens:
        answer = httpx.get(
            f"{live_registry.url}/api/v1/credentials/{record}/qr",
            headers={"Authorization": f"Bearer {token}"},
        )
        if answer.status_code == 200:
            qr = answer.json()
            break
    assert qr is not None, "no demo issuer could read its own record's QR"
    assert qr["url"].startswith(live_registry.url)
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(qr["url"])
        assert "证书核验" in page.title()
        verdict = page.locator("#verdict-text")
        verdict.filter(has_not_text="Checking").wait_for(timeout=10_000)
        assert "Checking" not in verdict.inner_text()
        assert page.locator("#record").is_visible()
    finally:
        page.close()

"""The holder's page in real Chromium on a 390-px phone: no sideways scrolling, labelled
facts and the status in both languages."""

from __future__ import annotations

import httpx

from registry.demo.data import QINGPU_BUREAU
from tests.support.browser import PHONE, LiveRegistry, browser, live_registry

__all__ = ["browser", "live_registry"]


def test_the_holder_page_fits_a_phone(browser, live_registry: LiveRegistry) -> None:
    token = live_registry.demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"]
    made = httpx.post(
        f"{live_registry.url}/credentials/{live_registry.demo.records[0]}/holder-link",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert made.status_code == 201, made.text
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(made.json()["url"])
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        status = page.locator("#status").inner_text()
        assert "有效" in status and "valid" in status
        facts = page.locator("#record").inner_text()
        assert "职称系列" in facts and "Series" in facts and "Engineering" in facts
        assert "detailsKey" not in facts
        assert "北京时间" in facts
        assert page.locator("#certificate").is_visible()
    finally:
        context.close()

"""Steps of employer_region.feature: the employer's phone in real Chromium
(tests/support/browser.py) on the verify page of a demo QR link."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from registry.demo.data import QINGPU_BUREAU
from tests.support.browser import PHONE, LiveRegistry, browser, live_registry

__all__ = ["browser", "live_registry"]
scenarios("employer_region.feature")
WAIT = 10_000  # ms


@pytest.fixture
def zone() -> None:
    """This story runs against the live registry of ``live_registry``, not the test client's."""


@pytest.fixture
def phone(browser) -> Any:
    """The employer's phone: one browser profile, so that its storage lasts the scenario."""
    context = browser.new_context(viewport=PHONE)
    yield context
    context.close()


@pytest.fixture
def visit() -> dict[str, Any]:
    return {}


@given("青浦区人社局签发的一份职称证书的二维码链接")
def qr_link(live_registry: LiveRegistry, visit: dict[str, Any]) -> None:
    token = live_registry.demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"]
    answer = httpx.get(
        f"{live_registry.url}/api/v1/credentials/{live_registry.demo.records[0]}/qr",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    visit["url"] = answer.json()["url"]


@when("用人单位在手机上打开二维码链接")
def open_link(phone: Any, visit: dict[str, Any]) -> None:
    page = phone.new_page()
    page.goto(visit["url"])
    page.locator("#record").wait_for(timeout=WAIT)
    visit["page"] = page


@when("用人单位在关闭 JavaScript 的手机浏览器中打开二维码链接")
def open_without_script(browser, visit: dict[str, Any]) -> Any:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(visit["url"])
    visit["text"] = page.locator("main").inner_text()
    context.close()


@then("页面请用人单位选择所在地区")
def asks_for_region(visit: dict[str, Any]) -> None:
    page = visit["page"]
    assert page.locator("#region legend").is_visible()
    page.locator("#recognition-verdict").filter(has_text="Choose where you are").wait_for(
        timeout=WAIT
    )


@when(parsers.parse('用人单位选择 "{region}"'))
def choose(visit: dict[str, Any], region: str) -> None:
    visit["page"].get_by_label(region).check()


@then(parsers.parse('页面显示 "{text}"，并写明互认协议、法律依据和本地相当的职称'))
def recognised(visit: dict[str, Any], text: str) -> None:
    page = visit["page"]
    page.locator("#recognition-verdict").filter(has_text=text).wait_for(timeout=WAIT)
    facts = page.locator("#recognition-facts").inner_text()
    for label in ("互认协议", "法律依据", "相当于本地区"):
        assert label in facts, facts


@then(parsers.parse('页面显示 "{text}"'))
def shows(visit: dict[str, Any], text: str) -> None:
    visit["page"].locator("#recognition-verdict").filter(has_text=text).wait_for(timeout=WAIT)


@when("用人单位重新打开这个链接")
def reopen(phone: Any, visit: dict[str, Any]) -> None:
    visit["page"].close()
    open_link(phone, visit)


@then(parsers.parse('"{region}" 仍被选中，页面直接显示 "{text}"'))
def remembered(visit: dict[str, Any], region: str, text: str) -> None:
    page = visit["page"]
    assert page.get_by_label(region).is_checked()
    page.locator("#recognition-verdict").filter(has_text=text).wait_for(timeout=WAIT)


@then(parsers.parse('页面说明需要开启 JavaScript，而不是一直显示 "{pending}"'))
def says_what_to_do(visit: dict[str, Any], pending: str) -> None:
    assert "开启 JavaScript" in visit["text"] and "Turn JavaScript on" in visit["text"]
    assert pending not in visit["text"]

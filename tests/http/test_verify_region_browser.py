"""The employer's region on the verify page, in real Chromium on a phone viewport: the
choice brings the recognition answer for that region and is remembered on the phone; a
joint title names its committee; without JavaScript the page says what to do instead."""

from __future__ import annotations

import copy

import httpx

from registry.demo.data import DEMO_RECORDS, QINGPU_BUREAU
from tests.support.browser import PHONE, LiveRegistry, browser, live_registry

__all__ = ["browser", "live_registry"]

JOINT_INDEX = 4  # the joint committee's senior engineer title
JOINT_COMMITTEE = DEMO_RECORDS[JOINT_INDEX].issuer_uscc


def qr_url(live: LiveRegistry, index: int, uscc: str) -> str:
    """The QR link of a demo record, as its issuer reads it."""
    answer = httpx.get(
        f"{live.url}/api/v1/credentials/{live.demo.records[index]}/qr",
        headers={"Authorization": f"Bearer {live.demo.tokens[f'issuer:{uscc}']}"},
    )
    assert answer.status_code == 200, answer.text
    url: str = answer.json()["url"]
    return url


def test_an_employer_in_jiashan_sees_the_answer_for_jiashan_and_it_is_remembered(
    browser, live_registry: LiveRegistry
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(qr_url(live_registry, 0, QINGPU_BUREAU.uscc))
        answer = page.locator("#recognition-verdict")
        answer.filter(has_text="Choose where you are").wait_for(timeout=10_000)
        page.get_by_label("嘉善县").check()
        answer.filter(has_text="Jiashan").wait_for(timeout=10_000)
        assert "Recognised in Jiashan" in answer.inner_text()
        facts = page.locator("#recognition-facts").inner_text()
        assert "Agreement" in facts and "Legal basis" in facts and "Equivalent here" in facts
        page.reload()
        answer.filter(has_text="Jiashan").wait_for(timeout=10_000)
        assert page.locator("input[name=region][value='330421']").is_checked()
        assert "Recognised in Jiashan" in answer.inner_text()
    finally:
        context.close()


def test_elsewhere_says_to_ask_the_local_bureau(browser, live_registry: LiveRegistry) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(qr_url(live_registry, 0, QINGPU_BUREAU.uscc))
        page.get_by_label("其他地区").check()
        answer = page.locator("#recognition-verdict")
        answer.filter(has_text="Elsewhere, ask").wait_for(timeout=10_000)
    finally:
        context.close()


def test_a_joint_title_names_its_committee(browser, live_registry: LiveRegistry) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(qr_url(live_registry, JOINT_INDEX, JOINT_COMMITTEE))
        page.locator("#record").wait_for(timeout=10_000)
        facts = page.locator("#facts").inner_text()
        assert "联合评审委员会" in facts
        assert JOINT_COMMITTEE not in facts
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"]
    finally:
        context.close()


def test_without_javascript_the_page_says_what_to_do(browser, live_registry: LiveRegistry) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(qr_url(live_registry, 0, QINGPU_BUREAU.uscc))
        text = page.locator("main").inner_text()
        assert "Turn JavaScript on" in text
        assert "Checking" not in text
    finally:
        context.close()


def test_a_superseded_record_links_to_its_current_version(
    browser, live_registry: LiveRegistry
) -> None:
    old_url = qr_url(live_registry, 1, QINGPU_BUREAU.uscc)  # 张丽娟's title, amended below
    request = copy.deepcopy(DEMO_RECORDS[1].issuance_request())
    request["credentialSubject"]["professionalTitle"]["obtainedOn"] = "2019-12-31"
    token = live_registry.demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"]
    amended = httpx.post(
        f"{live_registry.url}/credentials/{live_registry.demo.records[1]}/amend",
        json={"credential": request, "reason": "data_corrected"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert amended.status_code == 201, amended.text
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(old_url)
        page.locator("#current-version").wait_for(timeout=10_000)
        assert "NOT VALID" in page.locator("#verdict-text").inner_text()
        page.locator("#current-version").click()
        verdict = page.locator("#verdict-text")
        verdict.filter(has_text="VALID: genuine").wait_for(timeout=10_000)
        assert page.url == amended.json()["qr"]["url"]
    finally:
        context.close()

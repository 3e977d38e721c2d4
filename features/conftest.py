"""The story fixture and the steps several features share."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from features.steps.story import (
    Story,
    change_signature_character,
    committee_headers,
    issue,
    joint_title_request,
)
from registry.demo.data import LI_SIYUAN


@pytest.fixture(autouse=True)
def zone(client):
    """Every scenario runs in the demo zone, once per store (``client`` is parametrised, and
    only fixtures a test names up front get their parameters)."""
    return client


@pytest.fixture
def story() -> Story:
    """A fresh story per scenario."""
    return Story()


@given("联合评审委员会已为吴江工程师李思远签发高级工程师职称证书")
def joint_title_issued(client, demo, story: Story) -> None:
    body = joint_title_request(LI_SIYUAN, "高级工程师", "机械工程", "副高级")
    issue(client, story, body, committee_headers(demo))
    assert story.response is not None
    assert story.response.status_code == 201, story.response.text


@when("二维码签名部分的一个字符被改成 base32 字母表中的另一个字符")
def signature_character_changed(story: Story) -> None:
    changed = change_signature_character(story.payload)
    assert sum(a != b for a, b in zip(changed, story.payload, strict=True)) == 1
    story.payload = changed


@then(parsers.parse("响应状态码为 {status:d}"))
def status_is(story: Story, status: int) -> None:
    assert story.response is not None
    assert story.response.status_code == status, story.response.text


@then(parsers.parse('核验结果为有效，证书状态为 "{status}"'))
def verified(story: Story, status: str) -> None:
    answer = story.answer()
    assert answer["verified"] is True
    assert answer["status"] == status
    assert all(check["outcome"] != "failed" for check in answer["checks"])


@then("核验结果为无效")
def not_verified(story: Story) -> None:
    assert story.answer()["verified"] is False


@then(parsers.parse('检查 "{name}" 的结果为 "{outcome}"，代码为 "{code}"'))
def check_outcome(story: Story, name: str, outcome: str, code: str) -> None:
    check = story.check(name)
    assert (check["outcome"], check["code"]) == (outcome, code)


@then(parsers.parse('问题详情列出检查 "{name}" 的代码 "{code}"，并附中英文说明'))
def problem_detail(story: Story, name: str, code: str) -> None:
    message = story.check(name)["message"]
    problems = [item for item in story.answer()["problemDetails"] if item["code"] == code]
    assert len(problems) == 1, story.answer()["problemDetails"]
    assert problems[0]["check"] == name
    assert message["zh"] != message["en"]
    assert message["zh"] in problems[0]["detail"]
    assert message["en"] in problems[0]["detail"]

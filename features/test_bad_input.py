"""Steps of bad_input.feature: refusals with a code, a bilingual message and no personal data."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from features.steps.story import Story, committee_headers, issue, joint_title_request
from registry.demo.data import LI_SIYUAN

scenarios("bad_input.feature")

CHECK_CHARACTERS = "0123456789X"


def _with_wrong_check(id_number: str) -> str:
    """The same ID number with another check character."""
    return id_number[:-1] + CHECK_CHARACTERS.replace(id_number[-1], "")[0]


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= character <= "\u9fff" for character in text)


@when("有人不带令牌提交李思远的高级工程师职称签发申请")
def issue_without_token(client, story: Story):
    body = joint_title_request(LI_SIYUAN, "高级工程师", "机械工程", "副高级")
    issue(client, story, body, headers={})


@when("联合评审委员会提交的申请中李思远身份证号码的校验码被写错")
def issue_wrong_check_character(client, demo, story: Story):
    body = joint_title_request(LI_SIYUAN, "高级工程师", "机械工程", "副高级")
    body["credential"]["credentialSubject"]["idNumber"] = _with_wrong_check(LI_SIYUAN.id_number)
    issue(client, story, body, committee_headers(demo))


@then(parsers.parse('错误代码为 "{code}"'))
def error_code(story: Story, code):
    assert story.response is not None
    assert story.response.headers["content-type"].startswith("application/problem+json")
    assert story.answer()["code"] == code


@then("错误说明同时有中文和英文")
def bilingual(story: Story):
    message = story.answer()["message"]
    assert _has_chinese(message["zh"])
    assert message["en"]
    assert message["en"].isascii()


@then(parsers.parse('错误指向 "{pointer}"，代码为 "{code}"'))
def error_pointer(story: Story, pointer, code):
    errors = story.answer()["errors"]
    assert [(error["pointer"], error["code"]) for error in errors] == [(pointer, code)]


@then("响应中不含写错的身份证号码")
def no_id_number(story: Story):
    assert story.response is not None
    wrong = _with_wrong_check(LI_SIYUAN.id_number)
    assert wrong not in story.response.text
    assert wrong[:17] not in story.response.text  # nor its digits without the check

"""Steps of recommendation_letter.feature: the executive committee's letter for direct
permanent-residence application, scanned by an employer and queried by a partner."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from features.steps.qualifications import problem_at, public_block, qr_within_budget
from features.steps.story import Story, issue
from features.steps.talent import (
    answer_text,
    example,
    headers_of,
    partner_block,
    partner_verifies,
)
from registry.demo.talent import EXECUTIVE_COMMITTEE

scenarios("recommendation_letter.feature")

LETTER = "RecommendationLetterCredential"
KEY = "recommendationLetter"
FAMILY = ("Julien Martin", "Léa Martin", "配偶", "未成年子女", "Spouse", "Minor child")


def _letter(name: str, child_born: str) -> dict:
    credential = example(LETTER)
    assert credential["credentialSubject"]["name"] == name
    dependants = credential["credentialSubject"][KEY]["dependants"]
    assert [d["relation"] for d in dependants] == ["配偶", "未成年子女"]
    dependants[1]["birthDate"] = child_born
    return {"credential": credential}


@when(
    parsers.parse('示范区执委会为 "{name}" 出具永久居留推荐信，随行配偶和一名生于 "{born}" 的子女')
)
def committee_writes(client, demo, story: Story, name, born):
    issue(client, story, _letter(name, born), headers_of(demo, "示范区执委会"))


@given("示范区执委会已为 Sophie Martin 出具推荐信")
def letter_issued(client, demo, story: Story):
    issue(client, story, _letter("Sophie Martin", "2015-04-20"), headers_of(demo, "示范区执委会"))
    assert story.response is not None
    assert story.response.status_code == 201, story.response.text


@then(parsers.parse('凭证类型为 "{record_type}"，签发机构为示范区执委会'))
def credential_type(story: Story, record_type):
    assert story.credential["type"] == ["VerifiableCredential", record_type]
    assert story.credential["issuer"]["id"].endswith(EXECUTIVE_COMMITTEE.uscc)
    assert story.credential["issuer"]["name"] == "长三角生态绿色一体化发展示范区执行委员会"


@then("凭证中随行家属的护照号码都只以遮蔽形式出现")
def family_passports_masked(story: Story):
    dependants = story.credential["credentialSubject"][KEY]["dependants"]
    assert [d["passport"]["number"] for d in dependants] == ["*******03", "*******04"]


@then("二维码内容不超过 395 字节，放得进纠错等级 M 的第 15 版二维码")
def qr_budget(client, demo, story: Story):
    qr_within_budget(client, demo, story, EXECUTIVE_COMMITTEE)


@then(parsers.parse('错误代码为 "{code}"，指向 "{pointer}"'))
def refused_at(story: Story, code, pointer):
    problem_at(story, code, pointer)


@when("用人单位扫描证书二维码")
def employer_scans(client, story: Story):
    story.response = client.post("/api/v1/scan", json={"payload": story.payload})


@then(parsers.parse('显示的姓名为 "{masked}"'))
def masked_name(story: Story, masked):
    assert story.answer()["record"]["maskedName"] == masked


@then(parsers.parse('显示的推荐信编号为 "{number}"，推荐事由为 "{purpose_zh}"（"{purpose_en}"）'))
def shown_letter(story: Story, number, purpose_zh, purpose_en):
    shown = public_block(story, KEY)
    assert shown["letterNumber"] == number
    assert (shown["purpose"]["zh"], shown["purpose"]["en"]) == (purpose_zh, purpose_en)
    assert shown["validUntil"] == "2030-02-28"


@then("回答中没有随行家属的任何信息，也没有持证人的全名、国籍、护照和工作单位")
def nothing_private(story: Story):
    text = answer_text(story)
    for hidden in (*FAMILY, "Sophie Martin", "FRA", "DM9", "*******0", "嘉善演示电子科技有限公司"):
        assert hidden not in text, hidden
    assert "dependants" not in public_block(story, KEY)


@when(parsers.parse('青浦区的伙伴系统以事由 "{purpose}" 提交证书的二维码链接'))
def partner_posts_qr(client, demo, story: Story, purpose):
    partner_verifies(client, demo, story, "青浦区", purpose)


@then(
    parsers.parse(
        '伙伴系统看到随行的 "{spouse}"（"{spouse_relation}"）和 "{child}"（"{child_relation}"），'
        "护照号码都已遮蔽"
    )
)
def partner_sees_family(story: Story, spouse, spouse_relation, child, child_relation):
    dependants = partner_block(story, KEY)["dependants"]
    assert [(d["name"], d["relation"]) for d in dependants] == [
        (spouse, spouse_relation),
        (child, child_relation),
    ]
    assert all("*" in d["passport"]["number"] for d in dependants)


@then(
    parsers.parse('伙伴系统看到持证人全名 "{name}"、国籍 "{nationality}" 和工作单位 "{employer}"')
)
def partner_sees_holder(story: Story, name, nationality, employer):
    partner = story.answer()["partner"]
    assert (partner["name"], partner["nationality"]) == (name, nationality)
    assert partner_block(story, KEY)["employer"] == employer
    assert "*" in partner["passport"]["number"]

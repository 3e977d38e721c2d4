"""Steps of vocational_qualification.feature: the Jiashan bureau issues a second-class
constructor qualification, an employer scans it and a Wujiang partner system queries it."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from features.steps.qualifications import (
    BUREAUS,
    issuer_headers,
    problem_at,
    public_block,
    qr_within_budget,
    request_of,
)
from features.steps.story import Story, issue, person
from registry.demo.data import CHEN_XIAOMEI, JIASHAN, JIASHAN_BUREAU
from tests.support.fixtures import bearer

scenarios("vocational_qualification.feature")

KEY = "vocationalQualification"
NUMBERS = {"certificateNumber": "DEMO-ZJ-JZS-2024-0042", "registrationNumber": "浙演示243000042"}


def _apply(client, demo, story: Story, bureau, name, qualification, level, kind, specialty):
    block = {
        "qualification": qualification,
        "level": level,
        "kind": kind,
        "specialty": specialty,
        "authority": "浙江省住房和城乡建设厅",
        "registrationRegion": JIASHAN,
        "obtainedOn": "2024-12-20",
        "sharedAcrossZone": True,
        **NUMBERS,
    }
    body = request_of("VocationalQualificationCredential", person(name), KEY, block)
    issue(client, story, body, issuer_headers(demo, BUREAUS[bureau]))


@when(
    parsers.parse(
        '{bureau}用签发令牌为{name}申请 "{qualification}" 职业资格，等级 "{level}"，'
        '类别 "{kind}"，专业 "{specialty}"'
    )
)
def apply(client, demo, story: Story, bureau, name, qualification, level, kind, specialty):
    _apply(client, demo, story, bureau, name, qualification, level, kind, specialty)


@given("嘉善县人社局已为陈晓梅签发二级建造师职业资格证书")
def issued(client, demo, story: Story):
    _apply(
        client, demo, story, "嘉善县人社局", "陈晓梅", "二级建造师", "二级", "准入类", "建筑工程"
    )
    assert story.response is not None
    assert story.response.status_code == 201, story.response.text


@then(parsers.parse('凭证类型为 "{record_type}"'))
def credential_type(story: Story, record_type):
    assert story.credential["type"] == ["VerifiableCredential", record_type]
    assert story.credential["issuer"]["id"].endswith(JIASHAN_BUREAU.uscc)


@then("凭证写明该职业资格三省（市）通用")
def says_shared(story: Story):
    assert story.credential["credentialSubject"][KEY]["sharedAcrossZone"] is True


@then("二维码内容不超过 395 字节，放得进纠错等级 M 的第 15 版二维码")
def qr_budget(client, demo, story: Story):
    qr_within_budget(client, demo, story, JIASHAN_BUREAU)


@when("用人单位扫描证书二维码")
def employer_scans(client, story: Story):
    story.response = client.post("/api/v1/scan", json={"payload": story.payload})


@then(parsers.parse('显示的姓名为 "{masked}"'))
def masked_name(story: Story, masked):
    assert story.answer()["record"]["maskedName"] == masked


@then(
    parsers.parse(
        '显示的职业资格为 "{name_zh}"（"{name_en}"），等级 "{level}"，类别 "{kind}"，'
        '专业 "{specialty}"'
    )
)
def shown_qualification(story: Story, name_zh, name_en, level, kind, specialty):
    shown = public_block(story, KEY)
    assert (shown["qualification"]["zh"], shown["qualification"]["en"]) == (name_zh, name_en)
    assert (shown["level"]["zh"], shown["kind"]["zh"], shown["specialty"]["zh"]) == (
        level,
        kind,
        specialty,
    )


@then(parsers.parse('显示的发证机关为 "{authority}"，并注明三省（市）证书通用'))
def shown_authority(story: Story, authority):
    shown = public_block(story, KEY)
    assert shown["authority"]["zh"] == authority
    assert shown["sharedAcrossZone"] is True
    assert shown["registrationRegion"]["zh"] == "嘉善县"


@then("回答中没有证书编号和注册编号，也没有陈晓梅的全名和身份证号码")
def nothing_private(story: Story):
    assert story.response is not None
    for hidden in (*NUMBERS.values(), CHEN_XIAOMEI.name, CHEN_XIAOMEI.id_number):
        assert hidden not in story.response.text


@when(parsers.parse('吴江区 {region} 的伙伴系统以事由 "{purpose}" 提交证书的二维码链接'))
def partner_posts_qr(client, demo, story: Story, region, purpose):
    story.response = client.post(
        "/api/v1/verify",
        json={"qr": story.url, "purpose": purpose},
        headers=bearer(demo.tokens[f"partner:{region}"]),
    )


@then(parsers.parse('回答中的职业资格为 "{qualification}"，发证机关为 "{authority}"'))
def partner_sees(story: Story, qualification, authority):
    shown = public_block(story, KEY)
    assert shown["qualification"]["zh"] == qualification
    assert shown["authority"]["zh"] == authority


@then(parsers.parse('伙伴系统还看到证书编号 "{certificate}" 和注册编号 "{registration}"'))
def partner_sees_numbers(story: Story, certificate, registration):
    numbers = story.answer()["partner"][KEY]
    assert numbers == {"certificateNumber": certificate, "registrationNumber": registration}
    assert certificate not in str(story.answer()["record"])


@then("回答中没有陈晓梅的身份证号码")
def no_id_number(story: Story):
    assert story.response is not None
    assert CHEN_XIAOMEI.id_number not in story.response.text


@then(parsers.parse('错误代码为 "{code}"，指向 "{pointer}"'))
def refused_at(story: Story, code, pointer):
    problem_at(story, code, pointer)

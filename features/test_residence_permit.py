"""Steps of residence_permit.feature: the Qingpu bureau issues an overseas talent's permit
and his spouse's dependant permit; an employer scans it, a partner system queries it."""

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
from registry.demo.data import QINGPU_BUREAU
from tests.support.fixtures import BASE_URL

scenarios("residence_permit.feature")

PERMIT = "ResidencePermitCredential"
KEY = "residencePermit"
PARTNER_ONLY = ("DEMO-SHRP-2026-0001", "吴江演示精密机械有限公司", "DEU", "*******01")


def _principal(name: str, issued_on: str, valid_until: str) -> dict:
    credential = example(PERMIT)
    assert credential["credentialSubject"]["name"] == name
    permit = credential["credentialSubject"][KEY]
    permit.update(issuedOn=issued_on, validUntil=valid_until)
    return {"credential": credential}


@when(
    parsers.parse(
        '青浦区人社局为 "{name}" 申请海外人才居住证主证，有效期自 "{issued_on}" 至 "{valid_until}"'
    )
)
def bureau_applies(client, demo, story: Story, name, issued_on, valid_until):
    story.shown = {"before": _tree_size(client)}
    body = _principal(name, issued_on, valid_until)
    issue(client, story, body, headers_of(demo, "青浦区人社局"))


@given("青浦区人社局已为 Lukas Becker 签发居住证主证")
def principal_issued(client, demo, story: Story):
    issue(
        client,
        story,
        _principal("Lukas Becker", "2026-03-01", "2031-02-28"),
        headers_of(demo, "青浦区人社局"),
    )
    assert story.response is not None
    assert story.response.status_code == 201, story.response.text
    story.shown = {"principal": story.issued["id"]}


@then(parsers.parse('凭证类型为 "{record_type}"'))
def credential_type(story: Story, record_type):
    assert story.credential["type"] == ["VerifiableCredential", record_type]
    assert story.credential["issuer"]["id"].endswith(QINGPU_BUREAU.uscc)


@then(parsers.parse('凭证中的护照号码只以遮蔽形式 "{masked}" 出现'))
def passport_masked(story: Story, masked):
    assert story.credential["credentialSubject"]["passport"]["number"] == masked
    assert "DM9900001" not in story.response.text  # type: ignore[union-attr]


@then("二维码内容不超过 395 字节，放得进纠错等级 M 的第 15 版二维码")
def qr_budget(client, demo, story: Story):
    qr_within_budget(client, demo, story, QINGPU_BUREAU)


@then(parsers.parse('错误代码为 "{code}"，指向 "{pointer}"'))
def refused_at(story: Story, code, pointer):
    problem_at(story, code, pointer)


def _tree_size(client) -> int:
    """The transparency log's size: every issuance appends a leaf to it."""
    response = client.get("/log/head")
    assert response.status_code == 200, response.text
    size: int = response.json()["treeSize"]
    return size


@then("登记系统中没有新增记录")
def nothing_stored(client, story: Story):
    assert _tree_size(client) == story.shown["before"]


def _dependant(name: str, target: str) -> dict:
    credential = example(PERMIT, 1)
    assert credential["credentialSubject"]["name"] == name
    credential["credentialSubject"][KEY]["principalRecord"] = target
    return {"credential": credential}


@when(parsers.parse('青浦区人社局为其配偶 "{name}" 申请随员证，指向该主证记录'))
def dependant_applies(client, demo, story: Story, name):
    target = f"{BASE_URL}/credentials/{story.shown['principal']}"
    issue(client, story, _dependant(name, target), headers_of(demo, "青浦区人社局"))


@when(parsers.parse('青浦区人社局为其配偶 "{name}" 申请随员证，指向一条不存在的记录'))
def dependant_applies_to_nothing(client, demo, story: Story, name):
    target = f"{BASE_URL}/credentials/7d0c5e2a-4b1f-4e8a-9c3d-1a2b3c4d5e6f"
    issue(client, story, _dependant(name, target), headers_of(demo, "青浦区人社局"))


@then("随员证记录指向 Lukas Becker 的主证记录")
def points_to_principal(story: Story):
    permit = story.credential["credentialSubject"][KEY]
    assert permit["role"] == "随员证"
    assert permit["principalRecord"] == f"{BASE_URL}/credentials/{story.shown['principal']}"


@when("用人单位扫描证书二维码")
def employer_scans(client, story: Story):
    story.response = client.post("/api/v1/scan", json={"payload": story.payload})


@then(parsers.parse('显示的姓名为 "{masked}"'))
def masked_name(story: Story, masked):
    assert story.answer()["record"]["maskedName"] == masked


@then(parsers.parse('显示的持证身份为 "{zh}"（"{en}"），居住证有效期至 "{until}"'))
def shown_permit(story: Story, zh, en, until):
    shown = public_block(story, KEY)
    assert (shown["role"]["zh"], shown["role"]["en"]) == (zh, en)
    assert shown["validUntil"] == until
    assert story.answer()["record"]["labels"]["role"] == {"zh": "持证身份", "en": "Role"}


@then("回答中没有类别、居住证号码、工作单位、国籍和护照，也没有持证人的全名")
def nothing_private(story: Story):
    text = answer_text(story)
    for hidden in (*PARTNER_ONLY, "Lukas Becker", "Category A"):
        assert hidden not in text, hidden
    assert set(public_block(story, KEY)) == {"role", "issuedOn", "validUntil"}


@when(parsers.parse('青浦区的伙伴系统以事由 "{purpose}" 提交证书的二维码链接'))
def partner_posts_qr(client, demo, story: Story, purpose):
    partner_verifies(client, demo, story, "青浦区", purpose)


@then(
    parsers.parse(
        '伙伴系统还看到类别 "{category}"（"{category_en}"）、居住证号码 "{number}" 和工作单位 "{employer}"'
    )
)
def partner_sees(story: Story, category, category_en, number, employer):
    permit = partner_block(story, KEY)
    assert (permit["category"]["code"], permit["category"]["en"]) == (category, category_en)
    assert permit["permitNumber"] == number
    assert permit["employer"] == employer
    assert story.answer()["partner"]["name"] == "Lukas Becker"


@then(parsers.parse('伙伴系统看到的护照号码只是遮蔽形式 "{masked}"'))
def partner_sees_masked_passport(story: Story, masked):
    assert story.answer()["partner"]["passport"]["number"] == masked
    assert "idNumber" not in story.answer()["partner"]

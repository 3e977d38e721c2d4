"""Steps of holder_access.feature: a purpose for every partner call, the holder's access
link and its log of checks, and the national e-licence identifier."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from features.steps.story import Story, committee_headers
from registry.core.records import elicence
from registry.demo.data import JOINT_MECHANICAL_COMMITTEE, LI_SIYUAN
from tests.support.fixtures import BASE_URL, bearer

scenarios("holder_access.feature")

JSON = {"Accept": "application/json"}


def _path(url: str) -> str:
    assert url.startswith(f"{BASE_URL}/holder/rgh_"), url
    return url.removeprefix(BASE_URL)


def _new_link(client, demo, story: Story) -> str:
    response = client.post(
        f"/credentials/{story.issued['id']}/holder-link", headers=committee_headers(demo)
    )
    assert response.status_code == 201, response.text
    return _path(response.json()["url"])


@given("联合评审委员会为这份证书生成持证人访问链接，交给李思远")
def link_made(client, demo, story: Story):
    story.shown["link"] = _new_link(client, demo, story)


@when("联合评审委员会为这份证书重新生成访问链接")
def link_remade(client, demo, story: Story):
    story.shown["old link"] = story.shown["link"]
    story.shown["link"] = _new_link(client, demo, story)


@when(parsers.parse('嘉善县 {region} 的伙伴系统以事由 "{purpose}" 核验这份证书的二维码'))
def partner_checks(client, demo, story: Story, region, purpose):
    story.response = client.post(
        "/api/v1/verify",
        json={"qr": story.url, "purpose": purpose},
        headers=bearer(demo.tokens[f"partner:{region}"]),
    )


@when(parsers.parse("嘉善县 {region} 的伙伴系统不说明事由就核验这份证书的二维码"))
def partner_checks_without_purpose(client, demo, story: Story, region):
    story.response = client.post(
        "/api/v1/verify",
        json={"qr": story.url, "purpose": " "},
        headers=bearer(demo.tokens[f"partner:{region}"]),
    )


@when("李思远在手机上打开访问链接")
def holder_opens_page(client, story: Story):
    story.response = client.get(story.shown["link"])


@when("李思远以 JSON 方式打开访问链接")
def holder_opens_json(client, story: Story):
    story.response = client.get(story.shown["link"], headers=JSON)


@when("李思远以 JSON 方式打开旧的访问链接")
def holder_opens_old_link(client, story: Story):
    story.response = client.get(story.shown["old link"], headers=JSON)


@then(parsers.parse('页面为中英双语，标题含 "{zh}" 与 "{en}"'))
def bilingual_page(story: Story, zh, en):
    assert story.response is not None and story.response.status_code == 200
    assert story.response.headers["content-type"].startswith("text/html")
    assert zh in story.response.text and en in story.response.text


@then(
    parsers.parse(
        '页面列出一次查验：查验方 "{client_name}"，地区 "{region}"，事由 "{purpose}"，'
        '结果 "{outcome}"'
    )
)
def page_lists_check(story: Story, client_name, region, purpose, outcome):
    assert story.response is not None
    listed = story.response.text.split('<ol class="accesses">')[1].split("</ol>")[0]
    rows = listed.split("<li>")[1:]
    assert len(rows) == 1
    for shown in (client_name, region, purpose, outcome):
        assert shown in rows[0]


@then(parsers.parse('页面显示证书的电子证照标识与持证人姓名 "{masked}"'))
def page_shows_facts(story: Story, masked):
    assert story.response is not None
    joint_type = elicence.type_code_of("JointTitleCredential")
    assert f"1.2.156.3005.2.{joint_type}.{JOINT_MECHANICAL_COMMITTEE.uscc}." in story.response.text
    assert story.issued["electronicLicenceId"] in story.response.text
    assert masked in story.response.text


@then("页面上没有李思远的身份证号码")
def no_id_number_on_page(story: Story):
    assert story.response is not None
    assert LI_SIYUAN.id_number not in story.response.text
    assert LI_SIYUAN.name not in story.response.text


@then(
    parsers.parse(
        '查验记录依次给出时间、查验方 "{client_name}"、地区 "{region}" 与事由 "{purpose}"'
    )
)
def json_log(story: Story, client_name, region, purpose):
    (entry,) = story.answer()["accesses"]
    assert entry["at"].endswith("Z")
    assert entry["client"]["name"] == client_name
    assert entry["region"]["code"] == region
    assert entry["purpose"] == purpose
    assert (entry["action"], entry["outcome"]) == ("verify", "valid")


@then("查验记录为空")
def empty_log(story: Story):
    assert story.answer()["accesses"] == []


@then(parsers.parse('错误代码为 "{code}"，并附中英文说明'))
def error_code(story: Story, code):
    problem = story.answer()
    assert problem["code"] == code
    assert problem["message"]["zh"] and problem["message"]["en"]
    assert problem["message"]["zh"] != problem["message"]["en"]


@when("联合评审委员会用证书的电子证照标识读取证书")
def read_by_elicence_id(client, demo, story: Story):
    identifier = story.issued["electronicLicenceId"]
    assert elicence.parse(identifier).issuer_uscc == JOINT_MECHANICAL_COMMITTEE.uscc
    story.response = client.get(f"/credentials/{identifier}", headers=committee_headers(demo))


@then("读到的是签发时的那份证书")
def same_credential(story: Story):
    body = story.answer()
    assert body["id"] == story.issued["id"]
    assert body["verifiableCredential"] == story.credential
    assert body["electronicLicenceId"] == story.issued["electronicLicenceId"]


@when("用人单位用电子证照标识与李思远的身份证号码核对持证人")
def match_by_elicence_id(client, story: Story):
    story.response = client.post(
        "/api/v1/verify/match",
        json={"record": story.issued["electronicLicenceId"], "idNumber": LI_SIYUAN.id_number},
    )


@then("核对结果为一致，回答中没有身份证号码")
def matched(story: Story):
    assert story.answer()["match"] is True
    assert story.answer()["record"] == story.issued["id"]
    assert story.response is not None and LI_SIYUAN.id_number not in story.response.text

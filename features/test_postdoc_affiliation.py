"""Steps of postdoc_affiliation.feature: entering the station, an employer's scan, a
partner's query, leaving the station (出站, 退站) as an amendment that supersedes the old QR,
and the refusals that keep it so: no fresh record of leaving while in station, no way back."""

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
from registry.demo.talent import LIN_YUTONG, POSTDOC_STATION
from tests.support.fixtures import BASE_URL

scenarios("postdoc_affiliation.feature")

POSTDOC = "PostdocAffiliationCredential"
KEY = "postdocAffiliation"
PARTNER_ONLY = ("示例理工大学", "周明德", "DEMO-PD-2024-0001")


def _entry(name: str, branch: str, host: str, entered: str) -> dict:
    credential = example(POSTDOC)
    assert credential["credentialSubject"]["name"] == name
    credential["credentialSubject"][KEY].update(branch=branch, hostUnit=host, entryDate=entered)
    return {"credential": credential}


@when(
    parsers.parse(
        '博士后工作站总站为 "{name}" 登记进站，分站 "{branch}"，设站单位 "{host}"，'
        '进站日期 "{entered}"'
    )
)
def station_records_entry(client, demo, story: Story, name, branch, host, entered):
    issue(client, story, _entry(name, branch, host, entered), headers_of(demo, "博士后工作站总站"))


@given("博士后工作站总站已登记林雨桐进站")
def entry_recorded(client, demo, story: Story):
    body = _entry("林雨桐", "吴江演示精密机械分站", "吴江演示精密机械有限公司", "2024-09-01")
    issue(client, story, body, headers_of(demo, "博士后工作站总站"))
    assert story.response is not None
    assert story.response.status_code == 201, story.response.text
    story.shown = {"first": story.issued}


@then(parsers.parse('凭证类型为 "{record_type}"，在站状态为 "{state}"'))
def credential_type(story: Story, record_type, state):
    assert story.credential["type"] == ["VerifiableCredential", record_type]
    assert story.credential["issuer"]["id"].endswith(POSTDOC_STATION.uscc)
    assert story.credential["credentialSubject"][KEY]["state"] == state


@then("二维码内容不超过 395 字节，放得进纠错等级 M 的第 15 版二维码")
def qr_budget(client, demo, story: Story):
    qr_within_budget(client, demo, story, POSTDOC_STATION)


@when("用人单位扫描证书二维码")
def employer_scans(client, story: Story):
    story.response = client.post("/api/v1/scan", json={"payload": story.payload})


@then(parsers.parse('显示的姓名为 "{masked}"'))
def masked_name(story: Story, masked):
    assert story.answer()["record"]["maskedName"] == masked


@then(
    parsers.parse(
        '显示的分站为 "{branch}"，设站单位为 "{host}"，在站状态为 "{state_zh}"（"{state_en}"）'
    )
)
def shown_affiliation(story: Story, branch, host, state_zh, state_en):
    shown = public_block(story, KEY)
    assert (shown["branch"], shown["hostUnit"]) == (branch, host)
    assert (shown["state"]["zh"], shown["state"]["en"]) == (state_zh, state_en)
    assert shown["station"]["code"] == "示范区博士后科研工作站总站"
    assert shown["entryDate"] == "2024-09-01"


@then("回答中没有合作高校、学科、导师和证书编号，也没有林雨桐的全名和身份证号码")
def nothing_private(story: Story):
    text = answer_text(story)
    for hidden in (*PARTNER_ONLY, LIN_YUTONG.name, LIN_YUTONG.id_number):
        assert hidden not in text, hidden


@when(parsers.parse('青浦区的伙伴系统以事由 "{purpose}" 提交证书的二维码链接'))
def partner_posts_qr(client, demo, story: Story, purpose):
    partner_verifies(client, demo, story, "青浦区", purpose)


@then(
    parsers.parse(
        '伙伴系统还看到合作高校 "{university}"、学科 "{discipline}"、合作导师 "{first}" 和 "{second}"'
    )
)
def partner_sees(story: Story, university, discipline, first, second):
    block = partner_block(story, KEY)
    assert (block["university"], block["discipline"]) == (university, discipline)
    assert [s["name"] for s in block["supervisors"]] == [first, second]
    assert block["certificateNumber"] == "DEMO-PD-2024-0001"


@then("回答中没有林雨桐的身份证号码")
def no_id_number(story: Story):
    assert LIN_YUTONG.id_number not in answer_text(story)
    assert "idNumber" not in story.answer()["partner"]


def _in_state(state: str, exit_date: str | None) -> dict:
    credential = example(POSTDOC)
    credential["credentialSubject"][KEY]["state"] = state
    if exit_date is not None:
        credential["credentialSubject"][KEY]["exitDate"] = exit_date
    return credential


def _amend(
    client, demo, story: Story, exit_date: str | None, state: str = "出站", record: str = ""
) -> None:
    record = record or story.shown["first"]["id"]
    story.response = client.post(
        f"/credentials/{record}/amend",
        json={"credential": _in_state(state, exit_date), "reason": "other", "note": "在站状态变更"},
        headers=headers_of(demo, "博士后工作站总站"),
    )
    if story.response.status_code == 201:
        story.issued = story.response.json()
        story.credential = story.issued["verifiableCredential"]
        story.payload = story.issued["qr"]["payload"]


@when(parsers.parse('博士后工作站总站为林雨桐办理出站，出站日期 "{exit_date}"'))
def station_records_exit(client, demo, story: Story, exit_date):
    _amend(client, demo, story, exit_date)


@when(parsers.parse('博士后工作站总站为林雨桐办理退站，退站日期 "{exit_date}"'))
def station_records_withdrawal(client, demo, story: Story, exit_date):
    _amend(client, demo, story, exit_date, "退站")


@when("博士后工作站总站为林雨桐办理出站，却没有填写出站日期")
def station_forgets_exit_date(client, demo, story: Story):
    _amend(client, demo, story, None)


@when(
    parsers.parse(
        '博士后工作站总站不修订在站记录，另发一份林雨桐 "{state}" 的新记录，出站日期 "{exit_date}"'
    )
)
def station_issues_fresh_exit(client, demo, story: Story, state, exit_date):
    body = {"credential": _in_state(state, exit_date)}
    issue(client, story, body, headers_of(demo, "博士后工作站总站"))


@then("错误说明提示修订在站记录")
def told_to_amend(story: Story):
    message = story.answer()["message"]
    assert "修订该在站记录" in message["zh"]
    assert "amend that record" in message["en"]
    assert LIN_YUTONG.id_number not in answer_text(story)


@when(parsers.parse('博士后工作站总站把出站后的记录修订回 "{state}"'))
def station_amends_back(client, demo, story: Story, state):
    story.shown["left"] = story.issued
    _amend(client, demo, story, None, state, record=story.issued["id"])


@then(parsers.parse('出站后的记录仍然有效，在站状态仍为 "{state}"'))
def left_record_stands(client, story: Story, state):
    payload = story.shown["left"]["qr"]["payload"]
    answer = client.post("/api/v1/scan", json={"payload": payload}).json()
    assert (answer["verified"], answer["status"]) == (True, "active")
    assert answer["record"][KEY]["state"]["code"] == state


@then("新版本的凭证写明它取代了进站时的版本")
def names_the_old_version(story: Story):
    first = story.shown["first"]
    assert story.credential["supersedes"] == f"{BASE_URL}/credentials/{first['id']}"
    assert story.issued["id"] != first["id"]


@when("用人单位扫描进站时的旧二维码")
def employer_scans_old(client, story: Story):
    story.shown["second"] = story.issued
    old = story.shown["first"]["qr"]["payload"]
    story.response = client.post("/api/v1/scan", json={"payload": old})


@then("回答给出现行版本的链接")
def points_to_current(story: Story):
    detail = story.check("status")["detail"]
    assert detail["status"] == "superseded"
    assert detail["supersededBy"]["id"].endswith(story.shown["second"]["id"])


@when("用人单位扫描出站后的新二维码")
@when("用人单位扫描退站后的新二维码")
def employer_scans_new(client, story: Story):
    story.response = client.post(
        "/api/v1/scan", json={"payload": story.shown["second"]["qr"]["payload"]}
    )


@then(parsers.parse('显示的在站状态为 "{state_zh}"（"{state_en}"），出站日期 "{exit_date}"'))
def shown_exit(story: Story, state_zh, state_en, exit_date):
    shown = public_block(story, KEY)
    assert (shown["state"]["zh"], shown["state"]["en"]) == (state_zh, state_en)
    assert shown["exitDate"] == exit_date


@then(parsers.parse('错误代码为 "{code}"，指向 "{pointer}"'))
def refused_at(story: Story, code, pointer):
    problem_at(story, code, pointer)

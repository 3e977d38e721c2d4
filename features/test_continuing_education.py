"""Steps of continuing_education.feature: two bureaus record hours, a Wujiang partner adds
them up, an employer scans one record, and hours that do not add up are refused."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from features.steps.qualifications import (
    BUREAUS,
    hours_request,
    issuer_headers,
    problem_at,
    public_block,
)
from features.steps.story import Story, issue, person
from registry.demo.data import LI_SIYUAN
from tests.support.fixtures import bearer

scenarios("continuing_education.feature")

PROVIDERS = {"青浦区人社局": "青浦区专业技术人员继续教育演示基地", "嘉善县人社局": "嘉善县专业技术人员继续教育演示中心"}  # fmt: skip


@when(
    parsers.parse(
        "{bureau}为{name}登记 {year:d} 年继续教育学时：公需科目 {general:d} 学时，"
        "专业科目 {professional:d} 学时"
    )
)
def record_hours(client, demo, story: Story, bureau, name, year, general, professional):
    body = hours_request(person(name), year, general, professional, PROVIDERS[bureau])
    issue(client, story, body, issuer_headers(demo, BUREAUS[bureau]))


@when(
    parsers.parse(
        "{bureau}为{name}登记 {year:d} 年继续教育学时，所填专业科目 {stated:d} 学时"
        "而所列专业课程只有 {listed:d} 学时"
    )
)
def record_hours_that_do_not_add_up(client, demo, story: Story, bureau, name, year, stated, listed):
    body = hours_request(person(name), year, 30, listed, PROVIDERS[bureau])
    body["credential"]["credentialSubject"]["continuingEducation"]["professionalHours"] = stated
    issue(client, story, body, issuer_headers(demo, BUREAUS[bureau]))


@when(parsers.parse('吴江区 {region} 的伙伴系统以事由 "{purpose}" 查询{name} {year:d} 年的学时'))
def partner_asks(client, demo, story: Story, region, purpose, name, year):
    story.response = client.post(
        "/api/v1/continuing-education/totals",
        json={"idNumber": person(name).id_number, "year": year, "purpose": purpose},
        headers=bearer(demo.tokens[f"partner:{region}"]),
    )


@then(parsers.parse("合计 {total:d} 学时，其中专业科目 {professional:d} 学时"))
def totals_are(story: Story, total, professional):
    totals = story.answer()["totals"]
    assert (totals["totalHours"], totals["professionalHours"]) == (total, professional)


@then(parsers.parse('未达到全国标准，原因代码为 "{first}" 与 "{second}"'))
def rule_not_met(story: Story, first, second):
    answer = story.answer()
    assert answer["ruleMet"] is False
    assert [reason["code"] for reason in answer["reasons"]] == [first, second]
    assert all(reason["message"]["zh"] and reason["message"]["en"] for reason in answer["reasons"])


@then(
    parsers.parse(
        "达到全国标准（每年 {hours:d} 学时，专业科目不少于 {professional:d} 学时），"
        '原因代码为 "{first}" 与 "{second}"'
    )
)
def rule_met(story: Story, hours, professional, first, second):
    answer = story.answer()
    assert answer["ruleMet"] is True
    assert (answer["rule"]["requiredHours"], answer["rule"]["requiredProfessionalHours"]) == (
        hours,
        professional,
    )
    assert [reason["code"] for reason in answer["reasons"]] == [first, second]


@then(parsers.parse("按地区：青浦区 {qingpu:d} 学时，嘉善县 {jiashan:d} 学时"))
def by_region(story: Story, qingpu, jiashan):
    regions = {r["region"]["zh"]: r["totalHours"] for r in story.answer()["byRegion"]}
    assert regions == {"青浦区": qingpu, "嘉善县": jiashan}
    assert all(record["counted"] for record in story.answer()["records"])


@then("回答中没有李思远的身份证号码")
def no_id_number(story: Story):
    assert story.response is not None
    assert LI_SIYUAN.id_number not in story.response.text


@when("吴江的用人单位扫描这份学时证明的二维码")
def employer_scans(client, story: Story):
    assert story.payload, story.answer()
    story.response = client.post("/api/v1/scan", json={"payload": story.payload})


@then(
    parsers.parse(
        "显示 {year:d} 年公需科目 {general:d} 学时、专业科目 {professional:d} 学时，"
        "认可地区为青浦区、吴江区、嘉善县"
    )
)
def shown_hours(story: Story, year, general, professional):
    hours = public_block(story, "continuingEducation")
    assert (hours["year"], hours["generalHours"], hours["professionalHours"]) == (
        year,
        general,
        professional,
    )
    assert [region["zh"] for region in hours["regions"]] == ["青浦区", "吴江区", "嘉善县"]


@then("回答中没有课程名称和施教机构")
def no_courses(story: Story):
    assert story.response is not None
    for hidden in ("演示：公需科目课程", "演示：专业科目课程", "继续教育演示基地", "courses"):
        assert hidden not in story.response.text


@then(parsers.parse('错误代码为 "{code}"，指向 "{pointer}"'))
def refused_at(story: Story, code, pointer):
    problem_at(story, code, pointer)

"""Steps of qualification_equivalence.feature: catalogues imported by the command line and
the API, an equivalence issued, scanned and queried by a partner region, and items the
catalogue lacks refused."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from features.steps.command import run_registry
from features.steps.qualifications import (
    BUREAUS,
    issuer_headers,
    problem_at,
    public_block,
    qr_within_budget,
    request_of,
)
from features.steps.story import Story, issue, person
from features.steps.talent import answer_text
from tests.support.catalogue_files import BAD_ROWS, CSV_2024, CSV_2025_ZH, xlsx_from_csv
from tests.support.fixtures import bearer

scenarios("qualification_equivalence.feature")

NAMES = [
    "--name-zh",
    "上海市境外职业资格比照认定目录（测试）",
    "--name-en",
    "Shanghai test catalogue",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HIDDEN = {
    "foreignQualification": "Incorporated Engineer (IEng)",
    "awardingBody": "Engineering Council",
    "foreignCertificateNumber": "DEMO-IENG-556677",
    "decisionNumber": "青人社比认〔2025〕演示7号",
}


# --- catalogues -----------------------------------------------------------------------------


@when(
    parsers.parse(
        '管理员运行 registry catalogue import 导入 CSV 目录 "{catalogue}" 版本 "{version}"'
    )
)
def import_csv(settings, story: Story, catalogue, version):
    story.command = run_registry(
        settings, "catalogue", "import", str(CSV_2024), "--catalogue", catalogue,
        "--version", version, *NAMES,
    )  # fmt: skip


@when(
    parsers.parse(
        '管理员运行 registry catalogue import 导入有错误的 CSV 目录 "{catalogue}" 版本 "{version}"'
    )
)
def import_bad_csv(settings, story: Story, catalogue, version):
    story.command = run_registry(
        settings, "catalogue", "import", str(BAD_ROWS), "--catalogue", catalogue,
        "--version", version, *NAMES,
    )  # fmt: skip


@then(parsers.parse("命令退出码为 {code:d}"))
def exit_code(story: Story, code):
    assert story.command is not None
    assert story.command.returncode == code, story.command.stdout + story.command.stderr


@then(parsers.parse("命令报告导入了 {count:d} 个条目，并报告已读取的行数"))
def import_reported(story: Story, count):
    assert story.command is not None
    assert f"{count} items" in story.command.stdout
    assert f"已导入 {count} 个条目" in story.command.stdout
    assert f"rows read / 已读取行数: {count + 1}" in story.command.stderr


@when(parsers.parse('管理员通过接口上传 XLSX 目录 "{catalogue}" 版本 "{version}"'))
def upload_xlsx(client, demo, story: Story, catalogue, version):
    story.response = client.post(
        f"/api/v1/catalogues/{catalogue}/versions",
        files={"file": ("境外职业资格目录.xlsx", xlsx_from_csv(CSV_2025_ZH), XLSX)},
        data={"version": version},
        headers=bearer(demo.tokens["admin"]),
    )


@then(
    parsers.parse(
        '目录 "{catalogue}" 有 "{old}" 与 "{new}" 两个版本，"{kept}" 版仍是原来的 {count:d} 个条目'
    )
)
def both_versions(client, catalogue, old, new, kept, count):
    listed = client.get("/api/v1/catalogues").json()["catalogues"]
    (found,) = [entry for entry in listed if entry["id"] == catalogue]
    assert [version["version"] for version in found["versions"]] == [old, new]
    items = client.get(f"/api/v1/catalogues/{catalogue}/versions/{kept}").json()["items"]
    assert [item["item"] for item in items] == ["ENG-001", "ENG-002", "IT-001", "FIN-001"]
    assert len(items) == count


@then(
    parsers.parse(
        "命令指出第 {row:d} 行“条目编号”列与第 {first:d} 行重复，"
        "第 {level_row:d} 行“对应级别”列不在代码表中"
    )
)
def bad_rows_named(story: Story, row, first, level_row):
    assert story.command is not None
    errors = story.command.stderr
    assert f"/rows/{row}/item: CATALOGUE_ITEM_DUPLICATE 第 {row} 行“条目编号”列" in errors
    assert f"the item number repeats row {first}" in errors
    assert f"/rows/{level_row}/level: CODE_UNKNOWN 第 {level_row} 行“对应级别”列" in errors
    assert "Traceback" not in errors


@then(parsers.parse('目录 "{catalogue}" 没有任何版本'))
def no_versions(client, catalogue):
    listed = client.get("/api/v1/catalogues").json()["catalogues"]
    assert catalogue not in [entry["id"] for entry in listed]


# --- equivalence records --------------------------------------------------------------------


@when(
    parsers.parse(
        '{bureau}为{name}申请比照认定：目录 "{catalogue}" 版本 "{version}" 条目 "{item}"，'
        '对应 "{series}" "{level}" "{specialty}"'
    )
)
def apply(
    client, demo, story: Story, bureau, name, catalogue, version, item, series, level, specialty
):
    block = {
        "catalogue": catalogue,
        "catalogueVersion": version,
        "item": item,
        "mappedSeries": series,
        "mappedLevel": level,
        "mappedSpecialty": specialty,
        "decidedOn": "2025-05-16",
        **HIDDEN,
    }
    body = request_of("QualificationEquivalenceCredential", person(name), "qualificationEquivalence", block)  # fmt: skip
    issue(client, story, body, issuer_headers(demo, BUREAUS[bureau]))


@then("二维码内容不超过 395 字节，放得进纠错等级 M 的第 15 版二维码")
def qr_budget(client, demo, story: Story):
    qr_within_budget(client, demo, story, BUREAUS["青浦区人社局"])


@when("用人单位扫描证书二维码")
def employer_scans(client, story: Story):
    story.response = client.post("/api/v1/scan", json={"payload": story.payload})


@then(
    parsers.parse(
        '显示目录 "{catalogue}" 版本 "{version}" 条目 "{item}"，'
        '对应 "{series}"（"{series_en}"）"{level}" "{specialty}"'
    )
)
def shown_equivalence(story: Story, catalogue, version, item, series, series_en, level, specialty):
    shown = public_block(story, "qualificationEquivalence")
    assert (shown["catalogue"], shown["catalogueVersion"], shown["item"]) == (catalogue, version, item)  # fmt: skip
    assert (shown["mappedSeries"]["zh"], shown["mappedSeries"]["en"]) == (series, series_en)
    assert shown["mappedLevel"]["zh"] == level
    assert shown["mappedSpecialty"]["zh"] == specialty
    assert shown["decidedOn"] == "2025-05-16"


@then("回答中没有境外职业资格名称、颁证机构和证书编号")
def nothing_partner_only(story: Story):
    assert story.response is not None
    for value in HIDDEN.values():
        assert value not in story.response.text
    assert (
        story.credential["credentialSubject"]["qualificationEquivalence"]["awardingBody"]
        == (HIDDEN["awardingBody"])
    )  # the signed credential does hold them


@when(parsers.parse('吴江区 {region} 的伙伴系统以事由 "{purpose}" 提交证书的二维码链接'))
def partner_posts_qr(client, demo, story: Story, region, purpose):
    story.response = client.post(
        "/api/v1/verify",
        json={"qr": story.url, "purpose": purpose},
        headers=bearer(demo.tokens[f"partner:{region}"]),
    )


@then(
    parsers.parse(
        '互认检查针对吴江区 "{region}"，依据互认协议 "{agreement}"，'
        '目录条目 "{item}" 在吴江同样适用'
    )
)
def recognised_in_wujiang(story: Story, region, agreement, item):
    detail = story.check("recognition")["detail"]
    assert detail["region"] == region
    assert detail["agreement"]["id"] == agreement
    assert {"320509", "310118"} <= set(detail["agreement"]["parties"])
    (equivalent,) = [e for e in detail["equivalent"] if e["kind"] == "catalogue_item"]
    assert (equivalent["source"], equivalent["target"]) == (item, item)


@then("伙伴系统还看到境外职业资格名称、颁证机构、证书编号和认定文号")
def partner_sees_foreign_facts(story: Story):
    partner = story.answer()["partner"]
    assert partner["detailsKey"] == "qualificationEquivalence"
    assert partner["qualificationEquivalence"] == HIDDEN


@then(parsers.parse("回答中没有{name}的身份证号码"))
def no_id_number(story: Story, name):
    assert person(name).id_number not in answer_text(story)
    assert "idNumber" not in story.answer()["partner"]


@then(parsers.parse('错误代码为 "{code}"，指向 "{pointer}"'))
def refused_at(story: Story, code, pointer):
    problem_at(story, code, pointer)

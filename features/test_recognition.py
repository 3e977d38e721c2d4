"""Steps of recognition.feature: recognition in partner regions, issuing outside a scope,
and a key compromised between two issuances. HTTP API only."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from pytest_bdd import given, parsers, scenarios, then, when

from features.steps.story import Story, committee_headers, issue, joint_title_request, person
from registry.demo.data import DEMO_ISSUERS, WUJIANG_BUREAU
from tests.support.fixtures import bearer

scenarios("recognition.feature")

BUREAUS = {issuer.region: issuer.uscc for issuer in DEMO_ISSUERS if issuer.kind == "hr_bureau"}


def _title_request(name: str, title: str, specialty: str) -> dict[str, Any]:
    engineer = person(name)
    return {
        "credential": {
            "type": ["VerifiableCredential", "ProfessionalTitleCredential"],
            "credentialSubject": {
                "name": engineer.name,
                "idNumber": engineer.id_number,
                "professionalTitle": {
                    "series": "工程技术",
                    "specialty": specialty,
                    "level": "中级",
                    "titleName": title,
                    "obtainedBy": "评审",
                    "obtainedOn": "2024-11-20",
                },
            },
        }
    }


def _verify(client, token: str, payload: str, purpose: str):
    return client.post(
        "/api/v1/verify", json={"qr": payload, "purpose": purpose}, headers=bearer(token)
    )


@given(parsers.parse('吴江区人社局已为吴江工程师{name}签发 "{title}" 职称，专业 "{specialty}"'))
def wujiang_bureau_issues(client, demo, story: Story, name, title, specialty):
    headers = bearer(demo.tokens[f"issuer:{WUJIANG_BUREAU.uscc}"])
    issue(client, story, _title_request(name, title, specialty), headers)
    assert story.response is not None and story.response.status_code == 201, story.response.text
    story.shown = {"first": story.payload}


@when(parsers.parse('嘉善县 {region} 的伙伴系统以事由 "{purpose}" 核验该证书'))
def jiashan_verifies(client, demo, story: Story, region, purpose):
    story.response = _verify(client, demo.tokens[f"partner:{region}"], story.payload, purpose)


@then(parsers.parse('互认依据为 "{via}"'))
def native_via(story: Story, via):
    assert story.check("recognition")["detail"]["via"] == via


@then("联合评审证明逐地列出青浦、吴江、嘉善三地人社局的签名，每一个都有效")
def proof_per_region(client, demo, story: Story):
    story.response = client.post(
        "/api/v1/verify",
        json={"credential": story.credential, "purpose": "联合评审证明核验"},
        headers=bearer(demo.tokens["partner:330421"]),
    )
    regions = story.check("proof_set")["detail"]["regions"]
    assert [(r["region"], r["signer"], r["outcome"]) for r in regions] == [
        (region, BUREAUS[region], "passed") for region in ("310118", "320509", "330421")
    ]
    assert all(len(r["kid"]) == 16 for r in regions)


@then(parsers.parse('互认协议为 "{agreement}"，法律依据含 "{basis}"'))
def under_agreement(story: Story, agreement, basis):
    detail = story.check("recognition")["detail"]
    assert detail["agreement"]["id"] == agreement
    assert basis in detail["agreement"]["legalBasis"]
    assert basis in detail["agreement"]["name"]["zh"]


@then(parsers.parse('本地区对应的职称名称为 "{title}"，级别为 "{level}"'))
def equivalent_terms(story: Story, title, level):
    check = story.check("recognition")
    terms = {e["kind"]: e for e in check["detail"]["equivalent"]}
    assert (terms["title_name"]["target"], terms["level"]["target"]) == (title, level)
    assert f"“{title}”" in check["message"]["zh"]


@given(parsers.parse('管理员登记了地区 {code} "{name}"，并为其创建伙伴客户端 "{client_name}"'))
def guangzhou_partner(client, demo, story: Story, code, name, client_name):
    admin = bearer(demo.tokens["admin"])
    region = client.post(
        "/api/v1/admin/regions",
        json={"code": code, "nameZh": name, "nameEn": "Guangzhou"},
        headers=admin,
    )
    assert region.status_code == 201, region.text
    created = client.post(
        "/api/v1/admin/partners", json={"region": code, "name": client_name}, headers=admin
    )
    assert created.status_code == 201, created.text
    story.shown["partner"] = created.json()["token"]


@when(parsers.parse('广州的伙伴客户端以事由 "{purpose}" 核验该证书'))
def guangzhou_verifies(client, story: Story, purpose):
    story.response = _verify(client, story.shown["partner"], story.payload, purpose)


@then(parsers.parse('不予互认的说明为 "{message}"'))
def refusal_message(story: Story, message):
    check = story.check("recognition")
    assert check["message"]["zh"] == message
    assert check["message"]["en"].startswith("not recognised: no agreement")
    assert check["detail"]["region"] == "440100"


@when(
    parsers.parse(
        '联合评审委员会用签发令牌为吴江工程师{name}申请 "{title}" 职称，专业 "{specialty}"'
    )
)
def committee_outside_specialty(client, demo, story: Story, name, title, specialty):
    body = joint_title_request(person(name), title, specialty, "副高级")
    issue(client, story, body, committee_headers(demo))


@then(parsers.parse('错误代码为 "{code}"，说明指出超出授权的 "{zh}"（"{en}"）'))
def refusal_names_dimension(story: Story, code, zh, en):
    body = story.answer()
    assert body["code"] == code
    assert zh in body["message"]["zh"] and en in body["message"]["en"]


@given("一秒之后，吴江区人社局又用同一把密钥签发了一份职称证书")
def second_record(client, demo, story: Story):
    time.sleep(1.05 - (time.time() % 1))  # a QR states its signing time in whole seconds
    story.shown["compromised_at"] = datetime.now(UTC).replace(microsecond=0)
    headers = bearer(demo.tokens[f"issuer:{WUJIANG_BUREAU.uscc}"])
    issue(client, story, _title_request("李思远", "工程师", "纺织工程"), headers)
    assert story.response is not None and story.response.status_code == 201
    story.shown["second"] = story.payload


@when("管理员把这把密钥标记为自第二份证书签发前的时刻起泄露")
def admin_compromises(client, demo, story: Story):
    answer = _verify(client, demo.tokens["partner:320509"], story.shown["second"], "密钥核对")
    kid = next(c for c in answer.json()["checks"] if c["check"] == "key_valid")["detail"]["kid"]
    marked = client.post(
        f"/api/v1/admin/keys/{kid}/compromise",
        json={"at": story.shown["compromised_at"].isoformat()},
        headers=bearer(demo.tokens["admin"]),
    )
    assert marked.status_code == 200, marked.text


@when(parsers.parse("吴江区 {region} 的伙伴系统分别核验这两份证书"))
def both_verified(client, demo, story: Story, region):
    token = demo.tokens[f"partner:{region}"]
    story.shown["answers"] = [
        _verify(client, token, story.shown[which], "证书复核").json()
        for which in ("first", "second")
    ]


def _key_check(answer: dict[str, Any]) -> tuple[str, str]:
    found = next(c for c in answer["checks"] if c["check"] == "key_valid")
    return found["outcome"], found["code"]


@then(parsers.parse('第一份证书有效，检查 "key_valid" 的结果为 "{outcome}"，代码为 "{code}"'))
def first_still_valid(story: Story, outcome, code):
    first = story.shown["answers"][0]
    assert first["verified"] is True
    assert _key_check(first) == (outcome, code)
    assert [w["code"] for w in first["warnings"]] == [code]


@then(parsers.parse('第二份证书无效，检查 "key_valid" 的结果为 "{outcome}"，代码为 "{code}"'))
def second_fails(story: Story, outcome, code):
    second = story.shown["answers"][1]
    assert second["verified"] is False
    assert _key_check(second) == (outcome, code)


@then(parsers.parse('透明日志的最后一条事件为 "{kind}"'))
def last_log_event(client, kind):
    size = client.get("/log/head").json()["treeSize"]
    entries = client.get("/log/entries", params={"start": size - 1, "end": size}).json()
    assert entries["entries"][0]["event"]["event"] == kind

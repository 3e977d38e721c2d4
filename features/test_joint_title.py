"""Steps of joint_title.feature: issuing a joint title, and checking it by phone, by a
partner system, and after one character has changed."""

from __future__ import annotations

import urllib.parse

from pytest_bdd import parsers, scenarios, then, when

from features.steps.story import Story, committee_headers, issue, joint_title_request, person
from registry.demo.data import (
    DEMO_ISSUERS,
    JOINT_MECHANICAL_COMMITTEE,
    LI_SIYUAN,
)
from tests.support.fixtures import BASE_URL, bearer

scenarios("joint_title.feature")

SIGNERS = {  # the committee and the three bureaus
    issuer.uscc
    for issuer in DEMO_ISSUERS
    if issuer.kind == "hr_bureau" or issuer is JOINT_MECHANICAL_COMMITTEE
}


def _signer(verification_method: str) -> str:
    """The USCC in ``{BASE_URL}/issuers/{uscc}#{kid}``."""
    issuer_url, _, _ = verification_method.partition("#")
    assert issuer_url.startswith(f"{BASE_URL}/issuers/")
    return issuer_url.rsplit("/", 1)[1]


# --- issuing --------------------------------------------------------------------------------


@when(
    parsers.parse(
        '联合评审委员会用签发令牌为吴江工程师{name}申请 "{title}" 职称，专业 "{specialty}"，'
        '级别 "{level}"，评审地区为青浦、吴江、嘉善'
    )
)
def committee_issues(client, demo, story: Story, name, title, specialty, level):
    engineer = person(name)
    assert engineer.region == "320509"
    body = joint_title_request(engineer, title, specialty, level)
    issue(client, story, body, committee_headers(demo))


@then(parsers.parse('凭证类型为 "{record_type}"'))
def credential_type(story: Story, record_type):
    assert story.credential["type"] == ["VerifiableCredential", record_type]


@then(parsers.parse('凭证中的职称为 "{title}"，专业 "{specialty}"，级别 "{level}"'))
def credential_title(story: Story, title, specialty, level):
    held = story.credential["credentialSubject"]["professionalTitle"]
    assert (held["titleName"], held["specialty"], held["level"]) == (title, specialty, level)
    assert held["reviewRegions"] == ["310118", "320509", "330421"]
    assert story.credential["issuer"]["id"].endswith(JOINT_MECHANICAL_COMMITTEE.uscc)


@then("凭证带有 4 个证明，签名方为联合评审委员会与青浦、吴江、嘉善三地人社局")
def proof_set(story: Story):
    proofs = story.credential["proof"]
    assert len(proofs) == 4
    assert {proof["cryptosuite"] for proof in proofs} == {"eddsa-jcs-2022"}
    assert {_signer(proof["verificationMethod"]) for proof in proofs} == SIGNERS


@then(parsers.parse('响应给出以 "{prefix}" 开头的二维码链接'))
def qr_link(story: Story, prefix):
    qr = story.issued["qr"]
    assert qr["url"].startswith(prefix)
    assert qr["url"] == f"{BASE_URL}/v#{qr['payload']}"


# --- the employer in Qingpu -----------------------------------------------------------------


@when("青浦的用人单位用手机打开证书二维码中的链接")
def open_link(client, story: Story):
    link = urllib.parse.urlsplit(story.url)
    assert f"{link.scheme}://{link.netloc}" == BASE_URL
    story.response = client.get(link.path)  # a browser never sends the fragment
    story.page_fragment = link.fragment


@then(parsers.parse('打开的是中英双语的核验页，标题含 "{zh}" 与 "{en}"'))
def verify_page(story: Story, zh, en):
    assert story.response is not None
    assert story.response.status_code == 200
    assert story.response.headers["content-type"].startswith("text/html")
    assert zh in story.response.text
    assert en in story.response.text
    assert "身份证号码" in story.response.text
    assert "ID number" in story.response.text


@then(parsers.parse('核验页的脚本读取链接 # 之后的内容并提交给 "{path}"'))
def page_script(client, story: Story, path):
    assert story.response is not None
    assert '<script src="/static/verify.js"' in story.response.text
    script = client.get("/static/verify.js")
    assert script.status_code == 200
    assert "location.hash" in script.text
    assert path in script.text


@when("核验页把链接 # 之后的二维码内容提交给 /api/v1/scan")
def page_scans(client, story: Story):
    story.response = client.post("/api/v1/scan", json={"payload": story.page_fragment})
    story.shown = story.answer()


@then(parsers.parse('显示的姓名为 "{masked}"'))
def masked_name(story: Story, masked):
    assert story.answer()["record"]["maskedName"] == masked


@then(
    parsers.parse('显示的职称为 "{title_zh}"（"{title_en}"），级别为 "{level_zh}"（"{level_en}"）')
)
def shown_title(story: Story, title_zh, title_en, level_zh, level_en):
    title = story.answer()["record"]["professionalTitle"]
    assert (title["titleName"]["zh"], title["titleName"]["en"]) == (title_zh, title_en)
    assert (title["level"]["zh"], title["level"]["en"]) == (level_zh, level_en)


@then(parsers.parse('显示的签发机构为 "{issuer_name}"'))
def shown_issuer(story: Story, issuer_name):
    issuer = story.answer()["issuer"]
    assert issuer["name"]["zh"] == issuer_name
    assert issuer["uscc"] == JOINT_MECHANICAL_COMMITTEE.uscc


@then("回答中既没有李思远的全名，也没有他的身份证号码")
def nothing_personal(story: Story):
    assert story.response is not None
    assert LI_SIYUAN.name not in story.response.text
    assert LI_SIYUAN.id_number not in story.response.text


@when(parsers.parse("用人单位输入{name}的身份证号码核对持证人"))
def match_holder(client, story: Story, name):
    typed = person(name).id_number
    record = story.shown["record"]["id"]  # the page asks about the record it shows
    story.response = client.post("/api/v1/verify/match", json={"record": record, "idNumber": typed})
    assert typed not in story.response.text


@then(parsers.parse('核对结果为 "{zh}"（"{en}"）'))
def match_result(story: Story, zh, en):
    assert story.response is not None
    assert story.response.status_code == 200, story.response.text
    answer = story.answer()
    assert answer["record"] == story.issued["id"]
    assert answer["match"] is (en == "match")
    assert answer["message"] == {"zh": zh, "en": en}


# --- the partner system in Jiashan ----------------------------------------------------------


@when(parsers.parse('嘉善县 {region} 的伙伴系统以事由 "{purpose}" 提交证书的二维码链接'))
def partner_posts_qr(client, demo, story: Story, region, purpose):
    story.response = client.post(
        "/api/v1/verify",
        json={"qr": story.url, "purpose": purpose},
        headers=bearer(demo.tokens[f"partner:{region}"]),
    )


@when(parsers.parse('嘉善县 {region} 的伙伴系统以事由 "{purpose}" 提交证书的 JSON'))
def partner_posts_credential(client, demo, story: Story, region, purpose):
    story.response = client.post(
        "/api/v1/verify",
        json={"credential": story.credential, "purpose": purpose},
        headers=bearer(demo.tokens[f"partner:{region}"]),
    )


@then(parsers.parse('互认检查针对的地区为 "{region}"'))
def recognition_region(story: Story, region):
    assert story.check("recognition")["detail"]["region"] == region


@then("签名检查逐一列出 4 个有效的证明，签名方为联合评审委员会与青浦、吴江、嘉善三地人社局")
def proofs_listed(story: Story):
    proofs = story.check("signature")["detail"]["proofs"]
    assert len(proofs) == 4
    assert all(proof["valid"] is True and proof["code"] == "PROOF_VALID" for proof in proofs)
    assert {_signer(proof["verificationMethod"]) for proof in proofs} == SIGNERS


# --- one changed character ------------------------------------------------------------------


@when(parsers.parse('二维码内容中间的一个字符被改成 "{character}"'))
def middle_character_changed(story: Story, character):
    middle = len(story.payload) // 2
    assert story.payload[middle] != character
    story.payload = story.payload[:middle] + character + story.payload[middle + 1 :]


@when("扫描改动后的二维码")
def scan_changed(client, story: Story):
    story.response = client.post("/api/v1/scan", json={"payload": story.payload})


@when(parsers.parse('凭证中的级别被改为 "{level}"'))
def level_changed(story: Story, level):
    title = story.credential["credentialSubject"]["professionalTitle"]
    assert len(title["level"]) == len(level)
    assert sum(a != b for a, b in zip(title["level"], level, strict=True)) == 1
    title["level"] = level


@when("用 /credentials/verify 核验改动后的凭证")
def verify_changed_credential(client, story: Story):
    story.response = client.post(
        "/credentials/verify", json={"verifiableCredential": story.credential}
    )

"""Steps of vc_api.feature: a partner on another stack issues a generic credential through
the VC-API, verifies it, has its holder present it (a did:key wallet signs the
presentation) and sees it revoked. HTTP only; the holder's wallet is the test's own key."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from features.steps.story import Story
from registry.core.formats.statuslist import StatusList
from registry.demo.data import JIASHAN_BUREAU
from tests.support.fixtures import BASE_URL, bearer
from tests.support.presentations import holder_did, holder_key, presentation, sign_presentation

scenarios("vc_api.feature")

VC_V2 = "https://www.w3.org/ns/credentials/v2"
WALLET = holder_key(11)
HOLDER = holder_did(WALLET)


@pytest.fixture
def presented() -> dict[str, Any]:
    """The presentation the holder made last."""
    return {}


def _bureau_headers(demo) -> dict[str, str]:
    return bearer(demo.tokens[f"issuer:{JIASHAN_BUREAU.uscc}"])


@given("嘉善县人社局的合作系统通过 VC-API 为持证人的 did:key 签发一份培训结业证明")
def partner_issues(client, demo, story: Story):
    credential = {
        "@context": [VC_V2, "https://www.w3.org/ns/credentials/examples/v2"],
        "type": ["VerifiableCredential", "ExampleTrainingCredential"],
        "name": "示范区数字技能培训结业证明",
        "validFrom": "2026-12-01T00:00:00Z",
        "credentialSubject": {"id": HOLDER, "completed": "数字技能提升培训（40 学时）"},
    }
    story.response = client.post(
        "/credentials/issue", json={"credential": credential}, headers=_bureau_headers(demo)
    )
    assert story.response.status_code == 201, story.response.text
    story.issued = story.response.json()
    story.credential = story.issued["verifiableCredential"]


@then(parsers.parse('凭证标识以 "{prefix}" 开头，签发机构是嘉善县人社局'))
def credential_ids(story: Story, prefix):
    assert story.credential["id"].startswith(prefix)
    assert story.credential["issuer"] == f"{BASE_URL}/issuers/{JIASHAN_BUREAU.uscc}"
    assert "qr" not in story.issued


@then(parsers.parse('凭证带有 "{first}" 和 "{second}" 两个 BitstringStatusListEntry 状态项'))
def status_entries(story: Story, first, second):
    entries = story.credential["credentialStatus"]
    assert [entry["statusPurpose"] for entry in entries] == [first, second]
    assert {entry["type"] for entry in entries} == {"BitstringStatusListEntry"}


@then(parsers.parse('凭证的证明使用密码套件 "{suite}"'))
def proof_suite(story: Story, suite):
    assert story.credential["proof"]["cryptosuite"] == suite


@when("合作系统通过 VC-API 核验该凭证")
def partner_verifies(client, story: Story):
    story.response = client.post(
        "/credentials/verify", json={"verifiableCredential": story.credential}
    )


@when(parsers.parse('持证人以 challenge "{challenge}" 和 domain "{domain}" 签名出示该凭证'))
def holder_presents(story: Story, presented, challenge, domain):
    vp = presentation([story.credential], HOLDER)
    presented["vp"] = sign_presentation(vp, WALLET, challenge=challenge, domain=domain)


@when(parsers.parse('核验方以 challenge "{challenge}" 和 domain "{domain}" 核验该表述'))
def verifier_checks_presentation(client, story: Story, presented, challenge, domain):
    story.response = client.post(
        "/presentations/verify",
        json={
            "verifiablePresentation": presented["vp"],
            "options": {"challenge": challenge, "domain": domain},
        },
    )


@then("表述核验通过，其中的凭证核验通过")
def presentation_verified(story: Story):
    body = story.answer()
    assert body["verified"] is True
    assert body["presentationResult"]["holder"] == HOLDER
    assert [result["verified"] for result in body["credentialResults"]] == [True]


@then(parsers.parse('表述中的凭证状态为 "{status}"'))
def presented_status(story: Story, status):
    assert [result["status"] for result in story.answer()["credentialResults"]] == [status]


@then(parsers.parse('错误代码为 "{code}"'))
def error_code(story: Story, code):
    body = story.answer()
    assert body["code"] == code
    assert body["message"]["zh"] != body["message"]["en"]


@when(parsers.parse('嘉善县人社局以原因 "{reason}" 撤销该凭证'))
def bureau_revokes(client, demo, story: Story, reason):
    story.response = client.post(
        f"/credentials/{story.issued['id']}/revoke",
        json={"reason": reason},
        headers=_bureau_headers(demo),
    )


@then(parsers.parse("嘉善县人社局的撤销状态列表中该凭证的位为 {bit:d}"))
def revocation_bit(client, story: Story, bit):
    entry = story.credential["credentialStatus"][0]
    response = client.get(entry["statusListCredential"].removeprefix(BASE_URL))
    assert response.status_code == 200
    listed = response.json()
    assert listed["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
    bits = StatusList.decode(listed["credentialSubject"]["encodedList"])
    assert bits.get(int(entry["statusListIndex"])) == bit


@when("合作系统通过 VC-API 提交一份 VC 1.1 凭证")
def partner_submits_v1(client, demo, story: Story):
    credential = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuanceDate": "2026-12-01T00:00:00Z",
        "credentialSubject": {"id": HOLDER, "completed": "培训"},
    }
    story.response = client.post(
        "/credentials/issue", json={"credential": credential}, headers=_bureau_headers(demo)
    )

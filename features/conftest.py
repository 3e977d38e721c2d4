"""The zone's story, shared by every feature: who is who, the engineer's joint title, and the
steps several features use. Steps drive the HTTP API or the ``registry`` command only."""

from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import httpx
import pytest
from pytest_bdd import given, parsers, then, when

from registry.services.demo_data import (
    DEMO_PEOPLE,
    JIASHAN,
    JOINT_MECHANICAL_COMMITTEE,
    LI_SIYUAN,
    QINGPU,
    WUJIANG,
    DemoPerson,
)
from tests.support.fixtures import BASE_URL, bearer

QR_PREFIX = "RC1:"
BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
SIGNATURE_BYTES = 64  # an Ed25519 signature closes the COSE_Sign1


@dataclass
class Story:
    """What the people in a scenario hold between steps."""

    issued: dict[str, Any] = field(default_factory=dict)  # the 201 body of the issuance
    payload: str = ""  # the QR text in hand, possibly changed
    credential: dict[str, Any] = field(default_factory=dict)  # the credential in hand
    response: httpx.Response | None = None
    page_fragment: str = ""
    file: Path | None = None
    command: CompletedProcess[str] | None = None

    @property
    def url(self) -> str:
        """The verify-page link that a QR code holding ``payload`` carries."""
        return f"{BASE_URL}/v#{self.payload}"

    def answer(self) -> dict[str, Any]:
        """The JSON body of the last response."""
        assert self.response is not None, "no request was made"
        body: dict[str, Any] = self.response.json()
        return body


@pytest.fixture
def story() -> Story:
    """A fresh story per scenario."""
    return Story()


def person(name: str) -> DemoPerson:
    """A demo engineer by Chinese name."""
    return next(someone for someone in DEMO_PEOPLE if someone.name == name)


def joint_title_request(engineer: DemoPerson, title: str, specialty: str, level: str) -> dict:
    """A JointTitleCredential request of the mechanical engineering joint committee."""
    return {
        "credential": {
            "type": ["VerifiableCredential", "JointTitleCredential"],
            "credentialSubject": {
                "name": engineer.name,
                "idNumber": engineer.id_number,
                "professionalTitle": {
                    "series": "工程技术",
                    "specialty": specialty,
                    "level": level,
                    "titleName": title,
                    "obtainedBy": "评审",
                    "obtainedOn": "2024-12-27",
                    "jointCommittee": JOINT_MECHANICAL_COMMITTEE.uscc,
                    "reviewRegions": [QINGPU, WUJIANG, JIASHAN],
                    "reviewSession": {"year": 2024, "batch": 1},
                    "certificateNumber": "DEMO-YRD-2024-0007",
                    "employer": "吴江演示精密机械有限公司",
                },
            },
        }
    }


def committee_headers(demo: Any) -> dict[str, str]:
    """The joint committee's issuer token."""
    return bearer(demo.tokens[f"issuer:{JOINT_MECHANICAL_COMMITTEE.uscc}"])


def issue(client: Any, demo: Any, story: Story, body: dict) -> None:
    """The committee posts an issuance request; a 201 fills the story."""
    story.response = client.post("/credentials/issue", json=body, headers=committee_headers(demo))
    if story.response.status_code == 201:
        story.issued = story.response.json()
        story.payload = story.issued["qr"]["payload"]
        story.credential = story.issued["verifiableCredential"]


def _inflated(payload: str) -> bytes | None:
    """The COSE bytes a QR text carries, read with the standard library; None if unreadable."""
    body = payload.removeprefix(QR_PREFIX)
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
        inflater = zlib.decompressobj(wbits=-15)
        data = inflater.decompress(raw)
    except (binascii.Error, zlib.error):
        return None
    return data if inflater.eof and not inflater.unused_data else None


def change_signature_character(payload: str) -> str:
    """Change one base32 character so that only the signature bytes of the COSE differ."""
    original = _inflated(payload)
    assert original is not None
    for position in range(len(payload) - 2, len(QR_PREFIX), -1):
        for letter in BASE32_ALPHABET.replace(payload[position], ""):
            changed = payload[:position] + letter + payload[position + 1 :]
            data = _inflated(changed)
            if (
                data is not None
                and data != original
                and len(data) == len(original)
                and data[:-SIGNATURE_BYTES] == original[:-SIGNATURE_BYTES]
            ):
                return changed
    raise AssertionError("no one-character change reaches the signature")


# --- shared steps -------------------------------------------------------------------------


@given("联合评审委员会已为吴江工程师李思远签发高级工程师职称证书")
def joint_title_issued(client, demo, story: Story) -> None:
    issue(client, demo, story, joint_title_request(LI_SIYUAN, "高级工程师", "机械工程", "副高级"))
    assert story.response is not None
    assert story.response.status_code == 201, story.response.text


@when("二维码签名部分的一个字符被改成 base32 字母表中的另一个字符")
def signature_character_changed(story: Story) -> None:
    changed = change_signature_character(story.payload)
    assert sum(a != b for a, b in zip(changed, story.payload, strict=True)) == 1
    story.payload = changed


@then(parsers.parse("响应状态码为 {status:d}"))
def status_is(story: Story, status: int) -> None:
    assert story.response is not None
    assert story.response.status_code == status, story.response.text


@then(parsers.parse('核验结果为有效，证书状态为 "{status}"'))
def verified(story: Story, status: str) -> None:
    answer = story.answer()
    assert answer["verified"] is True
    assert answer["status"] == status
    assert all(check["outcome"] != "failed" for check in answer["checks"])


@then("核验结果为无效")
def not_verified(story: Story) -> None:
    assert story.answer()["verified"] is False


@then(parsers.parse('检查 "{name}" 的结果为 "{outcome}"，代码为 "{code}"'))
def check_outcome(story: Story, name: str, outcome: str, code: str) -> None:
    checks = [check for check in story.answer()["checks"] if check["check"] == name]
    assert len(checks) == 1, checks
    assert (checks[0]["outcome"], checks[0]["code"]) == (outcome, code)


@then(parsers.parse('问题详情列出检查 "{name}" 的代码 "{code}"，并附中英文说明'))
def problem_detail(story: Story, name: str, code: str) -> None:
    answer = story.answer()
    failed = next(check for check in answer["checks"] if check["check"] == name)
    problems = [problem for problem in answer["problemDetails"] if problem["code"] == code]
    assert len(problems) == 1, answer["problemDetails"]
    assert problems[0]["check"] == name
    assert failed["message"]["zh"] in problems[0]["detail"]
    assert failed["message"]["en"] in problems[0]["detail"]
    assert failed["message"]["zh"] != failed["message"]["en"]

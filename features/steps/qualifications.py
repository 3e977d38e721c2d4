"""Requests and checks shared by the stories of vocational qualifications, continuing-
education hours and qualification equivalences. Everything goes over HTTP."""

from __future__ import annotations

import base64
import io
from typing import Any

import zxingcpp
from PIL import Image

from features.steps.story import Story
from registry.demo.data import (
    JIASHAN,
    JIASHAN_BUREAU,
    QINGPU,
    QINGPU_BUREAU,
    WUJIANG,
    DemoIssuer,
    DemoPerson,
)
from tests.support.fixtures import bearer

BUREAUS = {"青浦区人社局": QINGPU_BUREAU, "嘉善县人社局": JIASHAN_BUREAU}
ZONE = [QINGPU, WUJIANG, JIASHAN]


def issuer_headers(demo: Any, issuer: DemoIssuer) -> dict[str, str]:
    """The issuer token of a demo bureau."""
    return bearer(demo.tokens[f"issuer:{issuer.uscc}"])


def request_of(record_type: str, person: DemoPerson, key: str, block: dict[str, Any]) -> dict:
    """An issuance request body for one record."""
    return {
        "credential": {
            "type": ["VerifiableCredential", record_type],
            "credentialSubject": {"name": person.name, "idNumber": person.id_number, key: block},
        }
    }


def hours_request(
    person: DemoPerson, year: int, general: float, professional: float, provider: str
) -> dict:
    """A ContinuingEducationCredential request with one general and one professional course."""
    courses = [
        {"title": "演示：公需科目课程", "kind": "公需科目", "hours": general, "provider": provider},
        {
            "title": "演示：专业科目课程",
            "kind": "专业科目",
            "hours": professional,
            "provider": provider,
        },
    ]
    block = {
        "year": year,
        "generalHours": general,
        "professionalHours": professional,
        "regions": ZONE,
        "courses": [course for course in courses if course["hours"]],
    }
    return request_of("ContinuingEducationCredential", person, "continuingEducation", block)


def problem_at(story: Story, code: str, pointer: str) -> None:
    """The last answer is an error with this code, naming this field."""
    body = story.answer()
    assert body["code"] == code, body
    assert pointer in [error["pointer"] for error in body["errors"]], body["errors"]
    assert body["message"]["zh"] and body["message"]["en"]


def public_block(story: Story, key: str) -> dict[str, Any]:
    """The type's public facts in the last verification answer."""
    record = story.answer()["record"]
    assert record is not None, story.answer()
    block: dict[str, Any] = record[key]
    return block


def qr_within_budget(client: Any, demo: Any, story: Story, issuer: DemoIssuer) -> None:
    """The issued QR payload is at most 395 bytes, and the PNG the issuer downloads is a QR
    code of version 15 or less at level M that reads back to the verify link."""
    payload = story.payload.removeprefix("RC1:")
    assert len(base64.b32decode(payload + "=" * (-len(payload) % 8))) <= 395
    response = client.get(
        f"/api/v1/credentials/{story.issued['id']}/qr.png", headers=issuer_headers(demo, issuer)
    )
    assert response.status_code == 200
    (found,) = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(response.content)), formats=zxingcpp.BarcodeFormat.QRCode
    )
    assert found.text == story.issued["qr"]["url"]
    assert (found.extra["ECLevel"], int(found.extra["Version"]) <= 15) == ("M", True)

"""The zone's story: what people hold between steps, who the engineers are, the joint
title request, and the one-character change to a QR. Talks to the registry over HTTP only."""

from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import httpx

from registry.demo.data import (
    DEMO_PEOPLE,
    JIASHAN,
    JOINT_MECHANICAL_COMMITTEE,
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
    page_fragment: str = ""  # what the verify page reads from its link
    shown: dict[str, Any] = field(default_factory=dict)  # the answer the verify page shows
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

    def check(self, name: str) -> dict[str, Any]:
        """The one check of this name in the last answer."""
        checks = [check for check in self.answer()["checks"] if check["check"] == name]
        assert len(checks) == 1, checks
        return checks[0]


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


def issue(client: Any, story: Story, body: dict, headers: dict[str, str]) -> None:
    """Post an issuance request; a 201 fills the story with the credential and its QR."""
    story.response = client.post("/credentials/issue", json=body, headers=headers)
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
    """Change one base32 character so that only the signature bytes of the COSE differ.

    The text is raw DEFLATE, so most changes garble the stream; this looks, from the end,
    for a change that still inflates and alters nothing but the closing 64 bytes.
    """
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

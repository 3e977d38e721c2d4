"""Requests and checks shared by the stories of residence permits, recommendation letters
and postdoctoral affiliations. Requests start from the published schemas' examples (the
demo's people); everything goes over HTTP."""

from __future__ import annotations

import copy
import json
from typing import Any

from features.steps.story import Story
from registry.core.records.schemas import schema_document
from registry.demo.data import QINGPU_BUREAU, DemoIssuer
from registry.demo.talent import EXECUTIVE_COMMITTEE, POSTDOC_STATION
from tests.support.fixtures import bearer

ISSUERS: dict[str, DemoIssuer] = {
    "青浦区人社局": QINGPU_BUREAU,
    "示范区执委会": EXECUTIVE_COMMITTEE,
    "博士后工作站总站": POSTDOC_STATION,
}
REGIONS = {"青浦区": "310118", "吴江区": "320509", "嘉善县": "330421"}


def example(record_type: str, position: int = 0) -> dict[str, Any]:
    """A private copy of a published schema example (an issuance request)."""
    credential: dict[str, Any] = copy.deepcopy(schema_document(record_type)["examples"][position])
    return credential


def headers_of(demo: Any, issuer: str) -> dict[str, str]:
    """The issuer token of a demo organisation named as the stories name it."""
    return bearer(demo.tokens[f"issuer:{ISSUERS[issuer].uscc}"])


def partner_verifies(client: Any, demo: Any, story: Story, region: str, purpose: str) -> None:
    """A partner system of ``region`` (a name such as 青浦区) checks the QR in hand."""
    story.response = client.post(
        "/api/v1/verify",
        json={"qr": story.url, "purpose": purpose},
        headers=bearer(demo.tokens[f"partner:{REGIONS[region]}"]),
    )


def answer_text(story: Story) -> str:
    """The last answer as text, for checking what it does not hold."""
    return json.dumps(story.answer(), ensure_ascii=False)


def partner_block(story: Story, key: str) -> dict[str, Any]:
    """The partner-only facts of the record type in the last partner answer."""
    partner = story.answer()["partner"]
    block: dict[str, Any] = partner[key]
    return block

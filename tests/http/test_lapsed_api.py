"""Lapsed (失效) end to end: a record whose validity period has ended reads as lapsed, not
active, to the public scan and to a partner's verify, while its stored status stays
active (nothing marks it: the answer is computed from the validity period and the clock)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

import registry.http.controllers.verify as verify_controller
from registry.core.records.schemas import schema_document
from registry.demo.data import QINGPU_BUREAU
from tests.support.api_checks import check_of, issuer_headers
from tests.support.fixtures import bearer

PERMIT = "ResidencePermitCredential"
PURPOSE = "人才引进资格审核"


def _permit(issued_on: str, valid_until: str, **validity: str) -> dict[str, Any]:
    """The schema's permit example with the permit's dates and the record's own validity."""
    credential = copy.deepcopy(schema_document(PERMIT)["examples"][0])
    credential["credentialSubject"]["residencePermit"].update(
        issuedOn=issued_on, validUntil=valid_until
    )
    credential.update(validity)
    return credential


def _issue_record(client, demo, credential: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        "/credentials/issue",
        json={"credential": credential},
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 201, response.text
    issued: dict[str, Any] = response.json()
    return issued


def _issue(client, demo, credential: dict[str, Any]) -> str:
    payload: str = _issue_record(client, demo, credential)["qr"]["payload"]
    return payload


def _scan(client, payload: str) -> tuple[int, dict[str, Any]]:
    response = client.post("/api/v1/scan", json={"payload": payload})
    return response.status_code, response.json()


def _partner(client, demo, payload: str) -> tuple[int, dict[str, Any]]:
    response = client.post(
        "/api/v1/verify",
        json={"qr": payload, "purpose": PURPOSE},
        headers=bearer(demo.tokens["partner:310118"]),
    )
    return response.status_code, response.json()


def _assert_lapsed(code: int, answer: dict[str, Any]) -> None:
    assert code == 422, answer
    assert answer["verified"] is False
    assert answer["status"] == "lapsed"
    status = check_of(answer, "status")
    assert (status["outcome"], status["code"]) == ("failed", "STATUS_LAPSED")
    assert status["detail"]["status"] == "lapsed"
    assert check_of(answer, "validity")["code"] == "EXPIRED"
    assert "STATUS_LAPSED" in [problem["code"] for problem in answer["problemDetails"]]


def _assert_active(code: int, answer: dict[str, Any]) -> None:
    assert code == 200, answer
    assert answer["verified"] is True
    assert answer["status"] == "active"
    assert check_of(answer, "status")["code"] == "STATUS_ACTIVE"


def test_a_record_whose_validity_has_ended_reads_lapsed(client, demo):
    """A back-dated permit record (the permit ran 2021-2026) is issued as active, but both
    the scan and the partner's verify answer lapsed."""
    payload = _issue(
        client,
        demo,
        _permit(
            "2021-03-01",
            "2026-02-28",
            validFrom="2021-03-01T00:00:00Z",
            validUntil="2026-02-28T15:59:59Z",
        ),
    )
    _assert_lapsed(*_scan(client, payload))
    _assert_lapsed(*_partner(client, demo, payload))


class _Clock(datetime):
    """``datetime`` whose ``now`` is whatever the test sets."""

    frozen = datetime(2000, 1, 1, tzinfo=UTC)

    @classmethod
    def now(cls, tz: Any = None) -> _Clock:  # type: ignore[override]
        return cls.frozen  # type: ignore[return-value]


@pytest.fixture
def clock(monkeypatch):
    """The clock the scan and verify endpoints read, frozen where the test says."""
    monkeypatch.setattr(verify_controller, "datetime", _Clock)
    return _Clock


def test_an_active_record_lapses_when_its_validity_ends(client, demo, clock):
    """The example permit record stays valid to 2031-02-28 15:59:59Z: active the day
    before, lapsed the day after, to the scan and to the partner alike."""
    payload = _issue(client, demo, _permit("2026-03-01", "2031-02-28"))

    clock.frozen = datetime(2031, 2, 27, 12, tzinfo=UTC)
    _assert_active(*_scan(client, payload))
    _assert_active(*_partner(client, demo, payload))

    clock.frozen = datetime(2031, 3, 1, 12, tzinfo=UTC)
    _assert_lapsed(*_scan(client, payload))
    _assert_lapsed(*_partner(client, demo, payload))


def test_the_holder_page_says_lapsed_as_the_scan_does(client, demo):
    issued = _issue_record(
        client,
        demo,
        _permit(
            "2021-03-01",
            "2026-02-28",
            validFrom="2021-03-01T00:00:00Z",
            validUntil="2026-02-28T15:59:59Z",
        ),
    )
    link = client.post(
        f"/credentials/{issued['id']}/holder-link",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert link.status_code == 201, link.text
    path = "/holder/" + link.json()["url"].rsplit("/holder/", 1)[1]
    page = client.get(path, headers={"Accept": "application/json"})
    assert page.status_code == 200, page.text
    assert page.json()["status"] == "lapsed"

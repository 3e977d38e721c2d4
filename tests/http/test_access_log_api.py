"""Partner checks state a purpose and are logged in the store; a statutory basis, and only
that, shows a partner masked ID numbers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from registry.demo.data import DEMO_PEOPLE, QINGPU_BUREAU
from registry.services.access.tokens import create_token
from registry.storage.tables import RecordAccessRow
from tests.support.api_checks import assert_problem, issuer_headers
from tests.support.fixtures import bearer

WANG = DEMO_PEOPLE[0]  # holder of demo.records[0]


def qr_of(client, demo) -> str:
    response = client.get(
        f"/api/v1/credentials/{demo.records[0]}/qr",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    return str(response.json()["payload"])


def accesses(registry) -> list[RecordAccessRow]:
    with registry.reading() as session:
        return list(session.exec(select(RecordAccessRow).order_by(RecordAccessRow.id)).all())


def verify(client, token: str, **body):
    return client.post("/api/v1/verify", json=body, headers=bearer(token))


def test_partner_check_is_logged_with_client_region_purpose_and_time(client, demo, registry):
    before = datetime.now(UTC)
    response = verify(
        client, demo.tokens["partner:320509"], qr=qr_of(client, demo), purpose="  职称 评审  "
    )
    assert response.status_code in (200, 422)
    assert "holderNumbers" not in response.json()
    (row,) = accesses(registry)
    assert row.record_id == demo.records[0]
    assert row.token_id is not None and row.client_role == "partner"
    assert row.client_name == "demo partner Wujiang District"
    assert row.region_code == "320509"
    assert (row.action, row.purpose) == ("verify", "职称 评审")
    assert row.outcome == ("valid" if response.json()["verified"] else "not_valid")
    assert row.created_at.replace(tzinfo=UTC) >= before.replace(microsecond=0)


@pytest.mark.parametrize("purpose", ["", "   ", "x" * 201])
def test_a_partner_call_without_a_purpose_is_refused_and_not_logged(
    client, demo, registry, purpose
):
    response = verify(
        client, demo.tokens["partner:330421"], qr=qr_of(client, demo), purpose=purpose
    )
    assert_problem(response, 422, "PURPOSE_REQUIRED")
    assert accesses(registry) == []


def test_a_number_typed_into_the_purpose_is_masked_in_the_store(client, demo, registry):
    purpose = f"核验 {WANG.id_number} 的职称，护照 E99000017"
    verify(client, demo.tokens["partner:330421"], qr=qr_of(client, demo), purpose=purpose)
    (row,) = accesses(registry)
    assert WANG.id_number not in row.purpose and "E99000017" not in row.purpose
    assert row.purpose == f"核验 {'*' * 14}{WANG.id_number[-4:]} 的职称，护照 *******17"


def test_a_partner_match_needs_a_purpose_and_is_logged(client, demo, registry):
    body = {"record": demo.records[0], "idNumber": WANG.id_number}
    headers = bearer(demo.tokens["partner:330421"])
    assert_problem(
        client.post("/api/v1/verify/match", json=body, headers=headers), 422, "PURPOSE_REQUIRED"
    )
    assert accesses(registry) == []
    answered = client.post(
        "/api/v1/verify/match", json={**body, "purpose": "入职"}, headers=headers
    )
    assert answered.status_code == 200 and answered.json()["match"] is True
    (row,) = accesses(registry)
    assert (row.action, row.outcome, row.purpose, row.region_code) == (
        "match",
        "match",
        "入职",
        "330421",
    )


def test_the_public_page_may_match_without_a_purpose_and_is_logged_as_public(
    client, demo, registry
):
    body = {"record": demo.records[0], "idNumber": DEMO_PEOPLE[1].id_number}
    answered = client.post("/api/v1/verify/match", json=body)
    assert answered.status_code == 200 and answered.json()["match"] is False
    (row,) = accesses(registry)
    assert (row.client_role, row.token_id, row.outcome, row.purpose) == (
        "public",
        None,
        "no_match",
        "",
    )


def test_match_refuses_bad_and_issuer_tokens(client, demo, registry):
    body = {"record": demo.records[0], "idNumber": WANG.id_number, "purpose": "入职"}
    assert_problem(
        client.post("/api/v1/verify/match", json=body, headers=bearer("rgt_nonsense")),
        401,
        "TOKEN_UNKNOWN",
    )
    assert_problem(
        client.post(
            "/api/v1/verify/match", json=body, headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
        ),
        403,
        "ROLE_FORBIDDEN",
    )
    assert accesses(registry) == []


def test_a_check_of_a_record_not_held_here_is_not_logged(client, demo, registry):
    response = verify(client, demo.tokens["partner:330421"], qr="RC1:AAAA", purpose="核验")
    assert response.status_code == 422
    assert accesses(registry) == []


def test_only_a_statutory_basis_shows_masked_numbers(client, demo, registry):
    token = create_token(
        registry,
        "partner",
        now=datetime.now(UTC),
        region="310118",
        name="青浦公安出入境",
        statutory_basis="《出境入境管理法》第三十九条",
    )
    response = verify(client, token, qr=qr_of(client, demo), purpose="居留登记核验")
    shown = response.json()["holderNumbers"]
    assert shown == {
        "statutoryBasis": "《出境入境管理法》第三十九条",
        "numbers": [
            {
                "field": "/credentialSubject/idNumber",
                "kind": "mainland",
                "holder": True,
                "masked": "*" * 14 + WANG.id_number[-4:],
            }
        ],
    }
    plain = verify(client, demo.tokens["partner:310118"], qr=qr_of(client, demo), purpose="核验")
    assert "holderNumbers" not in plain.json()
    assert "*" * 14 + WANG.id_number[-4:] not in plain.text


@pytest.mark.parametrize(("role", "basis"), [("issuer", "x"), ("partner", "x" * 257)])
def test_statutory_basis_only_on_partner_tokens(registry, demo, role, basis):
    from registry.core.errors import RegistryError

    with pytest.raises(RegistryError, match="STATUTORY_BASIS_INVALID"):
        create_token(
            registry,
            role,
            now=datetime.now(UTC),
            issuer_uscc=QINGPU_BUREAU.uscc if role == "issuer" else None,
            region="310118" if role == "partner" else None,
            statutory_basis=basis,
        )

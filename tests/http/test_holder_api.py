"""Holders' access links: made and revoked by the issuer, opened by the holder, showing who
checked the record, when and why, and never an ID number."""

from __future__ import annotations

import hashlib

import pytest
from sqlmodel import select

from registry.core.records import elicence
from registry.demo.data import DEMO_PEOPLE, QINGPU_BUREAU, WUJIANG_BUREAU
from registry.storage.tables import HolderLinkRow
from tests.support.api_checks import assert_problem, issuer_headers
from tests.support.fixtures import BASE_URL, bearer

JSON = {"Accept": "application/json"}
WANG = DEMO_PEOPLE[0]  # holder of demo.records[0], issued by the Qingpu bureau


def make_link(client, demo, record: str | None = None, headers=None) -> str:
    response = client.post(
        f"/credentials/{record or demo.records[0]}/holder-link",
        headers=headers or issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["record"] == demo.records[0]
    assert body["url"].startswith(f"{BASE_URL}/holder/rgh_")
    return str(body["url"]).removeprefix(BASE_URL)


def partner_check(client, demo, purpose: str, region: str = "330421"):
    record = client.get(
        f"/api/v1/credentials/{demo.records[0]}/qr",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    ).json()
    return client.post(
        "/api/v1/verify",
        json={"qr": record["payload"], "purpose": purpose},
        headers=bearer(demo.tokens[f"partner:{region}"]),
    )


def test_holder_sees_the_record_and_who_checked_it(client, demo):
    link = make_link(client, demo)
    assert partner_check(client, demo, "人才引进资格审核").status_code in (200, 422)
    client.post(
        "/api/v1/verify/match",
        json={"record": demo.records[0], "idNumber": WANG.id_number, "purpose": "入职核验"},
        headers=bearer(demo.tokens["partner:310118"]),
    )
    response = client.get(link, headers=JSON)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    view = response.json()
    assert view["record"]["id"] == demo.records[0]
    assert view["record"]["maskedName"] == "王*华"
    assert view["status"] == "active"
    assert view["electronicLicenceId"].startswith(
        f"1.2.156.3005.2.{elicence.type_code_of('ProfessionalTitleCredential')}.{QINGPU_BUREAU.uscc}."
    )
    assert view["issuer"]["uscc"] == QINGPU_BUREAU.uscc
    latest, earlier = view["accesses"][:2]
    assert latest["action"] == "match" and latest["outcome"] == "match"
    assert latest["purpose"] == "入职核验"
    assert latest["region"]["code"] == "310118"
    assert earlier["action"] == "verify" and earlier["purpose"] == "人才引进资格审核"
    assert earlier["client"] == {"name": "demo partner Jiashan County", "role": "partner"}
    assert earlier["region"] == {"code": "330421", "zh": "嘉善县", "en": "Jiashan County"}
    assert earlier["at"].endswith("Z")
    assert (
        WANG.id_number not in response.text and "*" * 14 + WANG.id_number[-4:] not in response.text
    )
    assert "token" not in response.text.lower()


def test_holder_page_is_bilingual_html_and_escapes_purposes(client, demo):
    link = make_link(client, demo)
    partner_check(client, demo, "<script>alert(1)</script> 核验")
    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "谁查验了这份记录" in page.text and "Who checked this record" in page.text
    assert "嘉善县" in page.text
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 核验" in page.text
    assert WANG.id_number not in page.text


def test_a_new_link_replaces_the_old_and_revoking_ends_it(client, demo):
    first = make_link(client, demo)
    second = make_link(client, demo)
    assert first != second
    assert_problem(client.get(first, headers=JSON), 404, "HOLDER_LINK_UNKNOWN")
    assert client.get(second, headers=JSON).status_code == 200
    revoked = client.delete(
        f"/credentials/{demo.records[0]}/holder-link",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert revoked.status_code == 200 and revoked.json() == {"revoked": 1}
    gone = client.get(second)
    assert gone.status_code == 404
    assert "访问链接无效或已被撤销" in gone.text and "revoked" in gone.text
    assert_problem(client.get(second, headers=JSON), 404, "HOLDER_LINK_UNKNOWN")


def test_only_the_token_hash_is_stored(client, demo, registry):
    link = make_link(client, demo)
    token = link.rsplit("/", 1)[1]
    with registry.reading() as session:
        rows = session.exec(select(HolderLinkRow)).all()
    assert [row.token_hash for row in rows] == [hashlib.sha256(token.encode()).hexdigest()]
    assert all(token not in str(row) for row in rows)


def test_admin_may_make_a_link_and_the_elicence_id_names_the_record(client, demo):
    record = client.get(
        f"/api/v1/credentials/{demo.records[0]}", headers=bearer(demo.tokens["admin"])
    ).json()
    link = make_link(
        client, demo, record["electronicLicenceId"], headers=bearer(demo.tokens["admin"])
    )
    assert client.get(link, headers=JSON).json()["record"]["id"] == demo.records[0]


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("other-issuer", 403, "RECORD_NOT_YOURS"),
        ("partner", 403, "ROLE_FORBIDDEN"),
        ("nobody", 401, "TOKEN_MISSING"),
    ],
)
def test_only_the_issuer_or_an_admin_makes_links(client, demo, who, status, code):
    headers = {
        "other-issuer": issuer_headers(demo, WUJIANG_BUREAU.uscc),
        "partner": bearer(demo.tokens["partner:310118"]),
        "nobody": {},
    }[who]
    for method in ("post", "delete"):
        response = getattr(client, method)(
            f"/credentials/{demo.records[0]}/holder-link", headers=headers
        )
        assert_problem(response, status, code)


def test_unknown_records_and_links(client, demo):
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_problem(
        client.post(f"/credentials/{unknown}/holder-link", headers=headers), 404, "RECORD_UNKNOWN"
    )
    for token in ("rgh_" + "A" * 43, "nothing", "rgh_" + "x" * 200):
        assert_problem(client.get(f"/holder/{token}", headers=JSON), 404, "HOLDER_LINK_UNKNOWN")

"""The clerks' console over HTTP: sign-in, the session cookie's flags and expiry, CSRF
refusals, search and record actions with the API's authorisation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from litestar.testing import TestClient

from registry.demo.data import DEMO_RECORDS, QINGPU_BUREAU, WUJIANG_BUREAU
from registry.http.app import create_app
from registry.services.access.tokens import revoke_token
from registry.storage.repositories import CredentialRepository
from tests.support.api_checks import issue
from tests.support.console import console, sign_in, signed_in

__all__ = ["console"]
# Session and form-token logic touches no query of its own: SQLite is enough for it.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
TITLE = DEMO_RECORDS[0]  # 王建华, issued by the Qingpu bureau


@pytest.fixture
def record(client, demo):
    return issue(client, demo, TITLE)["id"]


@SQLITE_ONLY
def test_sign_in_sets_a_signed_httponly_strict_secure_cookie(console, demo):
    token = demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"]
    answer = sign_in(console, token)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/records"
    header = next(
        value
        for value in answer.headers.get_list("set-cookie")
        if value.startswith("registry_console=")
    )
    flags = [part.strip().lower() for part in header.split(";")]
    assert "httponly" in flags
    assert "secure" in flags
    assert "samesite=strict" in flags
    assert "path=/console" in flags
    assert token not in header and token[4:] not in header
    page = console.get("/console/records")
    assert page.status_code == 200
    assert QINGPU_BUREAU.uscc in page.text
    assert page.headers["cache-control"] == "no-store"


@SQLITE_ONLY
def test_the_cookie_is_not_secure_under_an_http_base_url(registry, demo, settings):
    from dataclasses import replace

    plain = replace(settings, base_url="http://127.0.0.1:8000")
    registry.settings = plain
    with TestClient(app=create_app(plain, registry)) as client:
        answer = sign_in(client, demo.tokens["admin"])
    header = next(v for v in answer.headers.get_list("set-cookie") if "registry_console=" in v)
    assert "secure" not in [part.strip().lower() for part in header.split(";")]


@pytest.mark.parametrize(
    ("token_name", "status", "code"),
    [("partner:330421", 403, "ROLE_FORBIDDEN"), (None, 401, "TOKEN_UNKNOWN")],
)
@SQLITE_ONLY
def test_only_issuer_and_admin_tokens_sign_in(console, demo, token_name, status, code):
    token = demo.tokens[token_name] if token_name else "rgt_not-a-token"
    answer = sign_in(console, token)
    assert answer.status_code == status
    assert code in answer.text and "registry_console=" not in answer.headers.get("set-cookie", "")


@SQLITE_ONLY
def test_sign_in_without_the_form_token_is_refused(console, demo):
    console.get("/console/sign-in")
    answer = console.post(
        "/console/sign-in",
        data={"token": demo.tokens["admin"], "csrf": "forged"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert "CONSOLE_CSRF_INVALID" in answer.text


@SQLITE_ONLY
def test_pages_without_a_session_send_to_sign_in(console):
    answer = console.get("/console/records", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/console/sign-in")
    console.cookies.set("registry_console", "c1.eyJ0IjoxfQ.forged", domain="testserver.local")
    answer = console.get("/console/records", follow_redirects=False)
    assert answer.status_code == 303
    assert "CONSOLE_SIGNED_OUT" in answer.headers["location"]


@SQLITE_ONLY
def test_a_revoked_token_ends_its_session(console, demo, registry):
    signed_in(console, demo)
    from registry.services.access.tokens import list_tokens

    token_id = next(
        t.token_id for t in list_tokens(registry) if t.issuer_uscc == QINGPU_BUREAU.uscc
    )
    revoke_token(registry, token_id, now=datetime.now(UTC))
    answer = console.get("/console/records", follow_redirects=False)
    assert answer.status_code == 303
    assert "CONSOLE_SESSION_EXPIRED" in answer.headers["location"]


@SQLITE_ONLY
def test_sign_out_needs_the_form_token_and_ends_the_session(console, demo):
    csrf = signed_in(console, demo)
    refused = console.post("/console/sign-out", data={"csrf": "x"}, follow_redirects=False)
    assert refused.status_code == 403
    assert console.get("/console/records", follow_redirects=False).status_code == 200
    out = console.post("/console/sign-out", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert console.get("/console/records", follow_redirects=False).status_code == 303


def test_search_by_name_certificate_and_id_finds_only_own_records(console, demo, record):
    csrf = signed_in(console, demo)
    for kind, text in (
        ("name", "王建"),
        ("certificate", "DEMO-QP-2019-0001"),
        ("id", record),
        ("idNumber", TITLE.issuance_request()["credentialSubject"]["idNumber"]),
    ):
        found = console.post("/console/records", data={"kind": kind, "text": text, "csrf": csrf})
        assert found.status_code == 200
        assert f"/console/records/{record}" in found.text, kind
    other = console.post("/console/records", data={"kind": "name", "text": "王建华", "csrf": csrf})
    assert "结果" in other.text
    console.cookies.clear()
    csrf = signed_in(console, demo, WUJIANG_BUREAU.uscc)
    found = console.post("/console/records", data={"kind": "id", "text": record, "csrf": csrf})
    assert f"/console/records/{record}" not in found.text
    page = console.get(f"/console/records/{record}")
    assert page.status_code == 403
    assert "RECORD_NOT_YOURS" in page.text


@SQLITE_ONLY
def test_a_malformed_id_number_is_refused_and_not_echoed(console, demo):
    csrf = signed_in(console, demo)
    typed = "31011819900101999X"
    found = console.post("/console/records", data={"kind": "idNumber", "text": typed, "csrf": csrf})
    assert found.status_code == 422
    assert "ID_NUMBER_INVALID" in found.text
    assert typed not in found.text


@SQLITE_ONLY
def test_search_without_the_form_token_is_refused(console, demo):
    signed_in(console, demo)
    found = console.post("/console/records", data={"kind": "name", "text": "王"})
    assert found.status_code == 403
    assert "CONSOLE_CSRF_INVALID" in found.text


def test_a_record_page_shows_facts_history_and_proof(console, demo, record):
    signed_in(console, demo)
    page = console.get(f"/console/records/{record}")
    assert page.status_code == 200
    assert "王建华" in page.text and "DEMO-QP-2019-0001" in page.text
    assert 'id="proof"' in page.text and "treeHead" in page.text
    assert TITLE.issuance_request()["credentialSubject"]["idNumber"] not in page.text


def test_revoking_needs_the_form_token_and_goes_through_the_lifecycle(
    console, demo, record, registry
):
    csrf = signed_in(console, demo)
    refused = console.post(
        f"/console/records/{record}/revoke", data={"reason": "data_error"}, follow_redirects=False
    )
    assert refused.status_code == 403
    with registry.reading() as session:
        assert CredentialRepository(session).get(record).status == "active"
    done = console.post(
        f"/console/records/{record}/revoke",
        data={"reason": "data_error", "note": "录入错误", "csrf": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    page = console.get(done.headers["location"])
    assert 'id="done"' in page.text and "撤销" in page.text and "录入错误" in page.text
    again = console.post(
        f"/console/records/{record}/revoke",
        data={"reason": "data_error", "csrf": csrf},
        follow_redirects=False,
    )
    assert again.status_code == 409
    assert "RECORD_ALREADY_REVOKED" in again.text and "记录已撤销" in again.text


@SQLITE_ONLY
def test_a_bad_reason_and_an_unknown_action_are_coded_answers(console, demo, record):
    csrf = signed_in(console, demo)
    bad = console.post(f"/console/records/{record}/suspend", data={"reason": "nope", "csrf": csrf})
    assert bad.status_code == 422 and "STATUS_REASON_UNKNOWN" in bad.text
    unknown = console.post(f"/console/records/{record}/explode", data={"csrf": csrf})
    assert unknown.status_code == 400 and "STATUS_ACTION_UNKNOWN" in unknown.text


def test_amending_issues_a_corrected_version(console, demo, record):
    import json

    csrf = signed_in(console, demo)
    page = console.get(f"/console/records/{record}")
    request = TITLE.issuance_request()
    request["credentialSubject"]["professionalTitle"]["obtainedOn"] = "2019-12-31"
    id_number = request["credentialSubject"].pop("idNumber")
    assert "amend-credential" in page.text
    done = console.post(
        f"/console/records/{record}/amend",
        data={
            "credential": json.dumps(request, ensure_ascii=False),
            "idNumber": id_number,
            "reason": "data_corrected",
            "csrf": csrf,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert record not in done.headers["location"]
    broken = console.post(
        f"/console/records/{record}/amend",
        data={"credential": "{not json", "csrf": csrf},
    )
    assert broken.status_code in (400, 409)


@SQLITE_ONLY
def test_the_certificate_pdf_is_the_issuers_only(console, demo, record):
    signed_in(console, demo)
    pdf = console.get(f"/console/records/{record}/certificate.pdf")
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    console.cookies.clear()
    signed_in(console, demo, WUJIANG_BUREAU.uscc)
    other = console.get(f"/console/records/{record}/certificate.pdf")
    assert other.status_code == 403 and "RECORD_NOT_YOURS" in other.text


def test_bad_input_gets_coded_pages_never_a_500(console, demo):
    csrf = signed_in(console, demo)
    assert console.get("/console/records/not-a-record").status_code == 422
    assert "RECORD_ID_INVALID" in console.get("/console/records/not-a-record").text
    unknown = console.get("/console/records/00000000-0000-4000-8000-000000000000")
    assert unknown.status_code == 404 and "RECORD_UNKNOWN" in unknown.text
    long = console.post("/console/records", data={"kind": "name", "text": "王" * 200, "csrf": csrf})
    assert long.status_code == 422 and "FIELD_TOO_LONG" in long.text
    empty = console.post("/console/records", data={"kind": "name", "text": " ", "csrf": csrf})
    assert empty.status_code == 422 and "SEARCH_TEXT_REQUIRED" in empty.text
    kind = console.post("/console/records", data={"kind": "sql", "text": "x", "csrf": csrf})
    assert kind.status_code == 422 and "SEARCH_KIND_UNKNOWN" in kind.text
    nul = console.post("/console/records", data={"kind": "name", "text": "a\x00b", "csrf": csrf})
    assert nul.status_code == 422
    json_body = console.post("/console/records", json={"kind": "name"})
    assert json_body.status_code < 500

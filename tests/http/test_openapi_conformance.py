"""The OpenAPI document tells the truth: every status and content type an operation really
answers (its success, and each error it can give: no token, the wrong role, an unknown id,
a malformed or invalid body) is documented for that operation, with that media type.

Each operation of the app's own document is walked with real requests; an operation the
document lists without a walk here fails the test, so a new endpoint must be added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from registry.demo.data import DEMO_PEOPLE, DEMO_RECORDS, QINGPU_BUREAU
from registry.demo.model import demo_uscc
from tests.support.api_checks import issue, reset_rate_limits
from tests.support.catalogue_files import CSV_2024
from tests.support.fixtures import bearer

METHODS = ("get", "post", "put", "patch", "delete")
TITLE = DEMO_RECORDS[0]  # Qingpu bureau's title record
NEW_USCC = demo_uscc("320509", 43)  # not a demo issuer until the walk registers it
UNKNOWN = {
    "record_id": "00000000-0000-4000-8000-000000000000",
    "uscc": demo_uscc("320509", 44),
    "kid": "no-such-key",
    "scope_id": "999999",
    "agreement_id": "NO-SUCH-AGREEMENT",
    "token": "A" * 43,
    "catalogue": "NO-SUCH",
    "version": "0.0",
    "record_type": "NoSuchCredential",
    "file_name": "v9.schema.json",
    "purpose": "no-such-purpose",
    "subject": "issuer",
    "ref": demo_uscc("320509", 44),
    "session_key": "never-run",
}


@dataclass
class Call:
    """One request of a walk: the path's values, the token's role, and the body."""

    values: dict[str, str] = field(default_factory=dict)
    role: str | None = None  # "issuer", "partner", "admin" or None
    json: Any = None
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    files: dict[str, Any] | None = None
    data: dict[str, str] | None = None
    content: str | None = None


def _tokens(demo) -> dict[str, str]:
    return {
        "issuer": demo.tokens[f"issuer:{TITLE.issuer_uscc}"],
        "partner": demo.tokens["partner:310118"],
        "admin": demo.tokens["admin"],
    }


CHANGES = ("suspend", "reinstate", "revoke", "cancel")
WRONG_ROLE = {"issuer": "partner", "partner": "issuer", "admin": "issuer"}


def _successes(client, demo) -> dict[tuple[str, str], Call]:
    """A request each operation answers with its documented success."""
    issued = issue(client, demo, TITLE)
    record = issued["id"]
    credential = issue(client, demo, TITLE)["verifiableCredential"]
    other = issue(client, demo, DEMO_RECORDS[1])
    amended = issue(client, demo, TITLE)
    holder = client.post(
        f"/credentials/{issue(client, demo, TITLE)['id']}/holder-link",
        headers=bearer(_tokens(demo)["issuer"]),
    ).json()["url"]
    token = holder.rsplit("/", 1)[1]
    keys = client.get("/api/v1/admin/keys", headers=bearer(demo.tokens["admin"])).json()
    compromised, retired = [key["kid"] for key in keys if key["state"] == "active"][:2]
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    reason = {"reason": "other", "note": "conformance walk"}
    changed = {action: issue(client, demo, TITLE)["id"] for action in CHANGES}
    client.post(
        f"/credentials/{changed['reinstate']}/suspend",
        json=reason,
        headers=bearer(_tokens(demo)["issuer"]),
    )
    person = next(
        p
        for p in DEMO_PEOPLE
        if p.id_number == DEMO_RECORDS[1].credential["credentialSubject"]["idNumber"]
    )
    client.post(
        "/credentials/issue/batch",
        json={"sessionKey": "conformance-print", "credentials": [TITLE.issuance_request()]},
        headers=bearer(_tokens(demo)["issuer"]),
    )
    scope = client.post(
        f"/api/v1/admin/issuers/{QINGPU_BUREAU.uscc}/scopes",
        json={"recordTypes": ["ProfessionalTitleCredential"], "validFrom": "2020-01-01"},
        headers=bearer(demo.tokens["admin"]),
    ).json()["id"]
    return {
        ("GET", "/credentials/{record_id}"): Call({"record_id": record}, "issuer"),
        ("POST", "/credentials/issue"): Call(
            role="issuer", json={"credential": TITLE.issuance_request()}
        ),
        ("POST", "/credentials/issue/batch"): Call(
            role="issuer",
            json={"sessionKey": "conformance-1", "credentials": [TITLE.issuance_request()]},
        ),
        ("GET", "/api/v1/credentials/{record_id}"): Call({"record_id": record}, "issuer"),
        ("GET", "/api/v1/credentials/{record_id}/qr"): Call({"record_id": record}, "issuer"),
        ("GET", "/api/v1/credentials/{record_id}/qr.png"): Call({"record_id": record}, "issuer"),
        ("GET", "/api/v1/credentials/{record_id}/qr.svg"): Call({"record_id": record}, "issuer"),
        ("POST", "/credentials/{record_id}/amend"): Call(
            {"record_id": amended["id"]},
            "issuer",
            {"credential": TITLE.issuance_request(), "reason": "data_corrected"},
        ),
        ("POST", "/credentials/{record_id}/suspend"): Call(
            {"record_id": changed["suspend"]}, "issuer", reason
        ),
        ("POST", "/credentials/{record_id}/reinstate"): Call(
            {"record_id": changed["reinstate"]}, "issuer", reason
        ),
        ("POST", "/credentials/{record_id}/revoke"): Call(
            {"record_id": changed["revoke"]}, "issuer", reason
        ),
        ("POST", "/credentials/{record_id}/cancel"): Call(
            {"record_id": changed["cancel"]}, "issuer", reason
        ),
        ("GET", "/credentials/{record_id}/history"): Call({"record_id": record}, "issuer"),
        ("POST", "/credentials/{record_id}/holder-link"): Call({"record_id": record}, "issuer"),
        ("DELETE", "/credentials/{record_id}/holder-link"): Call({"record_id": record}, "issuer"),
        ("GET", "/holder/{token}"): Call({"token": token}),
        ("GET", "/holder/{token}/certificate.pdf"): Call({"token": token}),
        ("GET", "/api/v1/credentials/{record_id}/certificate.pdf"): Call(
            {"record_id": record}, "issuer"
        ),
        ("GET", "/api/v1/review-sessions/{session_key}/certificates.zip"): Call(
            {"session_key": "conformance-print"}, "issuer"
        ),
        ("POST", "/credentials/verify"): Call(json={"verifiableCredential": credential}),
        ("POST", "/presentations/verify"): Call(
            json={
                "verifiablePresentation": {
                    "@context": ["https://www.w3.org/ns/credentials/v2"],
                    "type": ["VerifiablePresentation"],
                    "verifiableCredential": [credential],
                }
            }
        ),
        ("POST", "/api/v1/verify/match"): Call(
            json={"record": other["qr"]["url"], "idNumber": person.id_number}
        ),
        ("POST", "/api/v1/verify"): Call(
            role="partner", json={"qr": other["qr"]["payload"], "purpose": "入职核验"}
        ),
        ("POST", "/api/v1/verify/batch"): Call(
            role="partner", json={"items": [other["qr"]["payload"]], "purpose": "入职核验"}
        ),
        ("POST", "/api/v1/admin/keys/{kid}/compromise"): Call({"kid": compromised}, "admin", {}),
        ("POST", "/api/v1/admin/issuers"): Call(
            role="admin",
            json={
                "uscc": NEW_USCC,
                "nameZh": "测试评审委员会",
                "nameEn": "Test committee",
                "region": "320509",
                "kind": "review_committee",
            },
        ),
        ("POST", "/api/v1/admin/scopes/{scope_id}/end"): Call(
            {"scope_id": str(scope)}, "admin", {"until": tomorrow}
        ),
        ("POST", "/api/v1/admin/issuers/{uscc}/keys"): Call({"uscc": QINGPU_BUREAU.uscc}, "admin"),
        ("GET", "/api/v1/admin/issuers/{uscc}/scopes"): Call({"uscc": QINGPU_BUREAU.uscc}, "admin"),
        ("POST", "/api/v1/admin/issuers/{uscc}/scopes"): Call(
            {"uscc": QINGPU_BUREAU.uscc},
            "admin",
            {"recordTypes": ["ProfessionalTitleCredential"], "validFrom": "2020-01-01"},
        ),
        ("GET", "/api/v1/admin/history/{subject}/{ref}"): Call(
            {"subject": "issuer", "ref": QINGPU_BUREAU.uscc}, "admin"
        ),
        ("GET", "/api/v1/admin/keys"): Call(role="admin"),
        ("POST", "/api/v1/admin/keys/{kid}/retire"): Call({"kid": retired}, "admin"),
        ("POST", "/api/v1/admin/issuers/{uscc}/keys/rotate"): Call(
            {"uscc": QINGPU_BUREAU.uscc}, "admin"
        ),
        ("GET", "/api/v1/admin/agreements"): Call(role="admin"),
        ("POST", "/api/v1/admin/agreements"): Call(
            role="admin",
            json={
                "id": "CONFORMANCE-1",
                "nameZh": "测试协议",
                "nameEn": "Test agreement",
                "parties": ["310118", "320509"],
                "recordTypes": ["ProfessionalTitleCredential"],
                "effectiveFrom": "2020-01-01",
                "legalBasis": "测试",
            },
        ),
        ("GET", "/api/v1/admin/equivalences"): Call(role="admin"),
        ("POST", "/api/v1/admin/equivalences"): Call(
            role="admin",
            json={
                "fromRegion": "320509",
                "toRegion": "310118",
                "kind": "title_name",
                "source": "工程师",
                "target": "工程师",
                "labelZh": "工程师",
                "labelEn": "Engineer",
            },
        ),
        ("POST", "/api/v1/admin/regions"): Call(
            role="admin", json={"code": "440100", "nameZh": "广州市", "nameEn": "Guangzhou"}
        ),
        ("POST", "/api/v1/admin/partners"): Call(
            role="admin", json={"region": "310118", "name": "测试伙伴"}
        ),
        ("POST", "/api/v1/admin/agreements/{agreement_id}/end"): Call(
            {"agreement_id": "CONFORMANCE-1"}, "admin", {"until": tomorrow}
        ),
        ("POST", "/api/v1/scan"): Call(json={"payload": other["qr"]["url"]}),
        ("GET", "/issuers/{uscc}"): Call({"uscc": QINGPU_BUREAU.uscc}),
        ("GET", "/api/v1/issuers"): Call(),
        ("GET", "/status/{uscc}/{purpose}"): Call(
            {"uscc": QINGPU_BUREAU.uscc, "purpose": "revocation"}
        ),
        ("GET", "/api/v1/catalogues"): Call(),
        ("POST", "/api/v1/catalogues/{catalogue}/versions"): Call(
            {"catalogue": "T-FQ"},
            "admin",
            files={"file": ("fq.csv", CSV_2024.read_bytes(), "text/csv")},
            data={"version": "2024.1", "nameZh": "测试目录", "nameEn": "Test catalogue"},
        ),
        ("GET", "/api/v1/catalogues/{catalogue}/versions/{version}"): Call(
            {"catalogue": "T-FQ", "version": "2024.1"}
        ),
        ("POST", "/api/v1/continuing-education/totals"): Call(
            role="partner",
            json={"idNumber": person.id_number, "year": 2024, "purpose": "年度学时核验"},
        ),
        ("GET", "/log/proof/consistency"): Call(query={"first": 1}),
        ("GET", "/log/entries"): Call(query={"start": 0, "end": 2}),
        ("GET", "/log/head"): Call(),
        ("GET", "/log/proof/inclusion"): Call(query={"index": 0}),
        ("GET", "/log/keys"): Call(),
        ("GET", "/trust-list"): Call(),
        ("GET", "/healthz"): Call(),
        ("GET", "/readyz"): Call(),
        ("GET", "/metrics"): Call(),
        ("GET", "/api/v1/codes"): Call(),
        ("GET", "/contexts/v1"): Call(),
        ("GET", "/schemas/{record_type}/{file_name}"): Call(
            {"record_type": "ProfessionalTitleCredential", "file_name": "v1.schema.json"}
        ),
        ("GET", "/api/v1/schemas"): Call(),
    }


def _variants(operation: dict[str, Any], ok: Call) -> list[tuple[str, Call]]:
    """The success request, then each error an operation can give, from that request."""
    found = [("success", ok)]
    if ok.role:
        found.append(("no token", Call(ok.values, None, ok.json, ok.query, files=ok.files)))
        found.append(
            ("wrong role", Call(ok.values, WRONG_ROLE[ok.role], ok.json, ok.query, files=ok.files))
        )
    for name in ok.values:
        values = {**ok.values, name: UNKNOWN[name]}
        found.append((f"unknown {name}", Call(values, ok.role, ok.json, ok.query)))
    if ok.query:
        found.append(("no query", Call(ok.values, ok.role)))
        found.append(("bad query", Call(ok.values, ok.role, query=dict.fromkeys(ok.query, "x"))))
    if "requestBody" in operation and ok.files is None:
        json_headers = {"content-type": "application/json"}
        found += [
            ("malformed JSON", Call(ok.values, ok.role, headers=json_headers, content="{")),
            ("unknown field", Call(ok.values, ok.role, {"zz": 1})),
            ("wrong type", Call(ok.values, ok.role, [])),
            ("invalid value", Call(ok.values, ok.role, _invalid(ok.json))),
        ]
    return found


def _invalid(body: Any) -> Any:
    """The body with every text replaced by one no rule accepts (a 422 where fields are
    checked beyond their type)."""
    if isinstance(body, dict):
        return {key: _invalid(value) for key, value in body.items()}
    if isinstance(body, list):
        return [_invalid(value) for value in body]
    if isinstance(body, str):
        return "\u0007"
    return body


def _send(client, demo, method: str, path: str, call: Call):
    url = path
    for name, value in call.values.items():
        url = url.replace("{" + name + "}", value)
    headers = dict(call.headers)
    if call.role:
        headers.update(bearer(_tokens(demo)[call.role]))
    kwargs: dict[str, Any] = {"headers": headers, "params": call.query}
    if call.files is not None:
        kwargs.update(files=call.files, data=call.data)
    elif call.content is not None:
        kwargs["content"] = call.content
    elif call.json is not None:
        kwargs["json"] = call.json
    reset_rate_limits(client)
    return client.request(method, url, **kwargs)


def _undocumented(operation: dict[str, Any], response) -> str | None:
    """Why the answer is not what the operation documents, or None."""
    documented = operation["responses"].get(str(response.status_code))
    if documented is None:
        return f"status {response.status_code} is not documented"
    media = response.headers.get("content-type", "").split(";")[0].strip()
    content = documented.get("content") or {}
    if media not in content and (content or response.content):
        return f"{response.status_code} {media} is documented as {sorted(content)}"
    return None


def test_every_answer_is_documented_with_its_status_and_media_type(client, demo):
    document = client.get("/schema/openapi.json").json()
    successes = _successes(client, demo)
    operations = {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }
    assert set(operations) == set(successes), "every operation needs a walk here"
    failures = []
    seen: dict[tuple[str, str], dict[str, int]] = {}
    for (method, path), operation in operations.items():
        for case, call in _variants(operation, successes[(method, path)]):
            response = _send(client, demo, method, path, call)
            assert response.status_code < 500, (method, path, case, response.text)
            seen.setdefault((method, path), {})[case] = response.status_code
            problem = _undocumented(operation, response)
            if problem:
                failures.append(f"{method} {path} ({case}): {problem}")
    assert not failures, "\n".join(failures)
    # the walk reached what it meant to: each success, and each kind of error
    statuses = {status for cases in seen.values() for status in cases.values()}
    assert {200, 201, 400, 401, 403, 404, 422} <= statuses
    for operation, cases in seen.items():
        assert 200 <= cases["success"] < 300, (operation, cases)
        if "no token" in cases:
            assert (cases["no token"], cases["wrong role"]) == (401, 403), operation
        if "malformed JSON" in cases:
            assert cases["malformed JSON"] == 400, operation


def test_every_error_is_documented_as_a_problem(client):
    """An error is a problem (application/problem+json) in the document, unless it is a
    verification answer (``verified: false``) or a page for people."""
    document = client.get("/schema/openapi.json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content") or {}
                if int(status) >= 400:
                    assert content, (method, path, status)
                    assert set(content) <= {
                        "application/problem+json",
                        "application/json",
                        "text/html",
                    }, (method, path, status)
                    if "application/json" in content:
                        schema = content["application/json"]["schema"]
                        answer = {"$ref": "#/components/schemas/VerificationAnswer"}
                        assert schema == answer, (method, path, status)
                    elif "text/html" not in content:
                        assert "application/problem+json" in content, (method, path, status)

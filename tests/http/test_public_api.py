"""Public, read-only documents: issuers and their keys, schemas, code lists, the OpenAPI
description and the pages a phone opens."""

from __future__ import annotations

import pytest

from registry.core.codes import CODE_LIST_NAMES
from registry.core.formats.multikey import public_multikey
from registry.demo.data import DEMO_ISSUERS, DEMO_RECORDS, JOINT_MECHANICAL_COMMITTEE
from tests.support.api_checks import assert_problem, has_chinese, issue, issuer_id
from tests.support.fixtures import BASE_URL
from tests.support.keyset import test_keyset as demo_keyset

CID_CONTEXT = "https://www.w3.org/ns/cid/v1"
CODE_LISTS = set(CODE_LIST_NAMES)


def test_issuer_list_names_every_demo_issuer(client):
    response = client.get("/api/v1/issuers")
    assert response.status_code == 200
    issuers = {entry["uscc"]: entry for entry in response.json()["issuers"]}
    assert set(issuers) == {issuer.uscc for issuer in DEMO_ISSUERS}
    for demo_issuer in DEMO_ISSUERS:
        entry = issuers[demo_issuer.uscc]
        assert entry["id"] == issuer_id(demo_issuer.uscc)
        assert entry["name"] == {"zh": demo_issuer.name_zh, "en": demo_issuer.name_en}
        assert entry["region"] == demo_issuer.region
        assert entry["kind"] == demo_issuer.kind
        assert entry["recordTypes"] == list(demo_issuer.record_types)
        expected_key = public_multikey(demo_keyset()[demo_issuer.uscc].public_key())
        assert [key["publicKeyMultibase"] for key in entry["keys"]] == [expected_key]
        assert all(key["type"] == "Multikey" for key in entry["keys"])


def test_issuer_list_holds_no_private_material(client):
    text = client.get("/api/v1/issuers").text
    assert "PRIVATE" not in text
    assert "encrypted" not in text.lower()


@pytest.mark.parametrize("demo_issuer", DEMO_ISSUERS, ids=lambda i: i.uscc)
def test_controller_document_lists_multikey_methods(client, demo_issuer):
    response = client.get(f"/issuers/{demo_issuer.uscc}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/did+json")
    document = response.json()
    assert document["@context"][0] == CID_CONTEXT  # then our terms CID does not define
    assert document["id"] == issuer_id(demo_issuer.uscc)
    [method] = document["verificationMethod"]
    assert method["type"] == "Multikey"
    assert method["controller"] == document["id"]
    assert method["id"].startswith(document["id"] + "#")
    assert method["publicKeyMultibase"] == public_multikey(
        demo_keyset()[demo_issuer.uscc].public_key()
    )
    assert document["assertionMethod"] == [method["id"]]


def test_proof_methods_resolve_to_the_controller_documents(client, demo):
    joint = next(r for r in DEMO_RECORDS if r.issuer_uscc == JOINT_MECHANICAL_COMMITTEE.uscc)
    proofs = issue(client, demo, joint)["verifiableCredential"]["proof"]
    assert len(proofs) == 4
    for proof in proofs:
        controller = proof["verificationMethod"].split("#")[0]
        assert controller.startswith(BASE_URL + "/issuers/")
        document = client.get(controller.removeprefix(BASE_URL)).json()
        assert proof["verificationMethod"] in [m["id"] for m in document["verificationMethod"]]
        assert proof["verificationMethod"] in document["assertionMethod"]


def test_unknown_issuer_has_no_controller_document(client):
    assert_problem(client.get("/issuers/11310118MB0000009X"), 404, "ISSUER_UNKNOWN")


def test_openapi_ui_and_document(client):
    page = client.get("/schema")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    document = client.get("/schema/openapi.json")
    assert document.status_code == 200
    paths = document.json()["paths"]
    assert "post" in paths["/credentials/issue"]
    assert "post" in paths["/credentials/verify"]
    assert "post" in paths["/api/v1/verify"]
    assert "get" in paths["/api/v1/credentials/{record_id}"]
    assert "/v" not in paths  # pages are for people, not part of the API


def test_verify_page_is_bilingual_and_locked_down(client):
    response = client.get("/v")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    html = response.text
    assert '<html lang="zh-CN">' in html
    assert "证书核验" in html
    assert "Credential check" in html
    assert '<script src="/static/verify.js"' in html
    assert "<script>" not in html  # no inline script for the policy to forbid


def test_verify_page_script_is_served(client):
    response = client.get("/static/verify.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert "/api/v1/scan" in response.text


def test_home_page_is_bilingual(client):
    response = client.get("/")
    assert response.status_code == 200
    assert has_chinese(response.text)
    assert "talent-credential registry" in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_code_lists_carry_both_languages(client):
    response = client.get("/api/v1/codes")
    assert response.status_code == 200
    lists = response.json()
    assert set(lists) == CODE_LISTS
    for name, code_list in lists.items():
        assert code_list["entries"], name
        for entry in code_list["entries"]:
            assert entry["zh"]
            assert entry["en"]
    levels = {entry["code"]: entry for entry in lists["title-levels"]["entries"]}
    assert levels["中级"]["en"] == "Intermediate"
    divisions = {entry["code"] for entry in lists["divisions"]["entries"]}
    assert {"310118", "320509", "330421"} <= divisions


@pytest.mark.parametrize("record_type", ["ProfessionalTitleCredential", "JointTitleCredential"])
def test_record_type_schemas_are_published(client, record_type):
    response = client.get(f"/schemas/{record_type}/v1.schema.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/schema+json")
    schema = response.json()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:yrd-talent:schema:{record_type}:v1"
    assert "credentialSubject" in schema["required"]


@pytest.mark.parametrize(
    "path",
    [
        "/schemas/DriverLicence/v1.schema.json",
        "/schemas/ProfessionalTitleCredential/v2.schema.json",
        "/schemas/ProfessionalTitleCredential/v1.schema.json.bak",
        "/schemas/..%2F..%2Fpyproject.toml/v1.schema.json",
        "/schemas/%2E%2E/pyproject.toml",
    ],
    ids=["type", "version", "suffix", "encoded-slash", "dotdot"],
)
def test_unknown_schema_is_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] in ("SCHEMA_UNKNOWN", "NOT_FOUND")
    assert_problem(response, 404, response.json()["code"])


def test_json_ld_context_is_published(client):
    response = client.get("/contexts/v1")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert "@context" in response.json()


@pytest.mark.parametrize("path", ["/no/such/route", "/api/v1/nothing", "/credentials"])
def test_unknown_route_is_a_problem(client, path):
    assert_problem(client.get(path), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    "path",
    [
        "/schemas/codes/divisions.json",
        "/schemas/context/v1.jsonld",
        "/schemas/ProfessionalTitleCredential/README.md",
    ],
)
def test_schema_route_serves_only_schemas(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "SCHEMA_UNKNOWN"


def test_openapi_documents_error_codes(client):
    spec = client.get("/schema/openapi.json").json()
    issue = spec["paths"]["/credentials/issue"]["post"]["responses"]
    assert {"201", "400", "401", "403", "409", "413", "422"} <= set(issue)
    assert "ID_NUMBER_INVALID" in issue["422"]["description"]
    assert "application/problem+json" in issue["401"]["content"]
    partner = spec["paths"]["/api/v1/verify"]["post"]["responses"]
    assert "TOKEN_UNKNOWN" in partner["401"]["description"]

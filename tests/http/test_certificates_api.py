"""Printable certificates over HTTP: the issuer's PDF of a record, a review session's ZIP
and the holder's own certificate; never for the public, another issuer or a revoked
record; the printed QR verifies and the seal is the issuer's trust-list key."""

from __future__ import annotations

import csv
import io
import zipfile

from registry.core.formats.multikey import public_multikey
from registry.demo.data import DEMO_PEOPLE, QINGPU_BUREAU, WUJIANG_BUREAU
from tests.http.test_issue_batch_api import BAD_CHECK_DIGIT, title, with_id_number
from tests.support.api_checks import assert_problem, issuer_headers
from tests.support.fixtures import BASE_URL, bearer
from tests.support.pdf import pdf_text, qr_on_page, seal_status
from tests.support.privacy import id_numbers_in

PDF = "application/pdf"
WANG = DEMO_PEOPLE[0]  # holder of demo.records[0], issued by the Qingpu bureau


def certificate_path(record: str) -> str:
    return f"/api/v1/credentials/{record}/certificate.pdf"


def assert_pdf(response) -> bytes:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == PDF
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return response.content


def trust_list_keys(client, uscc: str) -> set[str]:
    document = client.get("/trust-list").json()
    (issuer,) = [item for item in document["issuers"] if item["uscc"] == uscc]
    return {key["publicKeyMultibase"] for key in issuer["keys"] if key["state"] == "active"}


def test_the_issuer_prints_a_sealed_certificate_whose_qr_verifies(client, demo):
    record = demo.records[0]
    pdf = assert_pdf(
        client.get(certificate_path(record), headers=issuer_headers(demo, QINGPU_BUREAU.uscc))
    )
    text = pdf_text(pdf)
    assert WANG.name in text and "DEMO-QP-2019-0001" in text and "扫码核验" in text
    assert id_numbers_in(text) == [] and id_numbers_in(pdf.decode("latin-1")) == []
    assert WANG.id_number not in text and WANG.id_number[-4:] + "\n" not in text

    scanned = qr_on_page(pdf)
    assert scanned.startswith(f"{BASE_URL}/v#")
    answer = client.post("/api/v1/scan", json={"payload": scanned})
    assert answer.status_code == 200, answer.text
    assert answer.json()["verified"] is True and answer.json()["record"]["id"] == record

    status = seal_status(pdf)
    assert status.intact and status.valid, status.pretty_print_details()
    raw = status.signing_cert.public_key["public_key"].native
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    sealed_by = public_multikey(Ed25519PublicKey.from_public_bytes(raw))
    assert sealed_by in trust_list_keys(client, QINGPU_BUREAU.uscc)
    assert status.signing_cert.subject.native["organization_identifier"] == QINGPU_BUREAU.uscc


def test_a_certificate_is_never_for_the_public_or_another_issuer(client, demo):
    record = demo.records[0]
    assert_problem(client.get(certificate_path(record)), 401, "TOKEN_MISSING")
    partner = bearer(demo.tokens["partner:330421"])
    assert_problem(client.get(certificate_path(record), headers=partner), 403, "ROLE_FORBIDDEN")
    other = issuer_headers(demo, WUJIANG_BUREAU.uscc)
    assert_problem(client.get(certificate_path(record), headers=other), 403, "RECORD_NOT_YOURS")
    admin = bearer(demo.tokens["admin"])
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_problem(client.get(certificate_path(unknown), headers=admin), 404, "RECORD_UNKNOWN")
    assert_problem(
        client.get(certificate_path("nonsense"), headers=admin), 422, "RECORD_ID_INVALID"
    )


def test_a_revoked_record_gets_no_certificate(client, demo):
    record = demo.records[1]
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    revoked = client.post(
        f"/credentials/{record}/revoke", json={"reason": "issued_in_error"}, headers=headers
    )
    assert revoked.status_code == 200, revoked.text
    response = client.get(certificate_path(record), headers=headers)
    assert_problem(response, 409, "CERTIFICATE_RECORD_FINAL")


def test_the_holder_downloads_their_certificate_by_their_link(client, demo):
    record = demo.records[0]
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    made = client.post(f"/credentials/{record}/holder-link", headers=headers)
    assert made.status_code == 201, made.text
    link = made.json()["url"].removeprefix(BASE_URL)
    response = client.get(f"{link}/certificate.pdf")
    pdf = assert_pdf(response)
    assert response.headers["referrer-policy"] == "no-referrer"
    assert WANG.name in pdf_text(pdf)
    assert client.delete(f"/credentials/{record}/holder-link", headers=headers).status_code == 200
    assert_problem(client.get(f"{link}/certificate.pdf"), 404, "HOLDER_LINK_UNKNOWN")
    assert_problem(client.get("/holder/rgh_unknown/certificate.pdf"), 404, "HOLDER_LINK_UNKNOWN")


def test_a_review_session_downloads_as_one_zip_with_an_index(client, demo):
    headers = issuer_headers(demo, QINGPU_BUREAU.uscc)
    items = [title(1), with_id_number(title(2), BAD_CHECK_DIGIT), title(3)]
    issued = client.post(
        "/credentials/issue/batch",
        json={"sessionKey": "2026-qp-print_1", "credentials": items},
        headers=headers,
    )
    assert issued.status_code == 200, issued.text
    assert [item["outcome"] for item in issued.json()["items"]] == ["issued", "refused", "issued"]
    path = "/api/v1/review-sessions/2026-qp-print_1/certificates.zip"
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    index = list(csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert index[0] == ["row", "name", "certificateNumber", "file", "problem", "record"]
    assert [(row[0], row[1], row[2], row[4]) for row in index[1:]] == [
        ("batch 0", "评审人员1", "QP-2026-0001", ""),
        ("batch 2", "评审人员3", "QP-2026-0003", ""),
    ]
    for row in index[1:]:
        assert "评审人员" in pdf_text(archive.read(row[3]))
    assert sorted(archive.namelist()) == sorted(["index.csv", index[1][3], index[2][3]])

    other = issuer_headers(demo, WUJIANG_BUREAU.uscc)
    assert_problem(client.get(path, headers=other), 404, "REVIEW_SESSION_UNKNOWN")
    assert_problem(client.get(path), 401, "TOKEN_MISSING")
    unknown = "/api/v1/review-sessions/never-run/certificates.zip"
    assert_problem(client.get(unknown, headers=headers), 404, "REVIEW_SESSION_UNKNOWN")
    bad = "/api/v1/review-sessions/-bad/certificates.zip"
    assert_problem(client.get(bad, headers=headers), 422, "SESSION_KEY_INVALID")

"""``/api/v1/credentials/{id}`` and its QR forms: only for the issuer that issued it."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from PIL import Image

from registry.demo.data import DEMO_RECORDS, QINGPU_BUREAU, WUJIANG_BUREAU
from tests.support.api_checks import assert_problem, issue, issuer_headers
from tests.support.fixtures import BASE_URL, bearer

TITLE_RECORD = DEMO_RECORDS[0]  # issued by the Qingpu bureau
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
SUBPATHS = ["", "/qr", "/qr.svg", "/qr.png"]
SVG_NS = "{http://www.w3.org/2000/svg}"
MODULE = re.compile(r"M(\d+),(\d+)H")


@pytest.fixture
def issued(client, demo):
    """A Qingpu record issued through the API."""
    return issue(client, demo, TITLE_RECORD)


def test_issuer_reads_its_record(client, demo, issued):
    response = client.get(
        f"/api/v1/credentials/{issued['id']}", headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == {
        "verifiableCredential": issued["verifiableCredential"],
        "status": "active",
        "id": issued["id"],
        "electronicLicenceId": issued["electronicLicenceId"],
    }


def test_record_id_is_read_in_any_uuid_spelling(client, demo, issued):
    response = client.get(
        f"/api/v1/credentials/{issued['id'].upper()}",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 200
    assert response.json()["id"] == issued["id"]


def test_admin_reads_any_record(client, demo, issued):
    response = client.get(
        f"/api/v1/credentials/{issued['id']}", headers=bearer(demo.tokens["admin"])
    )
    assert response.status_code == 200
    assert response.json()["id"] == issued["id"]


@pytest.mark.parametrize("subpath", SUBPATHS, ids=["credential", "qr", "svg", "png"])
def test_another_issuer_may_not_read_the_record(client, demo, issued, subpath):
    response = client.get(
        f"/api/v1/credentials/{issued['id']}{subpath}",
        headers=issuer_headers(demo, WUJIANG_BUREAU.uscc),
    )
    body = assert_problem(response, 403, "RECORD_NOT_YOURS")
    assert issued["id"] not in response.text
    assert "verifiableCredential" not in body


@pytest.mark.parametrize("subpath", SUBPATHS, ids=["credential", "qr", "svg", "png"])
def test_unknown_record_is_not_found(client, demo, subpath):
    response = client.get(
        f"/api/v1/credentials/{UNKNOWN_ID}{subpath}",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert_problem(response, 404, "RECORD_UNKNOWN")


@pytest.mark.parametrize("record_id", ["42", "not-a-uuid", "00000000-0000-4000-8000-00000000000"])
def test_malformed_record_id_is_refused(client, demo, record_id):
    response = client.get(
        f"/api/v1/credentials/{record_id}", headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
    )
    assert_problem(response, 422, "RECORD_ID_INVALID")


def test_records_need_an_issuer_token(client, demo, issued):
    path = f"/api/v1/credentials/{issued['id']}"
    assert_problem(client.get(path), 401, "TOKEN_MISSING")
    assert_problem(client.get(path, headers=bearer("rgt_not-a-token")), 401, "TOKEN_UNKNOWN")
    partner = bearer(demo.tokens["partner:310118"])
    assert_problem(client.get(path, headers=partner), 403, "ROLE_FORBIDDEN")


def test_qr_json_gives_url_and_payload(client, demo, issued):
    response = client.get(
        f"/api/v1/credentials/{issued['id']}/qr", headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == issued["qr"]
    assert response.json()["url"] == f"{BASE_URL}/v#{response.json()['payload']}"


def _raster(svg: bytes) -> Image.Image:
    """Paint the SVG's unit-square modules (``Mx,yH..V..H..z``) onto a bitmap, 8 px each."""
    root = ET.fromstring(svg)
    _, _, width, height = (int(v) for v in root.attrib["viewBox"].split())
    image = Image.new("L", (width * 8, height * 8), 255)
    for path in root.iter(f"{SVG_NS}path"):
        for x, y in MODULE.findall(path.attrib["d"]):
            image.paste(0, (int(x) * 8, int(y) * 8, int(x) * 8 + 8, int(y) * 8 + 8))
    return image


def test_qr_svg_is_an_svg_of_the_verify_url(client, demo, issued):
    response = client.get(
        f"/api/v1/credentials/{issued['id']}/qr.svg",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert ET.fromstring(response.content).tag == f"{SVG_NS}svg"
    found = zxingcpp.read_barcodes(_raster(response.content), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in found] == [issued["qr"]["url"]]


def test_qr_png_decodes_to_the_verify_url(client, demo, issued):
    response = client.get(
        f"/api/v1/credentials/{issued['id']}/qr.png",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    found = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(response.content)), formats=zxingcpp.BarcodeFormat.QRCode
    )
    assert [code.text for code in found] == [issued["qr"]["url"]]


def test_credential_id_resolves_for_its_issuer(client, demo):
    record = DEMO_RECORDS[0]
    token = demo.tokens[f"issuer:{record.issuer_uscc}"]
    issued = client.post(
        "/credentials/issue", json={"credential": record.issuance_request()}, headers=bearer(token)
    ).json()
    path = issued["verifiableCredential"]["id"].removeprefix(BASE_URL)
    assert path == f"/credentials/{issued['id']}"
    found = client.get(path, headers=bearer(token))
    assert found.status_code == 200
    assert found.json()["verifiableCredential"] == issued["verifiableCredential"]
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer(demo.tokens["partner:310118"])).status_code == 403

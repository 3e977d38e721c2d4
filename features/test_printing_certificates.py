"""Steps of printing_certificates.feature: the Qingpu bureau issues a session through the
API and downloads its certificates (ZIP), an employer scans a printed QR (the PDF rendered
to an image with poppler, as a camera would see the paper), the holder downloads theirs."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pytest_bdd import given, parsers, scenarios, then, when

from features.steps.story import Story
from registry.core.formats.multikey import public_multikey
from registry.demo.data import QINGPU_BUREAU, WUJIANG_BUREAU
from tests.http.test_issue_batch_api import BAD_CHECK_DIGIT, title, with_id_number
from tests.support.fixtures import BASE_URL, bearer
from tests.support.pdf import pdf_text, qr_on_page, seal_status
from tests.support.privacy import id_numbers_in

scenarios("printing_certificates.feature")


class Printed:
    """The session as issued and the certificates downloaded."""

    def __init__(self) -> None:
        self.issued: list[dict[str, Any]] = []
        self.archive: zipfile.ZipFile | None = None
        self.index: list[dict[str, str]] = []
        self.holder_pdf: bytes = b""


@pytest.fixture
def printed() -> Printed:
    return Printed()


def _issuer(demo, uscc: str) -> dict[str, str]:
    return bearer(demo.tokens[f"issuer:{uscc}"])


def _pdfs(printed: Printed) -> list[bytes]:
    assert printed.archive is not None
    return [printed.archive.read(line["file"]) for line in printed.index]


@given(parsers.parse('青浦区人社局通过接口以批次键 "{key}" 签发 {count:d} 名工程师的职称，其中第 {bad:d} 项身份证号码校验码写错'))  # fmt: skip
def session_issued(client, demo, printed: Printed, key, count, bad):
    items = [title(number) for number in range(1, count + 1)]
    items[bad - 1] = with_id_number(items[bad - 1], BAD_CHECK_DIGIT)
    response = client.post(
        "/credentials/issue/batch",
        json={"sessionKey": key, "credentials": items},
        headers=_issuer(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 200, response.text
    printed.issued = response.json()["items"]


@when(parsers.parse('{bureau}下载批次 "{key}" 的证书压缩包'))
def download_session(client, demo, printed: Printed, story: Story, bureau, key):
    uscc = {"青浦区人社局": QINGPU_BUREAU.uscc, "吴江区人社局": WUJIANG_BUREAU.uscc}[bureau]
    story.response = client.get(
        f"/api/v1/review-sessions/{key}/certificates.zip", headers=_issuer(demo, uscc)
    )
    if story.response.status_code == 200:
        printed.archive = zipfile.ZipFile(io.BytesIO(story.response.content))
        index = printed.archive.read("index.csv").decode("utf-8-sig")
        printed.index = list(csv.DictReader(io.StringIO(index)))


@then(parsers.parse("压缩包内有 {count:d} 份证书 PDF 和一份索引"))
def archive_holds(printed: Printed, count):
    assert printed.archive is not None
    names = printed.archive.namelist()
    assert sorted(names) == sorted(["index.csv", *(line["file"] for line in printed.index)])
    assert len([name for name in names if name.endswith(".pdf")]) == count


@then(parsers.parse("索引逐行列出第 {items} 项的姓名、证书编号和文件名"))
def index_lists(printed: Printed, items):
    expected = [int(item) for item in items.split("、")]
    assert [line["row"] for line in printed.index] == [f"batch {item}" for item in expected]
    for line, item in zip(printed.index, expected, strict=True):
        subject = printed.issued[item]["verifiableCredential"]["credentialSubject"]
        assert line["name"] == subject["name"]
        assert line["certificateNumber"] == subject["professionalTitle"]["certificateNumber"]
        assert line["file"].endswith(".pdf") and line["problem"] == ""
        assert subject["name"] in pdf_text(printed.archive.read(line["file"]))


@then("每份证书都由青浦区人社局以其信任列表中的密钥电子签名")
def sealed_by_the_bureau(client, printed: Printed):
    document = client.get("/trust-list").json()
    (bureau,) = [item for item in document["issuers"] if item["uscc"] == QINGPU_BUREAU.uscc]
    keys = {key["publicKeyMultibase"] for key in bureau["keys"]}
    for pdf in _pdfs(printed):
        status = seal_status(pdf)
        assert status.intact and status.valid
        raw = status.signing_cert.public_key["public_key"].native
        assert public_multikey(Ed25519PublicKey.from_public_bytes(raw)) in keys


@then("证书中没有任何身份证号码")
def no_id_numbers(printed: Printed):
    for pdf in _pdfs(printed):
        assert id_numbers_in(pdf_text(pdf)) == []
        assert id_numbers_in(pdf.decode("latin-1")) == []


@when("用人单位扫描第一份证书打印件上的二维码")
def employer_scans(client, printed: Printed, story: Story):
    story.payload = qr_on_page(_pdfs(printed)[0]).split("#", 1)[1]
    story.response = client.post("/api/v1/scan", json={"payload": story.payload})


@when("青浦区人社局为第一份证书生成持证人链接")
def holder_link(client, demo, printed: Printed, story: Story):
    record = printed.issued[0]["id"]
    story.response = client.post(
        f"/credentials/{record}/holder-link", headers=_issuer(demo, QINGPU_BUREAU.uscc)
    )
    assert story.response.status_code == 201, story.response.text


@when("持证人用链接下载证书")
def holder_downloads(client, printed: Printed, story: Story):
    link = story.answer()["url"].removeprefix(BASE_URL)
    response = client.get(f"{link}/certificate.pdf")
    assert response.status_code == 200, response.text
    printed.holder_pdf = response.content


@then("持证人下载到写有本人姓名、加盖电子签名的证书 PDF")
def holder_has_certificate(printed: Printed):
    name = printed.issued[0]["verifiableCredential"]["credentialSubject"]["name"]
    assert name in pdf_text(printed.holder_pdf)
    assert seal_status(printed.holder_pdf).intact

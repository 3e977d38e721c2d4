"""The certificate PDF: its layout's texts, the embedded font, a QR that scans from the
printed page, the PAdES seal, and a clear error (never an empty box) for a character the
font lacks."""

from __future__ import annotations

import asyncio
import json
import warnings
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from registry.core.errors import RegistryError
from registry.core.recordtypes import RECORD_TYPES, field_labels
from registry.render.certificate import (
    CertificateContent,
    Fact,
    Sealer,
    render_certificate,
    seal_pdf,
    sealed_certificate,
    sealing_certificate,
)
from registry.render.certificate.content import chinese_date, english_date
from registry.render.certificate.fonts import FONT_PATH, missing_characters
from tests.support.pdf import page_count, pdf_fonts, pdf_text, qr_on_page, seal_status

URL = "https://talent.yrd-demo.example.cn/v#RC1:" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" * 15
NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
CONTENT = CertificateContent(
    record_id="5b0c7d3e-1111-4a2b-8c3d-000000000001",
    title_zh="职称证书",
    title_en="Professional title",
    issuer_zh="上海市青浦区人力资源和社会保障局",
    issuer_en="Qingpu District Human Resources and Social Security Bureau",
    holder_name="王建华",
    facts=(
        Fact("职称系列", "Series", "工程技术", "Engineering"),
        Fact("取得日期", "Obtained on", "2019年12月30日", "30 December 2019"),
        Fact("取得时工作单位", "Employer at the time", "青浦演示建设工程有限公司"),
    ),
    certificate_number="DEMO-QP-2019-0001",
    electronic_licence_id="1.2.156.3005.2.000000000000000000001.11310118MB0000001L.2026.001.8",
    issued_on=date(2026, 12, 7),
    valid_from=date(2026, 12, 7),
    valid_until=None,
    qr_url=URL,
    printed_at=NOW,
)
KEY = Ed25519PrivateKey.generate()
SEALER = Sealer(
    "上海市青浦区人力资源和社会保障局", "Qingpu bureau", "11310118MB0000001L", KEY, b"k" * 16
)


@pytest.fixture(scope="module")
def sealed() -> bytes:
    return sealed_certificate(CONTENT, SEALER)


def test_dates_are_written_as_certificates_write_them():
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"
    assert english_date(date(2026, 1, 5)) == "5 January 2026"


def test_the_page_says_what_the_content_says(sealed):
    text = pdf_text(sealed)
    for expected in (
        "职称证书", "Professional title", "王建华", "工程技术", "Engineering",
        "DEMO-QP-2019-0001", "扫码核验", "Scan to verify", "2026年12月7日", "7 December 2026",
        "起长期有效", "取得时工作单位",
    ):  # fmt: skip
        assert expected in text, expected
    assert sealed.startswith(b"%PDF-")


def test_the_font_is_embedded_as_a_subset(sealed):
    fonts = pdf_fonts(sealed)
    assert fonts, "the certificate names no font"
    for row in fonts:
        assert row[0].split("+", 1)[0].isupper() and "+" in row[0], row  # subset tag
        emb, sub, uni = row[-5], row[-4], row[-3]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
    assert len(sealed) < 400_000  # a subset, not the 1.9 MB font


def test_the_qr_code_scans_from_the_printed_page(sealed):
    assert qr_on_page(sealed) == URL


def test_the_seal_validates_and_names_the_issuer(sealed):
    status = seal_status(sealed)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.bottom_line
    certificate = status.signing_cert
    public = KEY.public_key().public_bytes_raw()
    assert certificate.public_key["public_key"].native == public
    subject = certificate.subject.native
    assert subject["common_name"] == SEALER.name_zh
    assert subject["organization_identifier"] == SEALER.uscc


def test_an_altered_certificate_fails_its_seal(sealed):
    at = sealed.index(b"/Producer")
    forged = sealed[:at] + b"/Producer" + sealed[at + 9 :].replace(b"YRD", b"XRD", 1)
    assert forged != sealed
    status = seal_status(forged)
    assert not status.intact


def test_a_character_outside_the_font_is_refused_by_name():
    strange = replace(CONTENT, holder_name="王𠮷华")
    with pytest.raises(RegistryError) as caught:
        render_certificate(strange)
    assert caught.value.code == "CERTIFICATE_GLYPH_MISSING"
    assert "U+20BB7" in caught.value.message_zh and "U+20BB7" in caught.value.message_en


def test_sealing_works_from_a_thread_running_an_event_loop():
    pdf = render_certificate(CONTENT)

    async def inside_a_loop() -> bytes:
        return seal_pdf(pdf, SEALER, signed_at=NOW)

    sealed = asyncio.run(inside_a_loop())
    assert seal_status(sealed).intact


def test_the_sealing_certificate_has_no_end_and_a_long_name_fits():
    long_name = "长三角生态绿色一体化发展示范区机械工程高级职称联合评审委员会"
    certificate = sealing_certificate(replace(SEALER, name_zh=long_name), now=NOW)
    with warnings.catch_warnings():  # cryptography counts a 30-character name's UTF-8 bytes
        warnings.filterwarnings("ignore", "Attribute's length", UserWarning)
        common = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert common == long_name
    assert certificate.not_valid_after_utc.year == 9999


def test_every_label_and_code_list_entry_is_in_the_font():
    texts = [
        label[lang] for spec in RECORD_TYPES.values() for label in field_labels(spec).values()
        for lang in ("zh", "en")
    ]  # fmt: skip
    for path in (Path(__file__).parents[2] / "schemas" / "codes").glob("*.json"):
        for entry in json.loads(path.read_text(encoding="utf-8"))["entries"]:
            texts += [str(entry.get("zh", "")), str(entry.get("en", ""))]
    assert missing_characters(texts) == []
    assert FONT_PATH.stat().st_size < 3_000_000


def test_a_long_record_runs_onto_a_second_page_with_the_qr_at_its_foot():
    courses = tuple(
        Fact("课程", "Course", f"演示课程第{n}讲：专业技术人员继续教育，公需科目，3学时", None)
        for n in range(1, 25)
    )
    pdf = render_certificate(replace(CONTENT, facts=CONTENT.facts + courses))
    assert page_count(pdf) == 2
    assert qr_on_page(pdf, page=2) == URL
    assert "演示课程第24讲" in pdf_text(pdf)

"""What a certificate says for every record type (labels from the specs and code lists,
never an ID number, a passport number or the people beside the holder), that its printed
QR verifies through the verifier, and a review session's index naming what did not print."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

import pytest

from registry.core.errors import RegistryError
from registry.core.recordtypes import spec_of
from registry.demo.seed import seed_demo
from registry.services.access.tokens import Principal
from registry.services.certificates.content import certificate_content
from registry.services.certificates.printing import record_certificate
from registry.services.certificates.sessions import INDEX_COLUMNS, session_certificates
from registry.services.issuance.review_sessions import issue_items
from registry.services.lifecycle.changes import change_status
from registry.services.runtime.context import Registry
from registry.services.verification.verifier import Verifier
from registry.settings import load_settings
from registry.storage.repositories import CredentialRepository, IssuerRepository
from tests.http.test_issue_batch_api import title
from tests.support import keyset
from tests.support.clock import now
from tests.support.fixtures import BASE_URL, make_settings
from tests.support.pdf import pdf_text, qr_on_page
from tests.support.privacy import id_numbers_in

ADMIN = Principal(0, "admin", None, None, "test")


@pytest.fixture(scope="module")
def demo_registry(tmp_path_factory):
    folder = tmp_path_factory.mktemp("certificates")
    registry = Registry.open(make_settings(str(folder), f"sqlite:///{folder / 'r.db'}"))
    summary = seed_demo(registry, now=now(), keyset=keyset.test_keyset())
    yield registry, summary
    registry.close()


def _contents(registry: Registry, records: list[str]):
    with registry.reading() as session:
        for record in records:
            row = CredentialRepository(session).get(record)
            issuer = IssuerRepository(session).by_id(row.issuer_id)
            yield row, certificate_content(row, issuer, BASE_URL, now=now())


def test_every_demo_record_has_labelled_facts_and_no_personal_number(demo_registry):
    registry, demo = demo_registry
    kinds = set()
    for row, content in _contents(registry, demo.records):
        kinds.add(row.record_type)
        subject = row.document["credentialSubject"]
        assert content.holder_name == subject["name"]
        assert content.facts and all(f.label_zh and f.label_en and f.value for f in content.facts)
        texts = "\n".join(content.texts())
        assert id_numbers_in(texts) == [], row.record_type
        assert not subject.get("idNumber") or subject["idNumber"] not in texts
        passport = subject.get("passport", {}).get("number")
        assert not passport or passport not in texts
        block = subject[spec_of(row.record_type).subject_key]
        for dependant in block.get("dependants", []):  # people beside the holder
            kinds.add("dependants")
            assert dependant["name"] not in texts
        assert "principalRecord" not in block or block["principalRecord"] not in texts
        assert content.qr_url.startswith(f"{BASE_URL}/v#")
    assert len(kinds) == 9  # the demo holds every record type, and a letter's dependants


def test_a_joint_title_names_its_committee_and_codes_read_as_labels(demo_registry):
    registry, demo = demo_registry
    joint = [
        c for r, c in _contents(registry, demo.records) if r.record_type == "JointTitleCredential"
    ]
    facts = {fact.label_en: fact for fact in joint[0].facts}
    assert facts["Joint review committee"].value == joint[0].issuer_zh
    assert facts["Co-reviewing regions"].value == "青浦区、吴江区、嘉善县"
    assert facts["Review session"].value_en == "2021, session 1"
    assert facts["Obtained on"].value == "2021年12月28日"


def test_a_printed_certificate_scans_and_verifies(demo_registry):
    registry, demo = demo_registry
    printed = record_certificate(registry, ADMIN, demo.records[4], now=now())
    text = pdf_text(printed.pdf)
    assert id_numbers_in(text) == [] and id_numbers_in(printed.pdf.decode("latin-1")) == []
    verification = Verifier(registry).qr(qr_on_page(printed.pdf), now=datetime.now(UTC))
    assert verification.verified, [c.code for c in verification.problems]
    assert verification.facts is not None and verification.facts.record_id == demo.records[4]


def test_a_session_index_names_a_record_revoked_since(demo_registry):
    registry, _ = demo_registry
    issuer = Principal(0, "issuer", "11310118MB0000001L", None, "test")
    at = now()
    report = issue_items(registry, issuer, [title(7), title(8)], session_key="svc-1", now=at)
    first = report.outcomes[0].record.record_id
    change_status(registry, issuer, first, "revoke", reason="issued_in_error", now=at)
    archive = b"".join(session_certificates(registry, issuer, "svc-1", now=at).zip_chunks())
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        index = list(csv.DictReader(io.StringIO(opened.read("index.csv").decode("utf-8-sig"))))
        assert list(index[0]) == list(INDEX_COLUMNS)
        assert index[0]["file"] == "" and index[0]["problem"].startswith("CERTIFICATE_RECORD_FINAL")
        assert index[1]["problem"] == "" and opened.read(index[1]["file"]).startswith(b"%PDF")
    with pytest.raises(RegistryError) as caught:
        session_certificates(registry, ADMIN, "svc-2", now=at)
    assert caught.value.code == "REVIEW_SESSION_UNKNOWN"


def test_values_read_as_a_certificate_writes_them():
    from registry.services.certificates.content import _text

    assert _text("2021-12-28") == ("2021年12月28日", "28 December 2021")
    assert _text("2021-13-45") == ("2021-13-45", None)  # shaped like a date, but is not one
    assert _text(True) == ("是", "Yes")
    assert _text([{"zh": "青浦区", "en": "Qingpu"}, {"zh": "吴江区", "en": "Wujiang"}]) == (
        "青浦区、吴江区",
        "Qingpu, Wujiang",
    )
    course = {"title": "演示课程", "hours": 30, "completedOn": "2025-04-18"}
    assert _text([course]) == ("演示课程，30学时，2025年4月18日", None)


def test_an_issuer_setting_shows_the_id_number_masked_and_nothing_else_does(demo_registry):
    registry, demo = demo_registry
    row, plain = next(_contents(registry, demo.records[:1]))
    masked = _masked_content(registry, demo.records[0])
    last_four = row.document["credentialSubject"]["idNumber"][-4:]
    assert all(fact.label_en != "ID number" for fact in plain.facts)
    shown = masked.facts[0]
    assert (shown.label_zh, shown.label_en) == ("公民身份号码", "ID number")
    assert shown.value == "*" * 14 + last_four
    assert id_numbers_in("\n".join(masked.texts())) == []

    settings = load_settings(
        {"REGISTRY_CERTIFICATE_MASKED_ID": " 11310118mb0000001l ,", "REGISTRY_DATA_DIR": "."}
    )
    assert settings.certificate_shows_masked_id("11310118MB0000001L")
    assert not settings.certificate_shows_masked_id("11320509MB0000001C")
    everyone = load_settings({"REGISTRY_CERTIFICATE_MASKED_ID": "*", "REGISTRY_DATA_DIR": "."})
    assert everyone.certificate_shows_masked_id("11320509MB0000001C")
    assert not load_settings({"REGISTRY_DATA_DIR": "."}).certificate_shows_masked_id("x")


def _masked_content(registry: Registry, record: str):
    with registry.reading() as session:
        row = CredentialRepository(session).get(record)
        issuer = IssuerRepository(session).by_id(row.issuer_id)
        return certificate_content(row, issuer, BASE_URL, now=now(), masked_id=True)


def test_a_session_zip_streams_each_certificate_as_soon_as_it_is_sealed(demo_registry):
    # 1,000 certificates take minutes: the download must advance certificate by certificate
    # (no proxy idle timeout fires), never wait for the whole ZIP.
    registry, _ = demo_registry
    issuer = Principal(0, "issuer", "11310118MB0000001L", None, "test")
    at = now()
    items = [title(4), title(5), title(6)]
    issue_items(registry, issuer, items, session_key="svc-stream", now=at)
    certificates = session_certificates(registry, issuer, "svc-stream", now=at)
    chunks = certificates.zip_chunks()
    first = next(chunks)
    assert first.count(b"PK\x03\x04") == 1  # one file, the first certificate, and no more
    rest = list(chunks)
    assert [chunk.count(b"PK\x03\x04") for chunk in rest] == [1, 1, 1]  # two PDFs, index
    assert b"PK\x01\x02" in rest[-1] and b"PK\x01\x02" not in b"".join([first, *rest[:-1]])
    with zipfile.ZipFile(io.BytesIO(b"".join([first, *rest]))) as opened:
        names = opened.namelist()
        assert len(names) == 4 and names[-1] == "index.csv"
        assert all(opened.read(name).startswith(b"%PDF-") for name in names[:-1])

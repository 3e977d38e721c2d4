"""Privacy by construction, per record type: a sentinel put in every partner-only (A) field
and in the holder's full name, and the holder's ID or passport number (whole or masked),
never reach the QR payload, the public scan answer, the verify page, the holder's own
page, an error body or a log line; the sentinels do reach the partner's answer (so the test can fail)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import cbor2
import pytest

from registry.core.formats import cose, qrcontainer
from registry.core.people.privacy import mask_id_number, mask_name, mask_passport_number
from registry.core.records.qrclaims import RECORD_CLAIM
from registry.core.records.schemas import schema_document
from registry.core.recordtypes import RECORD_TYPES
from registry.demo.data import JIASHAN_BUREAU, JOINT_MECHANICAL_COMMITTEE, QINGPU_BUREAU
from registry.demo.talent import EXECUTIVE_COMMITTEE, POSTDOC_STATION
from tests.support.api_checks import issuer_headers
from tests.support.fixtures import bearer
from tests.support.privacy import id_numbers_in

Sentinels = Callable[[dict[str, Any]], list[str]]


def _title(block: dict[str, Any]) -> list[str]:
    block.update(
        approvalNumber="SENTINEL-APPROVAL",
        certificateNumber="SENTINEL-CERTIFICATE",
        employer="SENTINEL-EMPLOYER",
    )
    return ["SENTINEL-APPROVAL", "SENTINEL-CERTIFICATE", "SENTINEL-EMPLOYER"]


def _permit(block: dict[str, Any]) -> list[str]:
    block.update(permitNumber="SENTINEL-PERMIT-NUMBER", employer="SENTINEL-EMPLOYER", category="T")
    return ["SENTINEL-PERMIT-NUMBER", "SENTINEL-EMPLOYER"]


def _letter(block: dict[str, Any]) -> list[str]:
    block["employer"] = "SENTINEL-EMPLOYER"
    block["dependants"][0]["name"] = "SENTINEL-SPOUSE"
    block["dependants"][1]["name"] = "SENTINEL-CHILD"
    return ["SENTINEL-EMPLOYER", "SENTINEL-SPOUSE", "SENTINEL-CHILD"]


def _postdoc(block: dict[str, Any]) -> list[str]:
    block.update(
        university="SENTINEL-UNIVERSITY",
        discipline="SENTINEL-DISCIPLINE",
        certificateNumber="SENTINEL-CERTIFICATE",
        supervisors=[{"name": "SENTINEL-SUPERVISOR", "unit": "SENTINEL-UNIT"}],
    )
    return [
        "SENTINEL-UNIVERSITY",
        "SENTINEL-DISCIPLINE",
        "SENTINEL-CERTIFICATE",
        "SENTINEL-SUPERVISOR",
        "SENTINEL-UNIT",
    ]


def _vocational(block: dict[str, Any]) -> list[str]:
    block.update(certificateNumber="SENTINEL-CERTIFICATE", registrationNumber="SENTINEL-REGISTER")
    return ["SENTINEL-CERTIFICATE", "SENTINEL-REGISTER"]


def _hours(block: dict[str, Any]) -> list[str]:
    """Courses and their providers (the hours of each kind still add up)."""
    sentinels = []
    for index, course in enumerate(block["courses"]):
        course.update(title=f"SENTINEL-COURSE-{index}", provider=f"SENTINEL-PROVIDER-{index}")
        sentinels += [course["title"], course["provider"]]
    return sentinels


def _equivalence(block: dict[str, Any]) -> list[str]:
    block.update(
        decisionNumber="SENTINEL-DECISION",
        foreignQualification="SENTINEL-FOREIGN-QUALIFICATION",
        awardingBody="SENTINEL-AWARDING-BODY",
        foreignCertificateNumber="SENTINEL-FOREIGN-NUMBER",
    )
    return [
        "SENTINEL-DECISION",
        "SENTINEL-FOREIGN-QUALIFICATION",
        "SENTINEL-AWARDING-BODY",
        "SENTINEL-FOREIGN-NUMBER",
    ]


@dataclass(frozen=True)
class Case:
    """Who issues the schema's example of a type, how to fill its partner-only fields, and
    a region where the record counts natively (so the partner check passes)."""

    issuer: str
    fill: Sentinels
    native_region: str


CASES: dict[str, Case] = {
    "ProfessionalTitleCredential": Case(QINGPU_BUREAU.uscc, _title, "310118"),
    "JointTitleCredential": Case(JOINT_MECHANICAL_COMMITTEE.uscc, _title, "320509"),
    "ResidencePermitCredential": Case(QINGPU_BUREAU.uscc, _permit, "310118"),
    "RecommendationLetterCredential": Case(EXECUTIVE_COMMITTEE.uscc, _letter, "310118"),
    "PostdocAffiliationCredential": Case(POSTDOC_STATION.uscc, _postdoc, "310118"),
    "VocationalQualificationCredential": Case(JIASHAN_BUREAU.uscc, _vocational, "330421"),
    "ContinuingEducationCredential": Case(QINGPU_BUREAU.uscc, _hours, "310118"),
    "QualificationEquivalenceCredential": Case(QINGPU_BUREAU.uscc, _equivalence, "310118"),
}
# DOMAIN.md's partner-only (A) fields of the qualification types, by block key: "A numbers";
# "A courses and providers"; "A the foreign qualification, its awarding body and number".
DOMAIN_PARTNER_ONLY = {
    "VocationalQualificationCredential": {"certificateNumber", "registrationNumber"},
    "ContinuingEducationCredential": {"courses"},
    "QualificationEquivalenceCredential": {
        "foreignQualification",
        "awardingBody",
        "foreignCertificateNumber",
    },
}
HOLDER = "Sentinelname Holderfield"
PURPOSE = "人才引进资格审核"


def _record_map(payload: str) -> dict[int, Any]:
    message = cose.decode_sign1(qrcontainer.decode_payload(payload))
    record: dict[int, Any] = cbor2.loads(message.payload)[RECORD_CLAIM]
    return record


def _request(record_type: str) -> tuple[dict[str, Any], list[str]]:
    """The schema's issuance example with sentinels in the holder's name and every
    partner-only field the filler knows."""
    spec = RECORD_TYPES[record_type]
    credential = copy.deepcopy(schema_document(record_type)["examples"][0])
    subject = credential["credentialSubject"]
    sentinels = CASES[record_type].fill(subject[spec.subject_key])
    subject["name"] = HOLDER
    return credential, [*sentinels, HOLDER, "Sentinelname", "Holderfield"]


def _walk_numbers(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for name, value in node.items():
            if name == "idNumber" and isinstance(value, str):
                yield "id", value
            elif key == "passport" and name == "number" and isinstance(value, str):
                yield "passport", value
            else:
                yield from _walk_numbers(value, name)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_numbers(item, key)


def _numbers(subject: dict[str, Any]) -> list[str]:
    """Every ID and passport number in a request's subject (holder and dependants), whole
    and in the masked form the stored credential keeps."""
    found = []
    for kind, number in _walk_numbers(subject):
        masked = mask_id_number(number) if kind == "id" else mask_passport_number(number)
        found += [number, masked]
    assert found, "every example names its holder by an ID or passport number"
    return found


def _assert_clean(where: str, text: str, secrets: list[str]) -> None:
    assert not id_numbers_in(text), where
    for secret in secrets:
        assert secret not in text, (where, secret)


def _assert_holder_page_clean(
    client: Any, demo: Any, issuer: str, record_id: str, secrets: list[str]
) -> None:
    """The holder's own page (HTML and JSON) shows the record's public facts and the
    masked name: never a partner-only field, the full name or an ID or passport number."""
    link = client.post(
        f"/credentials/{record_id}/holder-link", headers=issuer_headers(demo, issuer)
    )
    assert link.status_code == 201, link.text
    path = "/holder/" + link.json()["url"].rsplit("/holder/", 1)[1]
    html = client.get(path)
    assert html.status_code == 200, html.text
    assert "text/html" in html.headers["content-type"]
    view = client.get(path, headers={"Accept": "application/json"})
    assert view.status_code == 200, view.text
    assert view.json()["record"]["id"] == record_id
    assert view.json()["record"]["maskedName"] == mask_name(HOLDER)
    assert mask_name(HOLDER) in html.text  # the page does show the record
    _assert_clean("holder page", html.text, secrets)
    _assert_clean("holder json", view.text, secrets)


@pytest.mark.parametrize("record_type", list(CASES))
def test_partner_fields_and_numbers_never_reach_the_qr_the_scan_or_the_page(
    client, demo, caplog, record_type
):
    case, spec = CASES[record_type], RECORD_TYPES[record_type]
    credential, sentinels = _request(record_type)
    subject = credential["credentialSubject"]
    numbers = _numbers(subject)
    response = client.post(
        "/credentials/issue",
        json={"credential": credential},
        headers=issuer_headers(demo, case.issuer),
    )
    assert response.status_code == 201, response.text
    payload, url = response.json()["qr"]["payload"], response.json()["qr"]["url"]

    raw = qrcontainer.decode_payload(payload)
    record = _record_map(payload)
    allowed_keys = {0, 1, 8} | set(spec.encode(spec.read(_public(spec, subject))))
    assert set(record) == allowed_keys
    scan = client.post("/api/v1/scan", json={"payload": payload})
    assert scan.status_code == 200
    assert set(scan.json()["record"][spec.subject_key]) <= set(spec.public_fields)
    page = client.get(url)  # the browser never sends the fragment: the page is the same
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    surfaces = {
        "qr bytes": raw.decode("latin-1"),
        "qr text": payload,
        "qr url": url,
        "scan answer": json.dumps(scan.json(), ensure_ascii=False),
        "verify page": page.text,
    }
    for where, text in surfaces.items():
        _assert_clean(where, text, [*sentinels, *numbers])
    for secret in [*sentinels, *numbers]:
        assert secret.encode() not in raw, secret
    record_id = response.json()["id"]
    _assert_holder_page_clean(client, demo, case.issuer, record_id, [*sentinels, *numbers])

    partner = client.post(
        "/api/v1/verify",
        json={"qr": payload, "purpose": PURPOSE},
        headers=bearer(demo.tokens[f"partner:{case.native_region}"]),
    )
    assert partner.status_code == 200, partner.text
    told = json.dumps(partner.json(), ensure_ascii=False)
    for secret in sentinels[:-2]:  # every sentinel and the full name, not their halves
        assert secret in told, secret
    _assert_clean("partner answer", told, [n for n in numbers if "*" not in n])
    _assert_clean("logs", caplog.text, [*sentinels, *numbers])


@pytest.mark.parametrize("record_type", list(DOMAIN_PARTNER_ONLY))
def test_the_sentinels_fill_each_partner_only_field_domain_names(record_type):
    """The qualification types' partner-only fields are DOMAIN.md's, and the test above puts
    a sentinel in every one of them (in each course's title and provider)."""
    spec = RECORD_TYPES[record_type]
    assert DOMAIN_PARTNER_ONLY[record_type] <= set(spec.partner_fields)
    assert not DOMAIN_PARTNER_ONLY[record_type] & set(spec.public_fields)
    credential, _ = _request(record_type)
    block = credential["credentialSubject"][spec.subject_key]
    for name in spec.partner_fields:
        assert "SENTINEL" in json.dumps(block[name]), name
    if "courses" in block:
        for course in block["courses"]:
            assert course["title"].startswith("SENTINEL")
            assert course["provider"].startswith("SENTINEL")


def _broken_number(subject: dict[str, Any]) -> str:
    """Spoil the holder's number so issuance refuses it; returns the bad number."""
    if "idNumber" in subject:
        good = subject["idNumber"]
        subject["idNumber"] = good[:17] + ("0" if good[17] != "0" else "1")  # bad check char
    else:
        good = subject["passport"]["number"]
        subject["passport"]["number"] = f"{good[:4]}-{good[4:]}"  # a hyphen is refused
    bad: str = subject.get("idNumber") or subject["passport"]["number"]
    return bad


@pytest.mark.parametrize("record_type", list(CASES))
def test_a_refused_issuance_echoes_nothing_personal(client, demo, caplog, record_type):
    case, spec = CASES[record_type], RECORD_TYPES[record_type]
    headers = issuer_headers(demo, case.issuer)
    credential, sentinels = _request(record_type)
    numbers = _numbers(credential["credentialSubject"])
    poison = f"SENTINEL-ECHO {numbers[0]}"

    bad_number = copy.deepcopy(credential)
    spoilt = _broken_number(bad_number["credentialSubject"])
    # Every field of the block, public and partner-only, carrying the holder's number.
    poisoned = copy.deepcopy(credential)
    block = poisoned["credentialSubject"][spec.subject_key]
    for name in block:
        block[name] = poison
    refused = {}
    for label, request in (("bad number", bad_number), ("poisoned fields", poisoned)):
        answer = client.post("/credentials/issue", json={"credential": request}, headers=headers)
        assert answer.status_code == 422, (label, answer.text)
        body = answer.json()
        assert body["code"] and body["message"]["zh"] and body["message"]["en"]
        refused[label] = answer.text
        _assert_clean(label, answer.text, [*sentinels, *numbers, spoilt, poison, "SENTINEL"])
    assert "SENTINEL-ECHO" in json.dumps(poisoned)  # the poison really was sent
    assert json.loads(refused["poisoned fields"])["errors"]  # each bad field named, no value
    _assert_clean("logs", caplog.text, [*sentinels, *numbers, spoilt, poison])


def _public(spec: Any, subject: dict[str, Any]) -> dict[str, Any]:
    block = subject[spec.subject_key]
    return {name: block[name] for name in spec.public_fields if name in block}

"""The administration API: issuers, scopes, keys, regions, agreements, equivalences and
partner clients; every change recorded, issuer and key changes logged."""

from __future__ import annotations

import copy
import hashlib
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from registry.core.formats import dataintegrity
from registry.core.formats.canonical import canonical_json
from registry.core.formats.multikey import public_key_from_multikey
from registry.core.trust.authority import china_date
from registry.demo.data import (
    DEMO_RECORDS,
    JOINT_MECHANICAL_COMMITTEE,
    QINGPU_BUREAU,
    WUJIANG_BUREAU,
    demo_uscc,
)
from registry.services.access.tokens import create_token
from registry.storage.repositories import SigningKeyRepository
from registry.storage.tables import LogEntryRow
from tests.support.api_checks import assert_problem, check_of, credential_count, issue
from tests.support.fixtures import bearer

NEW_USCC = demo_uscc("320509", 42)
JOINT = next(r for r in DEMO_RECORDS if r.key == "joint-ouyang-senior")
WUJIANG_TITLE = next(r for r in DEMO_RECORDS if r.key == "wujiang-li-engineer")


def admin(demo) -> dict[str, str]:
    return bearer(demo.tokens["admin"])


def log_kinds(registry) -> list[str]:
    with registry.reading() as session:
        rows = session.exec(select(LogEntryRow).order_by(LogEntryRow.seq)).all()
        return [row.kind for row in rows]


def create_committee(client, demo) -> dict[str, Any]:
    response = client.post(
        "/api/v1/admin/issuers",
        json={
            "uscc": NEW_USCC,
            "nameZh": "示范区电气工程中级职称评审委员会（演示）",
            "nameEn": "Electrical Engineering Intermediate Title Review Committee (demo)",
            "region": "320509",
            "kind": "review_committee",
        },
        headers=admin(demo),
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_create_issuer_checks_the_uscc_and_logs_the_change(client, demo, registry):
    before = log_kinds(registry)
    bad = client.post(
        "/api/v1/admin/issuers",
        json={
            "uscc": NEW_USCC[:-1] + ("0" if NEW_USCC[-1] != "0" else "1"),
            "nameZh": "某委员会",
            "nameEn": "Some committee",
            "region": "320509",
            "kind": "review_committee",
        },
        headers=admin(demo),
    )
    body = assert_problem(bad, 422, "USCC_INVALID")
    assert body["errors"][0]["pointer"] == "/uscc"
    made = create_committee(client, demo)
    assert made["uscc"] == NEW_USCC and len(made["kid"]) == 16
    assert log_kinds(registry)[len(before) :] == ["issuer_created", "key_created"]
    again = client.post(
        "/api/v1/admin/issuers",
        json={
            "uscc": NEW_USCC,
            "nameZh": "重复",
            "nameEn": "Again",
            "region": "320509",
            "kind": "review_committee",
        },
        headers=admin(demo),
    )
    assert_problem(again, 409, "ISSUER_EXISTS")
    history = client.get(f"/api/v1/admin/history/issuer/{NEW_USCC}", headers=admin(demo)).json()
    assert [h["action"] for h in history] == ["created"]
    assert history[0]["actor"].startswith("token:")


def test_only_admins_administer(client, demo):
    for token in (demo.tokens["partner:330421"], demo.tokens[f"issuer:{WUJIANG_BUREAU.uscc}"]):
        response = client.post(
            "/api/v1/admin/regions",
            json={"code": "440100", "nameZh": "广州市", "nameEn": "Guangzhou"},
            headers=bearer(token),
        )
        assert_problem(response, 403, "ROLE_FORBIDDEN")
    assert_problem(client.get("/api/v1/admin/keys"), 401, "TOKEN_MISSING")


def _grant(client, demo, uscc, **fields) -> dict[str, Any]:
    body = {"recordTypes": ["ProfessionalTitleCredential"], "validFrom": "2024-01-01", **fields}
    response = client.post(f"/api/v1/admin/issuers/{uscc}/scopes", json=body, headers=admin(demo))
    assert response.status_code == 201, response.text
    return response.json()


def _electrical_title() -> dict[str, Any]:
    request = copy.deepcopy(WUJIANG_TITLE.issuance_request())
    title = request["credentialSubject"]["professionalTitle"]
    title.update({"specialty": "电气工程", "level": "中级", "titleName": "工程师"})
    return request


def _issuer_token(registry, uscc) -> str:
    return create_token(registry, "issuer", now=datetime.now(UTC), issuer_uscc=uscc)


def test_issuing_outside_the_scope_is_refused_naming_the_dimension(client, demo, registry):
    create_committee(client, demo)
    scope = _grant(
        client, demo, NEW_USCC, series=["工程技术"], specialties=["电气工程"], highestLevel="中级"
    )
    assert scope["specialties"] == ["电气工程"] and scope["id"] is not None
    token = _issuer_token(registry, NEW_USCC)
    inside = client.post(
        "/credentials/issue", json={"credential": _electrical_title()}, headers=bearer(token)
    )
    assert inside.status_code == 201, inside.text
    before = credential_count(registry)
    for change, dimension in (
        ({"specialty": "机械工程"}, "specialty"),
        ({"level": "副高级", "titleName": "高级工程师"}, "level"),
    ):
        request = _electrical_title()
        request["credentialSubject"]["professionalTitle"].update(change)
        refused = client.post(
            "/credentials/issue", json={"credential": request}, headers=bearer(token)
        )
        body = assert_problem(refused, 403, "ISSUER_OUT_OF_SCOPE")
        assert dimension in body["message"]["en"]
    assert credential_count(registry) == before


def test_scopes_end_but_never_retroactively(client, demo, registry):
    create_committee(client, demo)
    scope = _grant(client, demo, NEW_USCC)
    today = china_date(datetime.now(UTC))
    past = client.post(
        f"/api/v1/admin/scopes/{scope['id']}/end",
        json={"until": today.isoformat()},
        headers=admin(demo),
    )
    assert_problem(past, 422, "SCOPE_END_IN_PAST")
    before = log_kinds(registry)
    ended = client.post(f"/api/v1/admin/scopes/{scope['id']}/end", json={}, headers=admin(demo))
    assert ended.status_code == 200, ended.text
    assert ended.json()["validUntil"] == (today + timedelta(days=1)).isoformat()
    assert log_kinds(registry)[len(before) :] == ["scope_ended"]
    listed = client.get(f"/api/v1/admin/issuers/{NEW_USCC}/scopes", headers=admin(demo)).json()
    assert [s["id"] for s in listed] == [scope["id"]]  # kept, with its end date
    again = client.post(f"/api/v1/admin/scopes/{scope['id']}/end", json={}, headers=admin(demo))
    assert_problem(again, 409, "SCOPE_ALREADY_ENDED")
    history = client.get(f"/api/v1/admin/history/scope/{scope['id']}", headers=admin(demo))
    assert [h["action"] for h in history.json()] == ["granted", "ended"]


def test_scope_codes_are_checked(client, demo):
    response = client.post(
        f"/api/v1/admin/issuers/{WUJIANG_BUREAU.uscc}/scopes",
        json={
            "recordTypes": ["ProfessionalTitleCredential"],
            "validFrom": "2024-01-01",
            "specialties": ["不存在的专业"],
        },
        headers=admin(demo),
    )
    body = assert_problem(response, 422, "CODE_UNKNOWN")
    assert body["errors"][0]["pointer"] == "/specialties/0"


def _partner_verify(client, demo, qr: str, region: str = "330421") -> dict[str, Any]:
    response = client.post(
        "/api/v1/verify",
        json={"qr": qr, "purpose": "密钥轮换核验"},
        headers=bearer(demo.tokens[f"partner:{region}"]),
    )
    return response.json()


def test_rotation_keeps_old_records_verifying(client, demo, registry):
    old = issue(client, demo, JOINT)
    before = log_kinds(registry)
    rotated = client.post(
        f"/api/v1/admin/issuers/{JOINT_MECHANICAL_COMMITTEE.uscc}/keys/rotate", headers=admin(demo)
    )
    assert rotated.status_code == 201, rotated.text
    assert log_kinds(registry)[len(before) :] == ["key_created", "key_rotated"]
    new = issue(client, demo, JOINT)
    answers = [_partner_verify(client, demo, r["qr"]["payload"]) for r in (old, new)]
    assert [a["verified"] for a in answers] == [True, True]
    kids = [check_of(a, "key_valid")["detail"]["kid"] for a in answers]
    assert kids[1] == rotated.json()["kid"] and kids[0] != kids[1]
    listed = client.get("/api/v1/admin/keys", headers=admin(demo)).json()
    states = {k["kid"]: k["state"] for k in listed}
    assert states[kids[0]] == "retired" and states[kids[1]] == "active"


def test_compromise_fails_only_later_records(client, demo, registry):
    earlier = issue(client, demo, WUJIANG_TITLE)
    time.sleep(1.05 - (time.time() % 1))  # the QR states its signing time in whole seconds
    compromised_at = datetime.now(UTC).replace(microsecond=0)
    later = issue(client, demo, WUJIANG_TITLE)
    kid = check_of(_partner_verify(client, demo, later["qr"]["payload"]), "key_valid")["detail"][
        "kid"
    ]
    response = client.post(
        f"/api/v1/admin/keys/{kid}/compromise",
        json={"at": compromised_at.isoformat()},
        headers=admin(demo),
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "compromised"
    assert log_kinds(registry)[-1] == "key_compromised"
    first, second = (_partner_verify(client, demo, r["qr"]["payload"]) for r in (earlier, later))
    assert first["verified"] is True
    assert check_of(first, "key_valid")["code"] == "KEY_COMPROMISED_LATER"
    assert [w["code"] for w in first["warnings"]] == ["KEY_COMPROMISED_LATER"]
    assert second["verified"] is False
    assert check_of(second, "key_valid")["code"] == "KEY_COMPROMISED"
    naive = client.post(
        f"/api/v1/admin/keys/{kid}/compromise",
        json={"at": "2025-01-01T00:00:00"},
        headers=admin(demo),
    )
    assert_problem(naive, 422, "TIME_OFFSET_REQUIRED")
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert_problem(
        client.post(
            f"/api/v1/admin/keys/{kid}/compromise", json={"at": future}, headers=admin(demo)
        ),
        422,
        "KEY_COMPROMISE_IN_FUTURE",
    )
    # The compromised key no longer signs: the bureau needs a new one.
    no_key = client.post(
        "/credentials/issue",
        json={"credential": WUJIANG_TITLE.issuance_request()},
        headers=bearer(demo.tokens[f"issuer:{WUJIANG_BUREAU.uscc}"]),
    )
    assert_problem(no_key, 422, "ISSUER_HAS_NO_KEY")


def test_regions_agreements_and_equivalences(client, demo):
    region = client.post(
        "/api/v1/admin/regions",
        json={"code": "440100", "nameZh": "广州市", "nameEn": "Guangzhou"},
        headers=admin(demo),
    )
    assert region.status_code == 201, region.text
    unknown = client.post(
        "/api/v1/admin/regions",
        json={"code": "999999", "nameZh": "无", "nameEn": "None"},
        headers=admin(demo),
    )
    assert_problem(unknown, 422, "REGION_UNKNOWN")
    partner = client.post(
        "/api/v1/admin/partners", json={"region": "440100", "name": "广州人社"}, headers=admin(demo)
    )
    assert partner.status_code == 201
    guangzhou = partner.json()["token"]
    recorded = client.get(
        f"/api/v1/admin/history/partner/{partner.json()['id']}", headers=admin(demo)
    ).json()
    assert [(c["action"], c["detail"]) for c in recorded] == [
        ("created", {"region": "440100", "name": "广州人社"})
    ]
    assert recorded[0]["actor"].startswith("token:")
    assert guangzhou not in str(recorded)  # the secret is never kept
    record = issue(client, demo, WUJIANG_TITLE)

    def recognition() -> dict[str, Any]:
        response = client.post(
            "/api/v1/verify",
            json={"qr": record["qr"]["payload"], "purpose": "人才引进"},
            headers=bearer(guangzhou),
        )
        return check_of(response.json(), "recognition")

    assert recognition()["code"] == "RECOGNITION_NO_AGREEMENT"
    starts = china_date(datetime.now(UTC)) + timedelta(days=30)
    agreement = client.post(
        "/api/v1/admin/agreements",
        json={
            "id": "GZ-WJ-DEMO",
            "nameZh": "广州—吴江职称互认协议（演示）",
            "nameEn": "Guangzhou-Wujiang title recognition (demo)",
            "parties": ["440100", "320509"],
            "recordTypes": ["ProfessionalTitleCredential"],
            "levels": ["中级"],
            "effectiveFrom": starts.isoformat(),
            "legalBasis": "演示协议文本",
        },
        headers=admin(demo),
    )
    assert agreement.status_code == 201, agreement.text
    assert recognition()["code"] == "RECOGNITION_NOT_YET_IN_FORCE"
    entry = client.post(
        "/api/v1/admin/equivalences",
        json={
            "fromRegion": "320509",
            "toRegion": "440100",
            "kind": "title_name",
            "source": "工程师",
            "target": "工程师",
            "labelZh": "工程师（中级，演示）",
            "labelEn": "Engineer (intermediate; demo)",
            "agreement": "GZ-WJ-DEMO",
            "demo": True,
        },
        headers=admin(demo),
    )
    assert entry.status_code == 201, entry.text
    listed = client.get("/api/v1/admin/equivalences", headers=admin(demo)).json()
    assert any(e["agreement"] == "GZ-WJ-DEMO" for e in listed)
    duplicate = client.post(
        "/api/v1/admin/agreements",
        json={
            "id": "GZ-WJ-DEMO",
            "nameZh": "重复",
            "nameEn": "again",
            "parties": ["440100", "320509"],
            "recordTypes": ["ProfessionalTitleCredential"],
            "effectiveFrom": "2020-01-01",
            "legalBasis": "演示",
        },
        headers=admin(demo),
    )
    assert_problem(duplicate, 409, "AGREEMENT_EXISTS")
    ended = client.post(
        "/api/v1/admin/agreements/GZ-WJ-DEMO/end",
        json={"until": date(2030, 1, 1).isoformat()},
        headers=admin(demo),
    )
    assert ended.status_code == 200 and ended.json()["effectiveUntil"] == "2030-01-01"


def _leaves(client, start: int) -> list[dict[str, Any]]:
    size = client.get("/log/head").json()["treeSize"]
    entries = client.get("/log/entries", params={"start": start, "end": size}).json()["entries"]
    return [entry["event"] for entry in entries]


def _key_digest(multikey: str) -> str:
    return hashlib.sha256(public_key_from_multikey(multikey).public_bytes_raw()).hexdigest()


def test_scope_and_key_leaves_commit_to_the_scope_and_the_whole_key(client, demo):
    create_committee(client, demo)
    start = client.get("/log/head").json()["treeSize"]
    scope = _grant(client, demo, NEW_USCC, series=["工程技术"], highestLevel="中级")
    ended = client.post(f"/api/v1/admin/scopes/{scope['id']}/end", json={}, headers=admin(demo))
    assert ended.status_code == 200, ended.text
    made = client.post(f"/api/v1/admin/issuers/{NEW_USCC}/keys", headers=admin(demo))
    assert made.status_code == 201, made.text
    granted_leaf, ended_leaf, key_leaf = _leaves(client, start)
    # sha256 of the canonical JSON of the scope as it stood, with its id and issuer
    for leaf, state in ((granted_leaf, scope), (ended_leaf, ended.json())):
        expected = hashlib.sha256(canonical_json({**state, "issuer": NEW_USCC})).hexdigest()
        assert leaf["digest"] == expected, leaf["event"]
    assert granted_leaf["digest"] != ended_leaf["digest"]  # the end date is committed to
    key = made.json()
    assert (key_leaf["event"], key_leaf["kid"]) == ("key_created", key["kid"])
    assert key_leaf["digest"] == _key_digest(key["publicKeyMultibase"])
    retired = client.post(f"/api/v1/admin/keys/{key['kid']}/retire", headers=admin(demo))
    assert retired.status_code == 200, retired.text
    (retired_leaf,) = _leaves(client, start + 3)
    assert retired_leaf["event"] == "key_retired"
    assert retired_leaf["digest"] == key_leaf["digest"]


def _signed_at(registry, credential: dict[str, Any], when: datetime) -> dict[str, Any]:
    """The credential signed again by its issuer's own key, with a later ``created``."""
    method = credential["proof"]["verificationMethod"]
    with registry.reading() as session:
        row = SigningKeyRepository(session).by_kid(method.rsplit("#", 1)[1])
        assert row is not None
        key = registry.keystore.private_key(row)
    unsecured = copy.deepcopy(dataintegrity.unsecured_document(credential))
    return dataintegrity.add_proof(unsecured, key, dataintegrity.ProofOptions(method, when))


def test_a_record_dated_after_its_scope_ended_fails_the_authority_check(client, demo, registry):
    create_committee(client, demo)
    scope = _grant(client, demo, NEW_USCC, series=["工程技术"], highestLevel="中级")
    token = _issuer_token(registry, NEW_USCC)
    issued = client.post(
        "/credentials/issue", json={"credential": _electrical_title()}, headers=bearer(token)
    )
    assert issued.status_code == 201, issued.text
    credential = issued.json()["verifiableCredential"]
    ended = client.post(f"/api/v1/admin/scopes/{scope['id']}/end", json={}, headers=admin(demo))
    end = date.fromisoformat(ended.json()["validUntil"])
    after_end = datetime(end.year, end.month, end.day, 12, tzinfo=UTC)

    def authority(document: dict[str, Any]) -> dict[str, Any]:
        response = client.post(
            "/api/v1/verify",
            json={"credential": document, "purpose": "授权范围核验"},
            headers=bearer(demo.tokens["partner:320509"]),
        )
        assert check_of(response.json(), "signature")["outcome"] == "passed"
        return check_of(response.json(), "issuer_authorised")

    before = authority(credential)  # signed today, while the scope held
    assert (before["outcome"], before["code"]) == ("passed", "ISSUER_AUTHORISED")
    later = authority(_signed_at(registry, credential, after_end))
    assert (later["outcome"], later["code"]) == ("failed", "ISSUER_OUT_OF_SCOPE")
    assert later["detail"] == {"dimension": "date", "on": end.isoformat()}


def test_a_record_signed_before_its_key_retired_still_verifies(client, demo):
    record = issue(client, demo, WUJIANG_TITLE)
    kid = check_of(_partner_verify(client, demo, record["qr"]["payload"]), "key_valid")["detail"][
        "kid"
    ]
    retired = client.post(f"/api/v1/admin/keys/{kid}/retire", headers=admin(demo))
    assert retired.status_code == 200, retired.text
    assert retired.json()["state"] == "retired"
    for region in ("320509", "330421"):
        answer = _partner_verify(client, demo, record["qr"]["payload"], region)
        assert answer["verified"] is True, answer
        key = check_of(answer, "key_valid")
        assert (key["outcome"], key["code"], key["detail"]["kid"]) == ("passed", "KEY_VALID", kid)


@pytest.mark.parametrize(
    "until", ["2019-12-31", "2020-01-01", "today"], ids=["before-start", "at-start", "today"]
)
def test_an_agreement_cannot_end_retroactively_as_a_scope_cannot(client, demo, until):
    """Issue 16: ending an agreement before its start (or today) is refused as a scope's end
    is (``AGREEMENT_END_IN_PAST`` / ``SCOPE_END_IN_PAST``), and nothing changes."""
    day = china_date(datetime.now(UTC)).isoformat() if until == "today" else until
    before = client.get("/api/v1/admin/agreements", headers=admin(demo)).json()
    ended = client.post(
        "/api/v1/admin/agreements/GZ-WJ-DEMO/end", json={"until": day}, headers=admin(demo)
    )
    body = assert_problem(ended, 422, "AGREEMENT_END_IN_PAST")
    assert body["errors"][0]["pointer"] == "/until"
    # The 422 is documented for the operation (found by the Schemathesis fuzz test).
    paths = client.get("/schema/openapi.json").json()["paths"]
    end = paths["/api/v1/admin/agreements/{agreement_id}/end"]["post"]["responses"]["422"]
    assert "AGREEMENT_END_IN_PAST" in end["description"]
    assert "application/problem+json" in end["content"]
    assert client.get("/api/v1/admin/agreements", headers=admin(demo)).json() == before
    scope = _grant(client, demo, QINGPU_BUREAU.uscc)
    refused = client.post(
        f"/api/v1/admin/scopes/{scope['id']}/end", json={"until": day}, headers=admin(demo)
    )
    assert_problem(refused, 422, "SCOPE_END_IN_PAST")

"""A NUL (or other control character) in a text the registry stores is refused with a
clear error: PostgreSQL cannot store NUL in a text column, and was answering 500."""

from __future__ import annotations

import pytest

from tests.support.api_checks import assert_problem, credential_count
from tests.support.fixtures import bearer

NUL = "a\u0000b"


def _admin(demo):
    return bearer(demo.tokens["admin"])


@pytest.mark.parametrize(
    ("path", "body", "pointer"),
    [
        (
            "/api/v1/admin/regions",
            {"code": "440100", "nameZh": NUL, "nameEn": "Guangzhou"},
            "/nameZh",
        ),
        ("/api/v1/admin/partners", {"region": "310118", "name": NUL}, "/name"),
    ],
    ids=["region-name", "partner-name"],
)
def test_an_admin_text_with_a_nul_is_refused(client, demo, path, body, pointer):
    problem = assert_problem(
        client.post(path, json=body, headers=_admin(demo)), 422, "FIELD_CONTROL_CHARACTER"
    )
    assert [error["pointer"] for error in problem["errors"]] == [pointer]


def test_a_status_note_with_a_nul_is_refused_and_nothing_changes(client, demo):
    record = demo.records[0]
    response = client.post(
        f"/credentials/{record}/suspend",
        json={"reason": "other", "note": NUL},
        headers=bearer(demo.tokens["admin"]),
    )
    problem = assert_problem(response, 422, "FIELD_CONTROL_CHARACTER")
    assert [error["pointer"] for error in problem["errors"]] == ["/note"]
    scan = client.get(f"/credentials/{record}/history", headers=bearer(demo.tokens["admin"]))
    assert scan.status_code == 200 and scan.json()["changes"] == []


def test_a_partner_purpose_with_a_nul_is_refused(client, demo, registry):
    record = demo.records[0]
    before = credential_count(registry)
    response = client.post(
        "/api/v1/verify/match",
        json={"record": record, "idNumber": "310118198503129999", "purpose": NUL},
        headers=bearer(demo.tokens["partner:330421"]),
    )
    problem = assert_problem(response, 422, "FIELD_CONTROL_CHARACTER")
    assert [error["pointer"] for error in problem["errors"]] == ["/purpose"]
    assert credential_count(registry) == before

"""``POST /credentials/issue/batch``: a review session (评审批次) issued item by item; bad
items refused alone, the same session again replays what was issued, and one signed tree
head covers every record the answer names."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from registry.core.formats import merkle
from registry.core.formats.multikey import public_key_from_multikey
from registry.core.formats.treehead import decode_bytes, decode_hash, read_tree_head
from registry.core.records.schemas import schema_document
from registry.demo.data import QINGPU, QINGPU_BUREAU, demo_id_number
from tests.support.api_checks import assert_problem, credential_count, issuer_headers
from tests.support.fixtures import bearer

TITLE = "ProfessionalTitleCredential"
SESSION = "2026-qp-engineers-1"
BAD_CHECK_DIGIT = "310118199001039999"  # the check character of this number is wrong
ID_POINTER = "/credential/credentialSubject/idNumber"  # as POST /credentials/issue names it


def title(number: int) -> dict[str, Any]:
    """A valid intermediate engineer title for the ``number``-th holder (1-9) of a session."""
    credential: dict[str, Any] = copy.deepcopy(schema_document(TITLE)["examples"][0])
    subject = credential["credentialSubject"]
    subject["name"] = f"评审人员{number}"
    subject["idNumber"] = demo_id_number(QINGPU, f"198503{number:02d}", 990 + number)
    subject["professionalTitle"]["certificateNumber"] = f"QP-2026-{number:04d}"
    return credential


def with_id_number(credential: dict[str, Any], number: str) -> dict[str, Any]:
    changed = copy.deepcopy(credential)
    changed["credentialSubject"]["idNumber"] = number
    return changed


def post_session(client, headers, credentials: list[Any], key: str = SESSION):
    return client.post(
        "/credentials/issue/batch",
        json={"sessionKey": key, "credentials": credentials},
        headers=headers,
    )


def issue_session(client, demo, credentials: list[Any], key: str = SESSION) -> dict[str, Any]:
    """Send a session with the Qingpu bureau's token; the 200 body."""
    response = post_session(client, issuer_headers(demo, QINGPU_BUREAU.uscc), credentials, key)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def outcomes(body: dict[str, Any]) -> list[tuple[int, str]]:
    return [(item["index"], item["outcome"]) for item in body["items"]]


def ids(body: dict[str, Any]) -> list[str | None]:
    return [item.get("id") for item in body["items"]]


def trusted_log_keys(client) -> dict:
    methods = client.get("/log/keys").json()["verificationMethod"]
    return {
        m["id"].rsplit("#", 1)[1]: public_key_from_multikey(m["publicKeyMultibase"])
        for m in methods
    }


def test_good_items_are_issued_and_bad_ones_refused_alone_in_order(client, demo, registry):
    session = [title(1), title(2), with_id_number(title(3), BAD_CHECK_DIGIT), "不是对象", title(4)]
    before = credential_count(registry)
    body = issue_session(client, demo, session)
    assert (body["sessionKey"], body["issued"], body["replayed"], body["refused"]) == (
        SESSION,
        3,
        0,
        2,
    )
    assert outcomes(body) == [
        (0, "issued"),
        (1, "issued"),
        (2, "refused"),
        (3, "refused"),
        (4, "issued"),
    ]
    bad_id, not_object = body["items"][2]["error"], body["items"][3]["error"]
    assert (bad_id["status"], bad_id["code"]) == (422, "ID_NUMBER_INVALID")
    assert [(e["pointer"], e["code"]) for e in bad_id["errors"]] == [
        (ID_POINTER, "ID_NUMBER_INVALID")
    ]
    assert bad_id["message"]["zh"] and bad_id["message"]["en"].isascii()
    assert not_object["code"] == "REQUEST_INVALID"
    assert not_object["status"] == 400  # as POST /credentials/issue answers it alone
    assert [e["pointer"] for e in not_object["errors"]] == ["/credential"]
    for refused in (body["items"][2], body["items"][3]):
        assert not {"id", "qr", "verifiableCredential", "transparency"} & refused.keys()
    assert credential_count(registry) == before + 3
    assert len(set(ids(body)) - {None}) == 3


def test_every_issued_item_scans_valid_with_its_qr_payload(client, demo):
    body = issue_session(client, demo, [title(1), with_id_number(title(2), "x"), title(3)])
    issued = [item for item in body["items"] if item["outcome"] == "issued"]
    assert len(issued) == 2
    for item in issued:
        assert item["qr"]["url"].endswith("#" + item["qr"]["payload"])
        assert item["electronicLicenceId"]
        answer = client.post("/api/v1/scan", json={"payload": item["qr"]["payload"]})
        assert answer.status_code == 200, answer.text
        assert answer.json()["verified"] is True
        assert answer.json()["record"]["id"] == item["id"]


def test_the_same_session_again_replays_every_issued_item_and_stores_nothing(
    client, demo, registry
):
    session = [title(1), with_id_number(title(2), BAD_CHECK_DIGIT), title(3)]
    first = issue_session(client, demo, session)
    before = credential_count(registry)
    again = issue_session(client, demo, session)
    assert outcomes(again) == [(0, "replayed"), (1, "refused"), (2, "replayed")]
    assert (again["issued"], again["replayed"], again["refused"]) == (0, 2, 1)
    assert ids(again) == ids(first)
    assert [item.get("qr") for item in again["items"]] == [
        item.get("qr") for item in first["items"]
    ]
    assert credential_count(registry) == before


def test_after_fixing_the_refused_item_only_it_is_issued(client, demo, registry):
    session = [title(1), with_id_number(title(2), BAD_CHECK_DIGIT), title(3)]
    first = issue_session(client, demo, session)
    session[1] = title(2)
    before = credential_count(registry)
    fixed = issue_session(client, demo, session)
    assert outcomes(fixed) == [(0, "replayed"), (1, "issued"), (2, "replayed")]
    assert (fixed["issued"], fixed["replayed"], fixed["refused"]) == (1, 2, 0)
    assert [fixed["items"][i]["id"] for i in (0, 2)] == [first["items"][i]["id"] for i in (0, 2)]
    assert fixed["items"][1]["id"] not in ids(first)
    assert credential_count(registry) == before + 1


def test_an_item_changed_after_it_was_issued_is_refused_as_a_reused_key(client, demo, registry):
    session = [title(1), title(2)]
    issue_session(client, demo, session)
    session[0]["credentialSubject"]["professionalTitle"]["obtainedOn"] = "2020-12-30"
    before = credential_count(registry)
    body = issue_session(client, demo, session)
    assert outcomes(body) == [(0, "refused"), (1, "replayed")]
    error = body["items"][0]["error"]
    assert (error["status"], error["code"]) == (409, "IDEMPOTENCY_KEY_REUSED")
    assert credential_count(registry) == before


def test_another_session_key_issues_the_same_items_again(client, demo, registry):
    first = issue_session(client, demo, [title(1)], key="2026-qp-engineers-1")
    before = credential_count(registry)
    second = issue_session(client, demo, [title(1)], key="2026-qp-engineers-2")
    assert outcomes(second) == [(0, "issued")]
    assert ids(second) != ids(first)
    assert credential_count(registry) == before + 1


@pytest.mark.parametrize("replay", [False, True], ids=["issued", "replayed"])
def test_each_item_proves_its_issued_leaf_is_in_the_signed_tree_head(client, demo, replay):
    session = [title(1), title(2), "不是对象", title(3)]
    body = issue_session(client, demo, session)
    if replay:
        body = issue_session(client, demo, session)
    head = read_tree_head(body["treeHead"], trusted_log_keys(client))  # checks the signature
    stored = [item for item in body["items"] if "id" in item]
    assert len(stored) == 3
    assert len({item["transparency"]["leafIndex"] for item in stored}) == 3
    for item in stored:
        receipt = item["transparency"]
        leaf = decode_bytes(receipt["leaf"], "leaf")
        assert json.loads(leaf)["event"] == "issued"
        assert json.loads(leaf)["record"] == item["id"]
        path = [decode_hash(value, "path") for value in receipt["inclusionProof"]]
        assert merkle.verify_inclusion(
            merkle.leaf_hash(leaf), receipt["leafIndex"], head.size, path, head.root
        )


def test_a_session_that_stores_nothing_has_no_tree_head(client, demo, registry):
    before = credential_count(registry)
    body = issue_session(client, demo, [with_id_number(title(1), BAD_CHECK_DIGIT), 42])
    assert (body["issued"], body["refused"]) == (0, 2)
    assert "treeHead" not in body
    assert issue_session(client, demo, [], key="empty-1") == {
        "sessionKey": "empty-1",
        "issued": 0,
        "replayed": 0,
        "refused": 0,
        "items": [],
    }
    assert credential_count(registry) == before


def test_a_session_needs_a_token(client, demo, registry):
    before = credential_count(registry)
    assert_problem(post_session(client, {}, [title(1)]), 401, "TOKEN_MISSING")
    assert credential_count(registry) == before


def test_a_partner_token_may_not_issue_a_session(client, demo, registry):
    before = credential_count(registry)
    response = post_session(client, bearer(demo.tokens["partner:310118"]), [title(1)])
    assert_problem(response, 403, "ROLE_FORBIDDEN")
    assert credential_count(registry) == before


@pytest.mark.parametrize("credentials", [[], [title(1)]], ids=["empty", "one"])
def test_an_admin_token_without_an_issuer_may_not_issue_a_session(
    client, demo, registry, credentials
):
    before = credential_count(registry)
    response = post_session(client, bearer(demo.tokens["admin"]), credentials)
    assert_problem(response, 403, "TOKEN_NOT_ISSUER")
    assert credential_count(registry) == before


@pytest.mark.parametrize(
    "key",
    ["", "2026 qp", "-2026-qp", ".hidden", "批次1", "a/b", "k" * 65],
    ids=["empty", "space", "dash-first", "dot-first", "chinese", "slash", "too-long"],
)
def test_a_malformed_session_key_is_refused_before_anything_is_issued(client, demo, registry, key):
    before = credential_count(registry)
    response = post_session(client, issuer_headers(demo, QINGPU_BUREAU.uscc), [title(1)], key)
    problem = assert_problem(response, 422, "SESSION_KEY_INVALID")
    assert [(e["pointer"], e["code"]) for e in problem["errors"]] == [
        ("/sessionKey", "SESSION_KEY_INVALID")
    ]
    assert credential_count(registry) == before


@pytest.mark.parametrize("key", ["a", "2026.qp_engineers-1", "K" * 64])
def test_session_keys_of_letters_digits_dots_underscores_and_dashes_are_taken(client, demo, key):
    assert issue_session(client, demo, [], key=key)["sessionKey"] == key


def test_more_than_a_thousand_credentials_are_refused_whole(client, demo, registry):
    before = credential_count(registry)
    response = post_session(client, issuer_headers(demo, QINGPU_BUREAU.uscc), [title(1)] * 1001)
    problem = assert_problem(response, 413, "SESSION_TOO_LARGE")
    assert "1,000" in problem["message"]["en"]
    assert credential_count(registry) == before


def test_a_thousand_items_are_answered_one_by_one(client, demo):
    body = issue_session(client, demo, [0] * 1000)
    assert body["refused"] == 1000
    assert [item["index"] for item in body["items"]] == list(range(1000))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sessionKey": SESSION}, "credentials"),
        ({"credentials": []}, "sessionKey"),
        ({"sessionKey": SESSION, "credentials": [], "options": {}}, "options"),
        ({"sessionKey": SESSION, "credentials": {"0": {}}}, "array"),
        ({"sessionKey": 2026, "credentials": []}, "str"),
    ],
    ids=["no-credentials", "no-session-key", "unknown-field", "credentials-object", "key-number"],
)
def test_a_body_missing_unknown_or_mistyped_fields_is_a_bad_request(
    client, demo, registry, body, field
):
    before = credential_count(registry)
    response = client.post(
        "/credentials/issue/batch", json=body, headers=issuer_headers(demo, QINGPU_BUREAU.uscc)
    )
    problem = assert_problem(response, 400, "REQUEST_INVALID")
    assert any(field in error["message"]["en"] for error in problem["errors"]), problem
    assert credential_count(registry) == before

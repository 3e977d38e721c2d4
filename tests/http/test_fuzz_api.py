"""Seeded random bodies against every POST endpoint: whatever arrives, the answer is a
problem or a verification answer, never a 500.

Half the bodies are random JSON values shaped from the API's field names, half are valid
requests with one to three random changes. No hypothesis: a fixed seed per endpoint keeps
failures reproducible.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from registry.demo.data import DEMO_PEOPLE, DEMO_RECORDS
from tests.support.api_checks import PROBLEM_JSON, has_chinese, issue, reset_rate_limits
from tests.support.fixtures import bearer

BODIES_PER_ENDPOINT = 200
JOINT_RECORD = DEMO_RECORDS[4]
KEYS = [
    "credential", "options", "idempotencyKey", "verifiableCredential", "purpose", "qr",
    "region", "record", "idNumber", "payload", "@context", "id", "type", "issuer",
    "validFrom", "validUntil", "credentialSubject", "name", "professionalTitle", "proof",
    "series", "specialty", "level", "titleName", "obtainedBy", "obtainedOn",
    "jointCommittee", "reviewRegions", "credentialStatus", "proofValue",
    "verificationMethod", "cryptosuite", "created", "statusListIndex",
]  # fmt: skip
TEXTS = [
    "", " ", "RC1:", "RC1:AAAA", "rc1:7777", "https://x.example/v#RC1:ZZZZ", "#", "工程师",
    "中级", "副高级", "2019-12-30", "2019-02-30", "9999-99-99T99:99:99Z", "2020-01-01T00:00:00Z",
    "VerifiableCredential", "ProfessionalTitleCredential", "JointTitleCredential", "310118",
    "999999", "11320509MB0000091M", "did:key:z6Mk", "did:key:zQ3s", "z", "z" * 90, "\u0000",
    "\u202e", "a" * 300, "00000000-0000-4000-8000-000000000000", DEMO_PEOPLE[0].id_number[:17],
    "https://talent.yrd-demo.example.cn/issuers/11310118MB0000001L#0000000000000000",
    "https://www.w3.org/ns/credentials/v2", "DataIntegrityProof", "eddsa-jcs-2022",
]  # fmt: skip
NUMBERS = [0, -1, 1.5, 2**63, 2**64, 10**30, -0.0, 1e308, 131072]


def _value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice(NUMBERS)
    if kind in (3, 4):
        return rng.choice(TEXTS)
    if kind == 5:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(KEYS): _value(rng, depth + 1) for _ in range(rng.randrange(5))}


def _mutated(rng: random.Random, document: Any) -> Any:
    """The document with one to three random replacements, deletions or additions."""
    document = copy.deepcopy(document)
    for _ in range(rng.randrange(1, 4)):
        parent, key, node = None, None, document
        while isinstance(node, dict | list) and node and rng.random() < 0.7:
            parent = node
            key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
            node = node[key]
        if parent is None:
            continue
        action = rng.randrange(3)
        if action == 1 and isinstance(parent, dict):
            del parent[key]
        elif action == 2 and isinstance(parent, dict):
            parent[rng.choice(KEYS)] = _value(rng)
        else:
            parent[key] = _value(rng)
    return document


def _valid_bodies(client, demo) -> dict[str, tuple[Any, dict[str, str]]]:
    issued = issue(client, demo, JOINT_RECORD)
    credential = issued["verifiableCredential"]
    return {
        "/credentials/issue": (
            {"credential": JOINT_RECORD.issuance_request(), "options": {"idempotencyKey": "k"}},
            bearer(demo.tokens[f"issuer:{JOINT_RECORD.issuer_uscc}"]),
        ),
        "/credentials/verify": ({"verifiableCredential": credential}, {}),
        "/api/v1/verify": (
            {"credential": credential, "purpose": "核验", "region": "310118"},
            bearer(demo.tokens["partner:310118"]),
        ),
        "/api/v1/verify/match": (
            {"record": issued["qr"]["url"], "idNumber": DEMO_PEOPLE[4].id_number},
            {},
        ),
        "/api/v1/scan": ({"payload": issued["qr"]["url"]}, {}),
    }


def _assert_answered(response, body) -> None:
    assert response.status_code < 500, (response.status_code, body)
    if response.status_code >= 400 and response.headers["content-type"].startswith(PROBLEM_JSON):
        problem = response.json()
        assert problem["code"].isupper(), body
        assert has_chinese(problem["message"]["zh"]), body
        assert problem["message"]["en"], body
    elif response.status_code == 422:
        assert response.json()["verified"] is False, body


@pytest.mark.parametrize(
    ("path", "seed"),
    [
        ("/credentials/issue", 101),
        ("/credentials/verify", 202),
        ("/api/v1/verify", 303),
        ("/api/v1/verify/match", 404),
        ("/api/v1/scan", 505),
    ],
)
def test_random_bodies_never_cause_a_server_error(client, demo, path, seed):
    rng = random.Random(seed)
    valid, headers = _valid_bodies(client, demo)[path]
    statuses = set()
    for index in range(BODIES_PER_ENDPOINT):
        reset_rate_limits(client)
        body = _mutated(rng, valid) if index % 2 else _value(rng)
        response = client.post(path, json=body, headers=headers)
        _assert_answered(response, body)
        statuses.add(response.status_code)
    # The bodies reach past the envelope check into the use case, not only 400s.
    assert statuses - {400}, statuses

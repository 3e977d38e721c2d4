"""Deeply nested JSON (within the size limit) must never reach a 500."""

from __future__ import annotations

import pytest

from tests.support.fixtures import bearer


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("/credentials/verify", '{"verifiableCredential": %s}'),
        (
            "/credentials/verify",
            '{"verifiableCredential": {"@context": ["https://www.w3.org/ns/credentials/v2"], '
            '"type": ["VerifiableCredential"], "issuer": "did:example:1", '
            '"credentialSubject": %s, "proof": {"type": "DataIntegrityProof"}}}',
        ),
        ("/api/v1/scan", '{"payload": "RC1:AA", "x": %s}'),
        ("/credentials/issue", '{"credential": %s}'),
    ],
    ids=["verify-top", "verify-subject", "scan", "issue"],
)
@pytest.mark.parametrize("depth", [40, 2_000, 10_000])
def test_deep_nesting_is_a_clean_400(client, demo, path, template, depth):
    body = (template % nested(depth)).encode()
    assert len(body) < 65_536
    headers = {"Content-Type": "application/json"} | bearer(
        demo.tokens["issuer:11310118MB0000001L"]
    )
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 400, response.text[:300]
    assert response.json()["code"] in {"JSON_TOO_DEEP", "REQUEST_INVALID"}

"""A USCC received from a partner that fails its check is a warning in the answer, not a
refusal; the registry's own issuers must pass the check."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from registry.core.errors import RegistryError
from registry.demo.data import QINGPU, DemoIssuer
from registry.demo.seed import add_issuer
from tests.support.fixtures import bearer
from tests.support.partner_credentials import did_key_credential

BAD = "91330100799655058C"  # a published code with its check character changed


@pytest.mark.parametrize("endpoint", ["/credentials/verify", "/api/v1/verify"])
def test_a_failing_code_in_a_partner_credential_warns(client, demo, endpoint):
    document = did_key_credential({"id": "did:example:holder", "employerUscc": BAD})
    if endpoint == "/credentials/verify":
        response = client.post(endpoint, json={"verifiableCredential": document})
    else:
        response = client.post(
            endpoint,
            json={"credential": document, "purpose": "核验外地证书"},
            headers=bearer(demo.tokens["partner:310118"]),
        )
    answer = response.json()
    warning = next(c for c in answer["checks"] if c["check"] == "identifiers")
    assert warning["outcome"] == "warning" and warning["code"] == "USCC_CHECK_FAILED"
    assert warning["detail"] == {"pointers": ["/credentialSubject/employerUscc"]}
    assert warning["message"]["zh"] and warning["message"]["en"]
    assert "USCC_CHECK_FAILED" in [w["code"] for w in answer["warnings"]]
    assert "USCC_CHECK_FAILED" not in [p["code"] for p in answer.get("problemDetails", [])]


def test_our_own_issuers_must_pass_the_check(registry):
    issuer = DemoIssuer(BAD, "测试机构", "Test body", QINGPU, "hr_bureau", ())
    with pytest.raises(RegistryError, match="USCC_INVALID"):
        add_issuer(registry, issuer, now=datetime.now(UTC))

"""USCCs received from others: a failing check character warns, never refuses."""

from __future__ import annotations

from datetime import UTC, datetime

from registry.core.checks import Outcome
from registry.core.people.identifiers import uscc_check_char
from registry.core.verification.credential import verify_credential
from registry.core.verification.identifier_checks import failing_usccs, received_uscc_check
from registry.core.verification.record import VerifyRequest
from tests.support.memory_trust import zone_trust
from tests.support.partner_credentials import did_key_credential

GOOD = "91330100799655058B"  # a published company code, check character correct
BAD = GOOD[:17] + "C"  # the same with a failing check character, as some early codes have


def test_failing_codes_are_found_by_field_name_anywhere_in_the_subject():
    document = {
        "issuer": {"id": f"https://elsewhere.example/issuers/{BAD}"},
        "credentialSubject": {
            "employerUscc": BAD,
            "uscc": GOOD,
            "title": {"jointCommittee": BAD, "note": BAD},
            "history": [{"issuerUscc": GOOD}, {"issuerUscc": BAD}],
            "employer": "some name",
        },
    }
    assert failing_usccs(document) == [
        "/issuer",
        "/credentialSubject/employerUscc",
        "/credentialSubject/title/jointCommittee",
        "/credentialSubject/history/1/issuerUscc",
    ]


def test_no_warning_when_every_code_passes_or_none_has_the_shape():
    assert received_uscc_check({"credentialSubject": {"employerUscc": GOOD}}) is None
    assert received_uscc_check({"credentialSubject": {"employerUscc": "not a code"}}) is None
    first17 = "11310118MB0000001"
    own = first17 + uscc_check_char(first17)
    assert received_uscc_check({"issuer": f"https://x.example/issuers/{own}"}) is None


def test_a_partner_credential_with_a_failing_code_stays_valid_with_a_warning():
    trust = zone_trust()
    document = did_key_credential({"id": "did:example:holder", "employerUscc": BAD})
    result = verify_credential(document, trust, trust, VerifyRequest(datetime.now(UTC)))
    assert result.verified
    (warning,) = [c for c in result.checks if c.name == "identifiers"]
    assert (warning.outcome, warning.code) == (Outcome.WARNING, "USCC_CHECK_FAILED")
    assert warning.detail == {"pointers": ["/credentialSubject/employerUscc"]}
    assert "统一社会信用代码" in warning.message_zh and "USCC" in warning.message_en

"""Property tests of the pure core: whatever text or JSON arrives, the QR decoder, the
credential verifier, the identifier parsers and the time parsers answer with a result or a
``RegistryError``, never another exception (which the web tier would turn into a 500).

Bounded and deterministic: few examples, a deadline, ``derandomize`` and no example
database, so CI runs the same cases every time in a few seconds.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.core.errors import RegistryError
from registry.core.formats.timefmt import parse_date, parse_instant
from registry.core.people.identifiers import parse_resident_id, parse_uscc, read_received_uscc
from registry.core.people.passports import parse_passport
from registry.core.records import qrclaims
from registry.core.verification.credential import verify_credential
from registry.core.verification.record import Verification, VerifyRequest, verify_qr
from tests.support.memory_trust import BUREAUS, kid_for, title_facts, zone_trust

BOUNDED = settings(
    max_examples=60,
    deadline=timedelta(seconds=2),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
NOW = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)
TRUST = zone_trust(NOW)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
# The calendar's edges in every offset: the dates that overflowed before (issue 16).
EDGE_INSTANTS = st.sampled_from(
    ["0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-08:00",
     "9999-12-31T23:59:59Z", "9999-12-31T23:59:59+14:00", "2020-02-30T00:00:00Z",
     "2025-01-01T00:00:00", "2025-01-01", "", "Z", "2025-01-01T24:00:00Z"]
) | st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())  # fmt: skip


def _signed_qr(issued: datetime) -> str:
    facts = title_facts(str(uuid.uuid4()), issued=issued)
    TRUST.statuses[facts.record_id] = "active"
    key = TRUST.private[BUREAUS["320509"]]
    return qrclaims.sign_payload(facts, key, kid_for(key))


VALID_QR = _signed_qr(NOW - timedelta(days=1))


def _only_registry_errors(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except RegistryError:
        return None


@BOUNDED
@given(
    st.text(max_size=200) | st.from_regex(r"(https://x\.example/v#)?RC1:[0-9A-Z$%*+./:-]{0,120}")
)
def test_any_qr_text_is_a_verification(text):
    assert isinstance(verify_qr(text, TRUST, TRUST, VerifyRequest(NOW)), Verification)
    _only_registry_errors(qrclaims.decode_payload, text)


@BOUNDED
@given(st.integers(0, len(VALID_QR) - 1), st.characters(codec="ascii"), st.integers(1, 3))
def test_a_mangled_signed_qr_is_a_verification(position, character, repeat):
    text = VALID_QR[:position] + character * repeat + VALID_QR[position + 1 :]
    result = verify_qr(text, TRUST, TRUST, VerifyRequest(NOW))
    assert isinstance(result, Verification)
    # The payload is read case-insensitively (typed-in text), so only a change beyond case
    # makes another payload; and another payload never verifies.
    if text.upper() != VALID_QR.upper():
        assert not result.verified
    else:
        assert result.verified


@BOUNDED
@given(
    st.sampled_from([datetime(9999, 12, 31, 23, 59, 59), datetime(1, 1, 1, 8)])
    | st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30))
)
def test_a_signed_qr_issued_at_any_time_is_a_verification(issued):
    text = _signed_qr(issued.replace(tzinfo=UTC, microsecond=0))
    assert isinstance(verify_qr(text, TRUST, TRUST, VerifyRequest(NOW)), Verification)


@BOUNDED
@given(JSON)
def test_any_json_value_is_a_credential_verification(document):
    json.dumps(document)
    assert isinstance(verify_credential(document, TRUST, TRUST, VerifyRequest(NOW)), Verification)


@BOUNDED
@given(
    st.sampled_from(["validFrom", "validUntil", "issuer", "type", "proof", "@context", "id"]), JSON
)
def test_a_credential_with_one_field_replaced_is_a_verification(field, value):
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "ProfessionalTitleCredential"],
        "issuer": f"https://talent.yrd-demo.example.cn/issuers/{BUREAUS['320509']}",
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"name": "李*远"},
        "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
                  "created": "2025-01-01T00:00:00Z", "proofValue": "z1111"},
    }  # fmt: skip
    document[field] = value
    result = verify_credential(document, TRUST, TRUST, VerifyRequest(NOW))
    assert isinstance(result, Verification) and not result.verified


@BOUNDED
@given(st.text(max_size=30) | st.from_regex(r"[0-9]{17}[0-9Xx]", fullmatch=True))
def test_identifier_parsers_refuse_with_registry_errors_only(text):
    _only_registry_errors(parse_resident_id, text, today=date(2026, 5, 1))
    _only_registry_errors(parse_uscc, text)
    _only_registry_errors(read_received_uscc, text)
    _only_registry_errors(parse_passport, text)
    _only_registry_errors(parse_passport, text, "CN")


@BOUNDED
@given(EDGE_INSTANTS | st.text(max_size=40) | JSON)
def test_date_parsers_refuse_with_registry_errors_only(text):
    _only_registry_errors(parse_date, text, "validFrom")


@BOUNDED
@given(EDGE_INSTANTS | st.text(max_size=40) | JSON)
def test_instant_parser_refuses_with_registry_errors_only(text):
    _only_registry_errors(parse_instant, text, "validFrom")

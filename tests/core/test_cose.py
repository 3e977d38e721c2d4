"""COSE_Sign1 against the COSE working-group examples, plus structural and fuzz cases."""

from __future__ import annotations

import random

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.errors import ErrorKind, RegistryError
from registry.core.formats.cose import (
    ALG_EDDSA,
    ALG_ES256,
    HEADER_ALG,
    HEADER_KID,
    Sign1Message,
    decode_sign1,
    sign1,
)
from tests.support import vectors_cose

EDDSA_SIGN1 = ["eddsa-examples/eddsa-sig-01.json", "eddsa-examples/eddsa-sig-02.json"]
SIGN1_TESTS = vectors_cose.names("sign1-tests")
PASS_CASES = [name for name in SIGN1_TESTS if not vectors_cose.load(name).fail]
FAIL_CASES = [name for name in SIGN1_TESTS if vectors_cose.load(name).fail]
# Upstream passes sign-pass-01 (alg only unprotected, an empty protected map sent as h'A0'
# but signed as h''); this verifier refuses both on purpose (security review, issue 13).
REFUSED_PASS_CASE = "sign1-tests/sign-pass-01.json"
STRICT_PASS_CASES = [name for name in PASS_CASES if name != REFUSED_PASS_CASE]
# Every vector that is a COSE_Sign1, for the checks on where its kid sits.
SIGN1_VECTORS = [*EDDSA_SIGN1, *PASS_CASES, "ecdsa-examples/ecdsa-sig-01.json", "CWT/A_3.json"]

# What each kind of breakage in a fail case's ``failures`` field must be reported as.
FAILURE_CODES = {
    "ChangeCBORTag": "COSE_MALFORMED",  # tag 998 instead of 18
    "ChangeTag": "COSE_SIGNATURE_INVALID",  # a payload byte changed after signing
    "ChangeAttr": "COSE_ALG_UNSUPPORTED",  # alg replaced by -999 or "unknown"
    "AddProtected": "COSE_SIGNATURE_INVALID",  # ctyp added to the signed protected header
    "RemoveProtected": "COSE_SIGNATURE_INVALID",  # ctyp removed from it
}

# RFC 8392 appendix A.1: the claims of every CWT example.
RFC8392_CLAIMS = {
    1: "coap://as.example.com",
    2: "erikw",
    3: "coap://light.example.com",
    4: 1444064944,
    5: 1443944944,
    6: 1443944944,
    7: bytes.fromhex("0b71"),
}

PAYLOAD = b"\xa2\x01\x63RC1\x02\x19\x07\xe9"


def _code(excinfo: pytest.ExceptionInfo[RegistryError]) -> str:
    return excinfo.value.code


@pytest.fixture(scope="module")
def ed25519_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


# --- the EdDSA COSE_Sign1 examples, reproduced byte for byte -------------------------------


@pytest.mark.parametrize("name", EDDSA_SIGN1)
def test_eddsa_example_is_reproduced_byte_for_byte(name: str) -> None:
    vector = vectors_cose.load(name)
    key = vectors_cose.eddsa_private_key(vector.key)
    protected = vectors_cose.headers(vector.layer["protected"])
    unprotected = vectors_cose.headers(vector.layer["unprotected"])
    # Both examples put alg in the protected header and kid in the unprotected one;
    # eddsa-sig-01 also protects a content type (ctyp 0).
    assert protected.pop(HEADER_ALG) == ALG_EDDSA
    kid = unprotected.pop(HEADER_KID)

    encoded = sign1(
        vector.plaintext,
        key,
        kid=kid,
        kid_protected=False,
        extra_protected=protected,
        unprotected=unprotected,
    )

    assert encoded.hex() == vector.cbor.hex()
    message = decode_sign1(encoded)
    assert message.to_be_signed() == vector.to_be_signed
    assert message.unprotected[HEADER_KID] == kid
    assert message.kid is None  # an unprotected kid never picks a key
    assert message.alg == ALG_EDDSA


@pytest.mark.parametrize("name", EDDSA_SIGN1)
def test_eddsa_example_verifies_with_its_public_key(name: str) -> None:
    vector = vectors_cose.load(name)
    message = decode_sign1(vector.cbor)
    assert message.payload == vector.plaintext
    message.verify(vectors_cose.eddsa_public_key(vector.key))


@pytest.mark.parametrize("name", EDDSA_SIGN1)
def test_eddsa_example_fails_with_another_key_of_the_same_curve(name: str) -> None:
    vector = vectors_cose.load(name)
    message = decode_sign1(vector.cbor)
    other = (
        Ed25519PrivateKey.generate()
        if vector.key["crv"] == "Ed25519"
        else Ed448PrivateKey.generate()
    )
    with pytest.raises(RegistryError) as excinfo:
        message.verify(other.public_key())
    assert _code(excinfo) == "COSE_SIGNATURE_INVALID"


def test_ed25519_signature_checked_with_ed448_key_is_invalid() -> None:
    message = decode_sign1(vectors_cose.load(EDDSA_SIGN1[0]).cbor)
    with pytest.raises(RegistryError) as excinfo:
        message.verify(Ed448PrivateKey.generate().public_key())
    assert _code(excinfo) == "COSE_SIGNATURE_INVALID"


def test_eddsa_message_with_an_ec_key_is_an_alg_mismatch() -> None:
    message = decode_sign1(vectors_cose.load(EDDSA_SIGN1[0]).cbor)
    with pytest.raises(RegistryError) as excinfo:
        message.verify(ec.generate_private_key(ec.SECP256R1()).public_key())
    assert _code(excinfo) == "COSE_ALG_MISMATCH"


# --- sign1-tests: ES256 pass and fail cases -------------------------------------------------


def test_sign1_tests_hold_both_pass_and_fail_cases() -> None:
    assert len(PASS_CASES) == 3
    assert len(FAIL_CASES) == 6
    assert REFUSED_PASS_CASE in PASS_CASES
    assert len(STRICT_PASS_CASES) == 2


@pytest.mark.parametrize("name", [*STRICT_PASS_CASES, "ecdsa-examples/ecdsa-sig-01.json"])
def test_es256_pass_case_decodes_and_verifies(name: str) -> None:
    vector = vectors_cose.load(name)
    message = decode_sign1(vector.cbor)
    assert message.payload == vector.plaintext
    assert message.unprotected[HEADER_KID] == b"11"
    assert message.alg == ALG_ES256
    assert message.to_be_signed(vector.external_aad) == vector.to_be_signed
    message.verify(vectors_cose.ec_public_key(vector.key), vector.external_aad)


def test_upstream_pass_case_with_alg_only_unprotected_is_refused() -> None:
    vector = vectors_cose.load(REFUSED_PASS_CASE)
    assert not vector.fail
    assert vector.failures == {"ChangeProtected": "a0"}
    message = decode_sign1(vector.cbor)
    assert message.protected_bytes == b"\xa0"
    assert dict(message.protected) == {}
    assert message.unprotected[HEADER_ALG] == ALG_ES256
    assert message.alg is None  # never taken from the unprotected header
    with pytest.raises(RegistryError) as excinfo:
        message.verify(vectors_cose.ec_public_key(vector.key))
    assert _code(excinfo) == "COSE_ALG_UNPROTECTED"
    assert excinfo.value.kind is ErrorKind.INVALID


def test_upstream_pass_case_is_signed_over_other_bytes_than_it_carries() -> None:
    # The vector was signed over h'' and then sent with h'A0': what we verify over is the
    # bytes received, so it could not verify even with alg protected.
    vector = vectors_cose.load(REFUSED_PASS_CASE)
    message = decode_sign1(vector.cbor)
    assert vector.to_be_signed == cbor2.dumps(["Signature1", b"", b"", vector.plaintext])
    assert message.to_be_signed() == cbor2.dumps(["Signature1", b"\xa0", b"", vector.plaintext])


def test_external_aad_is_bound_into_the_signature() -> None:
    vector = vectors_cose.load("sign1-tests/sign-pass-02.json")
    message = decode_sign1(vector.cbor)
    with pytest.raises(RegistryError) as excinfo:
        message.verify(vectors_cose.ec_public_key(vector.key))  # without the external data
    assert _code(excinfo) == "COSE_SIGNATURE_INVALID"


@pytest.mark.parametrize("name", FAIL_CASES)
def test_es256_fail_case_raises_the_error_its_failure_calls_for(name: str) -> None:
    vector = vectors_cose.load(name)
    (failure,) = vector.failures
    expected = FAILURE_CODES[failure]
    with pytest.raises(RegistryError) as excinfo:
        _check_vector(vector)
    assert _code(excinfo) == expected


def _check_vector(vector: vectors_cose.CoseVector) -> None:
    message = decode_sign1(vector.cbor)
    assert message.to_be_signed() != vector.to_be_signed  # the break changed what is signed
    message.verify(vectors_cose.ec_public_key(vector.key))


def test_every_failure_kind_in_the_vectors_is_known() -> None:
    kinds = {kind for name in FAIL_CASES for kind in vectors_cose.load(name).failures}
    assert kinds == set(FAILURE_CODES)


def test_es256_message_with_an_ed25519_key_is_an_alg_mismatch(
    ed25519_key: Ed25519PrivateKey,
) -> None:
    message = decode_sign1(vectors_cose.load("sign1-tests/sign-pass-03.json").cbor)
    with pytest.raises(RegistryError) as excinfo:
        message.verify(ed25519_key.public_key())
    assert _code(excinfo) == "COSE_ALG_MISMATCH"


def test_es256_message_with_a_p384_key_is_an_alg_mismatch() -> None:
    message = decode_sign1(vectors_cose.load("sign1-tests/sign-pass-03.json").cbor)
    with pytest.raises(RegistryError) as excinfo:
        message.verify(ec.generate_private_key(ec.SECP384R1()).public_key())
    assert _code(excinfo) == "COSE_ALG_MISMATCH"


# --- RFC 8392 CWT examples ------------------------------------------------------------------


def test_cwt_a3_signed_claims_verify_and_match_rfc8392() -> None:
    vector = vectors_cose.load("CWT/A_3.json")
    message = decode_sign1(vector.cbor)
    assert message.to_be_signed() == vector.to_be_signed
    message.verify(vectors_cose.ec_public_key(vector.key))
    assert message.kid is None
    assert cbor2.loads(message.payload) == RFC8392_CLAIMS
    assert message.payload == vector.plaintext


def test_cwt_a6_inner_sign1_is_the_a3_token() -> None:
    # A.6 encrypts the A.3 COSE_Sign1; its plaintext is that Sign1, which must verify.
    inner = decode_sign1(vectors_cose.load("CWT/A_6.json").plaintext)
    inner.verify(vectors_cose.ec_public_key(vectors_cose.load("CWT/A_3.json").key))
    assert cbor2.loads(inner.payload) == RFC8392_CLAIMS


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("CWT/A_4.json", "COSE_Mac0, tag 17"),
        ("CWT/A_5.json", "COSE_Encrypt0, tag 16"),
        ("CWT/A_6.json", "COSE_Encrypt0, tag 16"),
        ("CWT/A_7.json", "COSE_Mac0, tag 17"),
        ("eddsa-examples/eddsa-01.json", "COSE_Sign, tag 98"),
        ("eddsa-examples/eddsa-02.json", "COSE_Sign, tag 98"),
    ],
)
def test_other_cose_structures_are_refused_as_sign1(name: str, kind: str) -> None:
    # MAC, encryption and multi-signer COSE_Sign are out of scope: the QR form is Sign1 only.
    vector = vectors_cose.load(name)
    assert cbor2.loads(vector.cbor).tag in {16, 17, 98}, kind
    with pytest.raises(RegistryError) as excinfo:
        decode_sign1(vector.cbor)
    assert _code(excinfo) == "COSE_MALFORMED"
    assert excinfo.value.kind is ErrorKind.MALFORMED


# --- signing and decoding our own messages --------------------------------------------------


def test_sign1_round_trip_with_protected_kid(ed25519_key: Ed25519PrivateKey) -> None:
    encoded = sign1(PAYLOAD, ed25519_key, kid=b"issuer-key-1")
    message = decode_sign1(encoded)
    assert encoded[0] == 0xD2  # tag 18
    assert dict(message.protected) == {HEADER_ALG: ALG_EDDSA, HEADER_KID: b"issuer-key-1"}
    assert dict(message.unprotected) == {}
    assert message.kid == b"issuer-key-1"
    assert message.payload == PAYLOAD
    message.verify(ed25519_key.public_key())


def test_sign1_is_deterministic_and_untagged_on_request(ed25519_key: Ed25519PrivateKey) -> None:
    tagged = sign1(PAYLOAD, ed25519_key, kid=b"k")
    untagged = sign1(PAYLOAD, ed25519_key, kid=b"k", tagged=False)
    assert sign1(PAYLOAD, ed25519_key, kid=b"k") == tagged
    assert untagged == tagged[1:]
    assert decode_sign1(untagged) == decode_sign1(tagged)


def test_sign1_headers_are_deterministically_ordered(ed25519_key: Ed25519PrivateKey) -> None:
    message = decode_sign1(
        sign1(PAYLOAD, ed25519_key, kid=b"k", extra_protected={3: 0}, unprotected={33: b"x"})
    )
    assert message.protected_bytes == bytes.fromhex("a3012703000441" + "6b")
    assert dict(message.unprotected) == {33: b"x"}


def test_sign1_refuses_a_label_given_twice(ed25519_key: Ed25519PrivateKey) -> None:
    with pytest.raises(ValueError, match="twice"):
        sign1(PAYLOAD, ed25519_key, extra_protected={HEADER_ALG: ALG_ES256})
    with pytest.raises(ValueError, match="both"):
        sign1(PAYLOAD, ed25519_key, kid=b"k", unprotected={HEADER_KID: b"k"})


def test_external_aad_must_match(ed25519_key: Ed25519PrivateKey) -> None:
    message = decode_sign1(sign1(PAYLOAD, ed25519_key, external_aad=b"context"))
    message.verify(ed25519_key.public_key(), b"context")
    with pytest.raises(RegistryError) as excinfo:
        message.verify(ed25519_key.public_key())
    assert _code(excinfo) == "COSE_SIGNATURE_INVALID"


def _manual_sign1(
    key: Ed25519PrivateKey,
    protected_bytes: bytes,
    unprotected: dict[object, object],
    *,
    signed_protected: bytes | None = None,
) -> bytes:
    """A COSE_Sign1 built by hand, for shapes ``sign1`` never produces; the signature is
    over ``signed_protected`` when given, else over the protected bytes sent."""
    body_protected = protected_bytes if signed_protected is None else signed_protected
    signature = key.sign(cbor2.dumps(["Signature1", body_protected, b"", PAYLOAD]))
    return cbor2.dumps(cbor2.CBORTag(18, [protected_bytes, unprotected, PAYLOAD, signature]))


@pytest.mark.parametrize("protected_bytes", [b"", b"\xa0"])
def test_alg_only_in_the_unprotected_header_is_refused(
    ed25519_key: Ed25519PrivateKey, protected_bytes: bytes
) -> None:
    message = decode_sign1(_manual_sign1(ed25519_key, protected_bytes, {1: -8}))
    assert message.protected == {}
    assert message.alg is None
    with pytest.raises(RegistryError) as excinfo:
        message.verify(ed25519_key.public_key())
    assert _code(excinfo) == "COSE_ALG_UNPROTECTED"


def test_a0_is_signed_as_received_not_as_an_empty_string(ed25519_key: Ed25519PrivateKey) -> None:
    message = decode_sign1(_manual_sign1(ed25519_key, b"\xa0", {1: -8}))
    assert message.to_be_signed() == cbor2.dumps(["Signature1", b"\xa0", b"", PAYLOAD])
    assert message.to_be_signed() != cbor2.dumps(["Signature1", b"", b"", PAYLOAD])


def test_one_signature_verifies_under_one_encoding_only(ed25519_key: Ed25519PrivateKey) -> None:
    # {1: -8, 4: h'6B'} with -8 spelt in two bytes (38 07) instead of one (27): a valid but
    # not deterministic encoding of the same map.
    received = bytes.fromhex("a20138070441" + "6b")
    canonical = cbor2.dumps(cbor2.loads(received), canonical=True)
    assert received != canonical
    decode_sign1(_manual_sign1(ed25519_key, received, {})).verify(ed25519_key.public_key())
    for sent, signed_over in ((canonical, received), (received, canonical)):
        message = decode_sign1(_manual_sign1(ed25519_key, sent, {}, signed_protected=signed_over))
        assert message.alg == ALG_EDDSA
        with pytest.raises(RegistryError) as excinfo:
            message.verify(ed25519_key.public_key())
        assert _code(excinfo) == "COSE_SIGNATURE_INVALID"


def test_missing_alg_is_refused_as_missing(ed25519_key: Ed25519PrivateKey) -> None:
    message = decode_sign1(_manual_sign1(ed25519_key, b"", {4: b"k"}))
    assert message.alg is None
    with pytest.raises(RegistryError) as excinfo:
        message.verify(ed25519_key.public_key())
    assert _code(excinfo) == "COSE_ALG_MISSING"


@pytest.mark.parametrize("alg", [-999, "unknown", ALG_ES256 - 100])
def test_protected_alg_we_do_not_know_is_unsupported(
    ed25519_key: Ed25519PrivateKey, alg: object
) -> None:
    message = decode_sign1(_manual_sign1(ed25519_key, cbor2.dumps({1: alg}), {}))
    with pytest.raises(RegistryError) as excinfo:
        message.verify(ed25519_key.public_key())
    assert _code(excinfo) == "COSE_ALG_UNSUPPORTED"


def test_protected_kid_is_required(ed25519_key: Ed25519PrivateKey) -> None:
    assert decode_sign1(sign1(PAYLOAD, ed25519_key, kid=b"k")).require_kid() == b"k"
    unprotected = decode_sign1(sign1(PAYLOAD, ed25519_key, kid=b"k", kid_protected=False))
    assert unprotected.kid is None
    with pytest.raises(RegistryError) as excinfo:
        unprotected.require_kid()
    assert _code(excinfo) == "COSE_KID_UNPROTECTED"
    with pytest.raises(RegistryError) as excinfo:
        decode_sign1(sign1(PAYLOAD, ed25519_key)).require_kid()
    assert _code(excinfo) == "COSE_KID_MISSING"


@pytest.mark.parametrize("name", SIGN1_VECTORS)
def test_no_cose_example_has_a_protected_kid(name: str) -> None:
    # The examples' kids are unprotected (or absent in RFC 8392 A.3): each is refused as a
    # key selector with its own code, while the signature itself still verifies above.
    message = decode_sign1(vectors_cose.load(name).cbor)
    with pytest.raises(RegistryError) as excinfo:
        message.require_kid()
    expected = "COSE_KID_UNPROTECTED" if HEADER_KID in message.unprotected else "COSE_KID_MISSING"
    assert _code(excinfo) == expected


def test_each_refusal_has_its_own_code_and_both_languages(ed25519_key: Ed25519PrivateKey) -> None:
    cases = {
        "COSE_ALG_MISSING": _manual_sign1(ed25519_key, b"", {4: b"k"}),
        "COSE_ALG_UNPROTECTED": _manual_sign1(ed25519_key, b"", {1: -8}),
        "COSE_ALG_UNSUPPORTED": _manual_sign1(ed25519_key, cbor2.dumps({1: -999}), {}),
    }
    errors: dict[str, RegistryError] = {}
    for code, encoded in cases.items():
        with pytest.raises(RegistryError) as excinfo:
            decode_sign1(encoded).verify(ed25519_key.public_key())
        errors[code] = excinfo.value
    for code, encoded in {
        "COSE_KID_MISSING": sign1(PAYLOAD, ed25519_key),
        "COSE_KID_UNPROTECTED": sign1(PAYLOAD, ed25519_key, kid=b"k", kid_protected=False),
    }.items():
        with pytest.raises(RegistryError) as excinfo:
            decode_sign1(encoded).require_kid()
        errors[code] = excinfo.value
    assert {code: error.code for code, error in errors.items()} == {c: c for c in errors}
    assert len({error.message_en for error in errors.values()}) == len(errors)
    assert len({error.message_zh for error in errors.values()}) == len(errors)
    assert all(error.kind is ErrorKind.INVALID for error in errors.values())


def test_crit_naming_a_core_label_is_understood(ed25519_key: Ed25519PrivateKey) -> None:
    encoded = _manual_sign1(ed25519_key, cbor2.dumps({1: -8, 2: [3], 3: 0}), {})
    decode_sign1(encoded).verify(ed25519_key.public_key())


def test_crit_naming_an_unknown_label_is_refused(ed25519_key: Ed25519PrivateKey) -> None:
    encoded = _manual_sign1(ed25519_key, cbor2.dumps({1: -8, 2: [99], 99: 1}), {})
    with pytest.raises(RegistryError) as excinfo:
        decode_sign1(encoded).verify(ed25519_key.public_key())
    assert _code(excinfo) == "COSE_CRIT_UNSUPPORTED"


SIG = b"\x00" * 64
MALFORMED = {
    "not an array": cbor2.dumps(cbor2.CBORTag(18, {1: 2})),
    "three elements": cbor2.dumps([b"", {}, b""]),
    "five elements": cbor2.dumps([b"", {}, b"", SIG, b""]),
    "protected not bstr": cbor2.dumps([{1: -8}, {}, b"", SIG]),
    "protected is an array": cbor2.dumps([cbor2.dumps([1, -8]), {}, b"", SIG]),
    "protected not CBOR": cbor2.dumps([b"\xa1\x01", {}, b"", SIG]),
    "protected trailing bytes": cbor2.dumps([b"\xa1\x01\x27\x00", {}, b"", SIG]),
    "unprotected not a map": cbor2.dumps([b"", [4, b"k"], b"", SIG]),
    "detached payload": cbor2.dumps([b"", {}, None, SIG]),
    "payload is text": cbor2.dumps([b"", {}, "text", SIG]),
    "signature not bstr": cbor2.dumps([b"", {}, b"", 0]),
    "label in both buckets": cbor2.dumps([cbor2.dumps({1: -8}), {1: -8}, b"", SIG]),
    "boolean label": cbor2.dumps([b"", {True: -8}, b"", SIG]),
    "float label": cbor2.dumps([b"", {1.5: -8}, b"", SIG]),
    "kid not bstr": cbor2.dumps([cbor2.dumps({1: -8}), {4: "k"}, b"", SIG]),
    "alg a float": cbor2.dumps([cbor2.dumps({1: -8.0}), {}, b"", SIG]),
    "crit unprotected": cbor2.dumps([cbor2.dumps({1: -8}), {2: [1]}, b"", SIG]),
    "crit empty": cbor2.dumps([cbor2.dumps({1: -8, 2: []}), {}, b"", SIG]),
    "crit label absent": cbor2.dumps([cbor2.dumps({1: -8, 2: [99]}), {}, b"", SIG]),
    "duplicate label": bytes.fromhex("d28440a20127012640") + cbor2.dumps(SIG),
    "trailing bytes": cbor2.dumps(cbor2.CBORTag(18, [b"", {}, b"", SIG])) + b"\x00",
    "sign1 tag inside sign1 tag": cbor2.dumps(
        cbor2.CBORTag(18, cbor2.CBORTag(18, [b"", {}, b"", SIG]))
    ),
    "empty input": b"",
    "deep nesting": b"\x81" * 500 + b"\x00",
    "huge declared length": b"\x9b" + b"\xff" * 8,
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_structure_is_refused(name: str) -> None:
    with pytest.raises(RegistryError) as excinfo:
        decode_sign1(MALFORMED[name])
    assert _code(excinfo) == "COSE_MALFORMED"
    assert excinfo.value.kind is ErrorKind.MALFORMED


def test_input_that_is_not_bytes_is_refused() -> None:
    with pytest.raises(RegistryError) as excinfo:
        decode_sign1("d28440a04040")  # type: ignore[arg-type]
    assert _code(excinfo) == "COSE_MALFORMED"


def test_decoded_message_is_immutable(ed25519_key: Ed25519PrivateKey) -> None:
    message = decode_sign1(sign1(PAYLOAD, ed25519_key, kid=b"k"))
    assert isinstance(message, Sign1Message)
    with pytest.raises(TypeError):
        message.protected[HEADER_KID] = b"other"  # type: ignore[index]


# --- a little fuzzing: only RegistryError may ever escape -----------------------------------


def _decode_and_verify(data: bytes, key: Ed25519PrivateKey) -> Sign1Message | None:
    try:
        message = decode_sign1(data)
        message.verify(key.public_key())
    except RegistryError:
        return None
    return message


def test_truncations_and_bit_flips_never_raise_anything_else(
    ed25519_key: Ed25519PrivateKey,
) -> None:
    original = sign1(PAYLOAD, ed25519_key, kid=b"issuer-key-1")
    for end in range(len(original)):
        assert _decode_and_verify(original[:end], ed25519_key) is None
    for index in range(len(original)):
        for bit in range(8):
            mutated = bytearray(original)
            mutated[index] ^= 1 << bit
            survivor = _decode_and_verify(bytes(mutated), ed25519_key)
            # Only the unsigned parts may change and still verify; never the signed ones.
            if survivor is not None:
                assert survivor.payload == PAYLOAD
                assert survivor.protected_bytes == decode_sign1(original).protected_bytes


def test_random_bytes_never_raise_anything_else(ed25519_key: Ed25519PrivateKey) -> None:
    generator = random.Random(20240518)
    starts = [b"", b"\xd2", b"\xd2\x84", b"\x84", b"\xd2\x84\x43\xa1\x01\x27"]
    for round_number in range(3000):
        prefix = starts[round_number % len(starts)]
        data = prefix + generator.randbytes(generator.randrange(0, 80))
        assert _decode_and_verify(data, ed25519_key) is None


def _outcome(data: bytes) -> object:
    try:
        return decode_sign1(data)
    except RegistryError as error:
        return (error.code, error.message_zh, error.message_en)


def _compact_layouts() -> list[bytes]:
    """Messages as the registry writes them (payload lengths on each side of each CBOR
    length form), each also with non-minimal lengths, cut short, extended and untagged."""
    key = Ed25519PrivateKey.generate()
    found: list[bytes] = []
    for size in (0, 1, 23, 24, 255, 256, 300, 70_000):
        data = sign1(bytes(range(256)) * (size // 256) + bytes(size % 256), key, kid=b"k" * 8)
        found += [data, data[:-1], data + b"\x00", data[1:], data[:3], data[:2], data[:1]]
        # The same items with a one-byte length where none was needed (CBOR allows it).
        protected_length = data[2] - 0x40
        found.append(data[:2] + bytes([0x58, protected_length]) + data[3:])
    found += [b"", b"\xd2", b"\xd2\x84\x40\xa0\x40\x40", b"\xd2\x84\x40\xa1\x01\x27\x40\x40"]
    found += [b"\xd2\x84\x5f\x41\x00\xff\xa0\x40\x40", b"\xd2\x84\x59\x00", b"\xd2\x84\x58"]
    return found


def test_the_compact_reading_answers_as_the_full_decoder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    layouts = _compact_layouts()
    fast = [_outcome(data) for data in layouts]
    monkeypatch.setattr("registry.core.formats.cose._compact_parts", lambda _data: None)
    assert fast == [_outcome(data) for data in layouts]
    assert sum(isinstance(answer, Sign1Message) for answer in fast) >= 8

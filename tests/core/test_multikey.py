"""Multikey and did:key: the W3C vector keys must parse, derive and resolve."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.errors import RegistryError
from registry.core.formats.multibase import multibase_decode, multibase_encode_base58btc
from registry.core.formats.multikey import (
    did_key,
    did_key_verification_method,
    private_key_from_multikey,
    public_key_from_multikey,
    public_multikey,
    resolve_did_key,
)
from tests.support.vectors_dataintegrity import (
    KeyPairVector,
    jcs_suite,
    key_pair,
    multi_key_pairs,
)

ALL_PAIRS = [key_pair(), *multi_key_pairs()]


@pytest.mark.parametrize("pair", ALL_PAIRS, ids=lambda pair: pair.name)
def test_private_multikey_derives_the_public_multikey(pair: KeyPairVector) -> None:
    private_key = private_key_from_multikey(pair.private_multikey)
    assert public_multikey(private_key.public_key()) == pair.public_multikey


@pytest.mark.parametrize("pair", ALL_PAIRS, ids=lambda pair: pair.name)
def test_public_multikey_round_trips(pair: KeyPairVector) -> None:
    key = public_key_from_multikey(pair.public_multikey)
    assert pair.public_multikey.startswith("z6Mk")
    assert public_multikey(key) == pair.public_multikey
    assert multibase_decode(pair.public_multikey)[2:] == key.public_bytes_raw()


def test_did_key_of_the_vector_key_is_the_vector_verification_method() -> None:
    key = public_key_from_multikey(key_pair().public_multikey)
    method = jcs_suite().proof_config["verificationMethod"]
    assert did_key(key) == "did:key:" + key_pair().public_multikey
    assert did_key_verification_method(key) == method


@pytest.mark.parametrize("with_fragment", [True, False])
def test_resolve_did_key_accepts_the_did_with_or_without_fragment(with_fragment: bool) -> None:
    method = jcs_suite().proof_config["verificationMethod"]
    text = method if with_fragment else method.partition("#")[0]
    key = resolve_did_key(text)
    assert public_multikey(key) == key_pair().public_multikey


OTHER = multi_key_pairs()[0].public_multikey
VECTOR = key_pair().public_multikey


@pytest.mark.parametrize(
    "method",
    [
        f"did:key:{VECTOR}#{OTHER}",  # fragment names another key
        f"did:key:{VECTOR}#",  # empty fragment
        f"did:web:example.com#{VECTOR}",  # not did:key
        f"did:key:{key_pair().private_multikey}",  # a private key is never a DID
        "did:key:",
        f"did:key:{VECTOR[:-1]}",  # truncated
        f"DID:KEY:{VECTOR}",
    ],
)
def test_resolve_did_key_refuses_bad_identifiers(method: str) -> None:
    with pytest.raises(RegistryError) as caught:
        resolve_did_key(method)
    assert caught.value.code == "DID_KEY_INVALID"


@pytest.mark.parametrize(
    "value",
    [
        key_pair().private_multikey,  # private codec where a public key is wanted
        VECTOR[:-2],  # too short
        multibase_encode_base58btc(b"\xed\x01" + b"\x01" * 33),  # 33-byte key
        multibase_encode_base58btc(b"\xe7\x01" + b"\x02" * 33),  # secp256k1 codec
        "u7QE" + "A" * 43,  # base64url, not base58btc
        "z" + "2" * 500,  # far too long
        "",
    ],
)
def test_public_key_from_multikey_refuses_anything_but_an_ed25519_public_key(value: str) -> None:
    with pytest.raises(RegistryError) as caught:
        public_key_from_multikey(value)
    assert caught.value.code == "MULTIKEY_INVALID"


def test_private_key_from_multikey_refuses_a_public_key() -> None:
    with pytest.raises(RegistryError) as caught:
        private_key_from_multikey(VECTOR)
    assert caught.value.code == "MULTIKEY_INVALID"


def test_private_multikey_holds_the_seed() -> None:
    seed = bytes(range(32))
    private_key = private_key_from_multikey(multibase_encode_base58btc(b"\x80\x26" + seed))
    assert private_key.private_bytes_raw() == seed
    expected = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    assert public_multikey(private_key.public_key()) == public_multikey(expected)

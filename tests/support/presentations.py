"""Holder-side helpers: a holder's did:key and a presentation signed by it (the holder
proof of VCDM 2.0 / Data Integrity, purpose ``authentication``)."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.formats import dataintegrity
from registry.core.formats.multibase import multibase_encode_base58btc
from registry.core.formats.multikey import did_key, did_key_verification_method

VC_V2 = "https://www.w3.org/ns/credentials/v2"


def holder_key(seed: int = 7) -> Ed25519PrivateKey:
    """A fixed holder key (tests are repeatable)."""
    return Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)


def holder_did(key: Ed25519PrivateKey) -> str:
    """The holder's did:key."""
    return did_key(key.public_key())


def presentation(credentials: list[dict[str, Any]], holder: str | None = None) -> dict[str, Any]:
    """An unsigned presentation of these credentials."""
    vp: dict[str, Any] = {
        "@context": [VC_V2],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": credentials,
    }
    if holder is not None:
        vp["holder"] = holder
    return vp


def sign_presentation(
    vp: dict[str, Any],
    key: Ed25519PrivateKey,
    *,
    challenge: str | None = None,
    domain: str | None = None,
    purpose: str = "authentication",
    created: str = "2026-12-01T00:00:00Z",
) -> dict[str, Any]:
    """``vp`` with an eddsa-jcs-2022 holder proof by ``key`` for this challenge and domain."""
    unsecured = dataintegrity.unsecured_document(vp)
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": created,
        "verificationMethod": did_key_verification_method(key.public_key()),
        "proofPurpose": purpose,
        "@context": unsecured["@context"],
    }
    if challenge is not None:
        proof["challenge"] = challenge
    if domain is not None:
        proof["domain"] = domain
    signature = key.sign(dataintegrity.proof_hash_data(proof, unsecured))
    proof["proofValue"] = multibase_encode_base58btc(signature)
    return {**unsecured, "proof": proof}

"""Is what a verifier was shown the very record a store issued?

The registry holds every record it signed. A presented QR or credential is that record only
when the record id, the issuer and the issuer's signature all match what is stored; the
signature is compared because Ed25519 signatures are deterministic, so the same key signs
the same content one way only. A copy signed by another key, or altered and signed again
(with a key that leaked), never borrows the stored record's status or facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from registry.core.errors import RegistryError
from registry.core.formats import cose, dataintegrity, qrcontainer
from registry.core.trust.model import Presented


@lru_cache(maxsize=8192)
def qr_signature(payload: str) -> bytes | None:
    """The COSE signature of a stored QR payload (stored payloads never change, so the
    answer is cached), or ``None`` if it cannot be read."""
    try:
        raw = qrcontainer.decode_payload(qrcontainer.payload_from_text(payload))
        return cose.decode_sign1(raw).signature
    except RegistryError:
        return None


def credential_signatures(document: Mapping[str, Any]) -> frozenset[bytes]:
    """The signatures of every proof on a stored credential."""
    try:
        proofs = dataintegrity.proofs_of(document)
    except RegistryError:
        return frozenset()
    found = (dataintegrity.proof_signature(proof) for proof in proofs)
    return frozenset(signature for signature in found if signature is not None)


def is_issued(
    presented: Presented,
    *,
    stored_issuer: str,
    claimed_issuer: str,
    stored_qr_payload: str,
    stored_document: Mapping[str, Any] | None,
) -> bool:
    """Does the presented record match the stored one: same issuer, same signature?"""
    if stored_issuer != claimed_issuer:
        return False
    if presented.source == "qr":
        return qr_signature(stored_qr_payload) == presented.signature
    if stored_document is None:
        return False
    return presented.signature in credential_signatures(stored_document)


__all__ = ["credential_signatures", "is_issued", "qr_signature"]

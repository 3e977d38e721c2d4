"""A credential from outside the registry (signed with a did:key), naming organisations by
USCC: what a partner may hand in for verification."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.formats import dataintegrity
from registry.core.formats.jsonld import EXAMPLES_V2_CONTEXT
from registry.core.formats.multikey import did_key, did_key_verification_method
from registry.core.records.credential import VC_V2_CONTEXT


def did_key_credential(subject: dict[str, Any]) -> dict[str, Any]:
    """A VC 2.0 credential about ``subject``, signed now with a fresh did:key.

    Its terms are defined by the W3C examples context (a partner's own vocabulary would do
    the same): a verifier refuses properties no context defines (``VC_TERM_UNDEFINED``).
    """
    key = Ed25519PrivateKey.generate()
    now = datetime.now(UTC).replace(microsecond=0)
    document = {
        "@context": [VC_V2_CONTEXT, EXAMPLES_V2_CONTEXT],
        "type": ["VerifiableCredential"],
        "issuer": did_key(key.public_key()),
        "validFrom": (now - timedelta(days=1)).isoformat().replace("+00:00", "Z"),
        "credentialSubject": subject,
    }
    options = dataintegrity.ProofOptions(
        did_key_verification_method(key.public_key()), now - timedelta(minutes=1)
    )
    return dataintegrity.add_proof(document, key, options)

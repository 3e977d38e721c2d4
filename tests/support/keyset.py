"""The committed test-only keyset (keys/test/test-keyset.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEYSET = Path(__file__).resolve().parents[2] / "keys" / "test" / "test-keyset.json"


@cache
def test_keyset() -> dict[str, Ed25519PrivateKey]:
    """Issuer USCC -> private key, for the demo issuers (TEST ONLY)."""
    document = json.loads(KEYSET.read_text(encoding="utf-8"))
    return {
        uscc: Ed25519PrivateKey.from_private_bytes(bytes.fromhex(raw))
        for uscc, raw in document["keys"].items()
    }

"""Loader for the COSE working-group examples copied under ``tests/vectors/cose-wg-examples/``.

See ``tests/vectors/cose-wg-examples/PROVENANCE.md``. The JSON files name headers and
algorithms by their JOSE-style names; this module turns them into COSE labels and values
and turns the JWK-style keys into ``cryptography`` key objects.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey, Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

COSE_VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "cose-wg-examples"

HEADER_LABELS = {"alg": 1, "ctyp": 3, "kid": 4}
ALGORITHMS = {"EdDSA": -8, "ES256": -7, "ES384": -35, "ES512": -36}


@dataclass(frozen=True)
class CoseVector:
    """One example file: its input, the expected Sig_structure bytes and the expected CBOR."""

    name: str
    title: str
    fail: bool
    plaintext: bytes
    layer: dict[str, Any]  # input["sign0"], input["mac0"], input["encrypted"] or input["sign"]
    failures: dict[str, Any]
    to_be_signed: bytes | None
    cbor: bytes

    @property
    def key(self) -> dict[str, Any]:
        """The signer's JWK-style key (first signer for a COSE_Sign)."""
        if "key" in self.layer:
            return dict(self.layer["key"])
        return dict(self.layer["signers"][0]["key"])

    @property
    def external_aad(self) -> bytes:
        """The externally supplied data, empty unless the case sets ``external``."""
        return bytes.fromhex(self.layer.get("external", ""))


def load(name: str) -> CoseVector:
    """Load ``name`` (a path such as ``sign1-tests/sign-pass-01.json``) from the vector set."""
    raw = json.loads((COSE_VECTORS / name).read_text(encoding="utf-8"))
    given = raw["input"]
    if "plaintext_hex" in given:
        plaintext = bytes.fromhex(given["plaintext_hex"])
    else:
        plaintext = given["plaintext"].encode("utf-8")
    layer_name = next(k for k in ("sign0", "sign", "mac0", "encrypted") if k in given)
    to_be_signed = raw["intermediates"].get("ToBeSign_hex")
    return CoseVector(
        name=name,
        title=raw["title"],
        fail=bool(raw.get("fail", False)),
        plaintext=plaintext,
        layer=given[layer_name],
        failures=dict(given.get("failures", {})),
        to_be_signed=bytes.fromhex(to_be_signed) if to_be_signed else None,
        cbor=bytes.fromhex(raw["output"]["cbor"]),
    )


def names(folder: str) -> list[str]:
    """The vector files of one folder (``sign1-tests``, ``CWT`` …), sorted."""
    return sorted(f"{folder}/{path.name}" for path in (COSE_VECTORS / folder).glob("*.json"))


def headers(spec: dict[str, Any]) -> dict[int, Any]:
    """Turn ``{"alg": "EdDSA", "ctyp": 0, "kid": "11"}`` into COSE labels and values."""
    result: dict[int, Any] = {}
    for name, value in spec.items():
        if name == "alg":
            result[HEADER_LABELS[name]] = ALGORITHMS[value]
        elif name == "kid":
            result[HEADER_LABELS[name]] = value.encode("utf-8")
        else:
            result[HEADER_LABELS[name]] = value
    return result


def _coordinate(key: dict[str, Any], name: str) -> bytes:
    if f"{name}_hex" in key:
        return bytes.fromhex(key[f"{name}_hex"])
    text = key[name]
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def eddsa_private_key(key: dict[str, Any]) -> Ed25519PrivateKey | Ed448PrivateKey:
    """The OKP private key of a vector (Ed25519 or Ed448)."""
    secret = _coordinate(key, "d")
    if key["crv"] == "Ed25519":
        return Ed25519PrivateKey.from_private_bytes(secret)
    assert key["crv"] == "Ed448"
    return Ed448PrivateKey.from_private_bytes(secret)


def eddsa_public_key(key: dict[str, Any]) -> Ed25519PublicKey | Ed448PublicKey:
    """The OKP public key of a vector, from its ``x`` value."""
    public = _coordinate(key, "x")
    if key["crv"] == "Ed25519":
        return Ed25519PublicKey.from_public_bytes(public)
    assert key["crv"] == "Ed448"
    return Ed448PublicKey.from_public_bytes(public)


def ec_public_key(key: dict[str, Any]) -> ec.EllipticCurvePublicKey:
    """The EC2 public key of a vector, from its ``x`` and ``y`` coordinates."""
    curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}
    numbers = ec.EllipticCurvePublicNumbers(
        int.from_bytes(_coordinate(key, "x"), "big"),
        int.from_bytes(_coordinate(key, "y"), "big"),
        curve[key["crv"]],
    )
    return numbers.public_key()

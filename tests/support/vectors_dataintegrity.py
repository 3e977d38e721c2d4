"""Loaders for the Data Integrity and JCS vectors copied under ``tests/vectors/``.

See ``tests/vectors/vc-di-eddsa/PROVENANCE.md`` and ``tests/vectors/jcs-rfc8785/PROVENANCE.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).resolve().parent.parent / "vectors"
EDDSA_VECTORS = VECTORS / "vc-di-eddsa" / "TestVectors"
JCS_SUITE = EDDSA_VECTORS / "eddsa-jcs-2022"
RDFC_SUITE = EDDSA_VECTORS / "eddsa-rdfc-2022"
PROOF_SET_CHAIN = EDDSA_VECTORS / "proof-set-chain"
JCS_TESTDATA = VECTORS / "jcs-rfc8785" / "testdata"


def load_json(path: Path) -> Any:
    """A vector file parsed as JSON (UTF-8)."""
    return json.loads(path.read_text(encoding="utf-8"))


def load_text(path: Path) -> str:
    """A vector text file, exactly as stored (the files carry no trailing newline)."""
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class KeyPairVector:
    """An Ed25519 key pair as the W3C vectors give it: two Multikey strings."""

    name: str
    public_multikey: str
    private_multikey: str


def key_pair() -> KeyPairVector:
    """``keyPair.json``: the key of the eddsa-jcs-2022 vectors."""
    raw = load_json(EDDSA_VECTORS / "keyPair.json")
    return KeyPairVector("keyPair", raw["publicKeyMultibase"], raw["privateKeyMultibase"])


def multi_key_pairs() -> list[KeyPairVector]:
    """``proof-set-chain/multiKeyPairs.json``: the four signers of the proof-set vectors."""
    raw = load_json(PROOF_SET_CHAIN / "multiKeyPairs.json")
    return [
        KeyPairVector(name, pair["publicKeyMultibase"], pair["privateKeyMultibase"])
        for name, pair in raw.items()
    ]


@dataclass(frozen=True)
class JcsSuiteVector:
    """Everything ``TestVectors/eddsa-jcs-2022/`` gives for the signing of ``unsigned.json``."""

    unsigned: dict[str, Any]
    proof_config: dict[str, Any]
    canonical_document: str
    canonical_proof_config: str
    document_hash_hex: str
    proof_hash_hex: str
    combined_hash_hex: str
    signature_hex: str
    proof_value: str
    signed: dict[str, Any]


def jcs_suite() -> JcsSuiteVector:
    """The eddsa-jcs-2022 vector set."""
    return JcsSuiteVector(
        unsigned=load_json(EDDSA_VECTORS / "unsigned.json"),
        proof_config=load_json(JCS_SUITE / "proofConfigJCS.json"),
        canonical_document=load_text(JCS_SUITE / "canonDocJCS.txt"),
        canonical_proof_config=load_text(JCS_SUITE / "proofCanonJCS.txt"),
        document_hash_hex=load_text(JCS_SUITE / "docHashJCS.txt"),
        proof_hash_hex=load_text(JCS_SUITE / "proofHashJCS.txt"),
        combined_hash_hex=load_text(JCS_SUITE / "combinedHashJCS.txt"),
        signature_hex=load_text(JCS_SUITE / "sigHexJCS.txt"),
        proof_value=load_text(JCS_SUITE / "sigBTC58JCS.txt"),
        signed=load_json(JCS_SUITE / "signedJCS.json"),
    )


def rdfc_suite() -> JcsSuiteVector:
    """The eddsa-rdfc-2022 vector set (same fields; the canonical forms are N-Quads)."""
    return JcsSuiteVector(
        unsigned=load_json(EDDSA_VECTORS / "unsigned.json"),
        proof_config=load_json(RDFC_SUITE / "proofConfigDataInt.json"),
        canonical_document=load_text(RDFC_SUITE / "canonDocDataInt.txt"),
        canonical_proof_config=load_text(RDFC_SUITE / "proofCanonDataInt.txt"),
        document_hash_hex=load_text(RDFC_SUITE / "docHashDataInt.txt"),
        proof_hash_hex=load_text(RDFC_SUITE / "proofHashDataInt.txt"),
        combined_hash_hex=load_text(RDFC_SUITE / "combinedHashDataInt.txt"),
        signature_hex=load_text(RDFC_SUITE / "sigHexDataInt.txt"),
        proof_value=load_text(RDFC_SUITE / "sigBTC58DataInt.txt"),
        signed=load_json(RDFC_SUITE / "signedDataInt.json"),
    )


def proof_set_file(name: str) -> Any:
    """One JSON file of ``proof-set-chain/`` by file name."""
    return load_json(PROOF_SET_CHAIN / name)


@dataclass(frozen=True)
class JcsCase:
    """One RFC 8785 test case: input JSON text and the canonical bytes it must give."""

    name: str
    input_text: str
    expected: bytes
    expected_hex: bytes


def jcs_cases() -> list[JcsCase]:
    """Every ``testdata/input/*.json`` with its ``output/`` bytes and ``outhex/`` hex."""
    cases = []
    for source in sorted((JCS_TESTDATA / "input").glob("*.json")):
        hex_text = (JCS_TESTDATA / "outhex" / f"{source.stem}.txt").read_text(encoding="ascii")
        cases.append(
            JcsCase(
                name=source.stem,
                input_text=source.read_text(encoding="utf-8"),
                expected=(JCS_TESTDATA / "output" / source.name).read_bytes(),
                expected_hex=bytes.fromhex("".join(hex_text.split())),
            )
        )
    return cases

"""Signed tree heads of the transparency log: the registry's signed statement that the log
holds ``treeSize`` leaves whose RFC 9162 tree hash is ``rootHash``.

Format, version 1: a JSON object, secured with a W3C Data Integrity proof (cryptosuite
``eddsa-jcs-2022``: Ed25519 over the RFC 8785 canonical form) by the registry's log key::

    {
      "type": "TreeHead",
      "version": 1,
      "log": "<base>/log",
      "treeSize": 42,
      "rootHash": "<base64 of 32 bytes>",
      "timestamp": "2026-01-02T03:04:05Z",
      "logKey": {"id": "<base>/log/keys#<kid>", "type": "Multikey",
                 "publicKeyMultibase": "z6Mk..."},
      "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
                "created": "<timestamp>", "verificationMethod": "<logKey.id>",
                "proofPurpose": "assertionMethod", "proofValue": "z..."}
    }

``logKey`` lets a partner pin the key on first use; a head verifies only against a key the
reader already trusts, never against the key it carries. Hashes travel as standard base64,
as in the RFC 6962 JSON API.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from registry.core.errors import RegistryError, invalid
from registry.core.formats import dataintegrity
from registry.core.formats.merkle import HASH_SIZE
from registry.core.formats.timefmt import format_instant, parse_instant

HEAD_TYPE = "TreeHead"
HEAD_VERSION = 1
_MAX_TREE_SIZE = 2**63 - 1


def log_url(base: str) -> str:
    """The log's identifier under a registry's base URL."""
    return f"{base}/log"


def log_keys_url(base: str) -> str:
    """Where the log's public keys are published; key ids are fragments of it."""
    return f"{base}/log/keys"


def encode_hash(value: bytes) -> str:
    """A hash (or leaf) as standard base64."""
    return base64.b64encode(value).decode("ascii")


def decode_bytes(text: object, field: str) -> bytes:
    """Strict standard base64 to bytes; ``TREE_DATA_MALFORMED`` if it is not."""
    if not isinstance(text, str):
        raise malformed_data(field)
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise malformed_data(field) from None


def decode_hash(text: object, field: str) -> bytes:
    """A base64 SHA-256 value; anything else is ``TREE_DATA_MALFORMED``."""
    value = decode_bytes(text, field)
    if len(value) != HASH_SIZE:
        raise malformed_data(field)
    return value


def malformed_data(field: str) -> RegistryError:
    return invalid(
        "TREE_DATA_MALFORMED",
        f"透明日志数据格式错误：{field}",
        f"malformed transparency-log data: {field}",
    )


@dataclass(frozen=True)
class LogKey:
    """A public key of the log, with its id (hex of 8 bytes) and Multikey form."""

    kid: str
    public_key: Ed25519PublicKey
    multikey: str


@dataclass(frozen=True)
class TreeHead:
    """A verified tree head: size, root, time, the key that signed it, and the document."""

    size: int
    root: bytes
    timestamp: datetime
    kid: str
    document: Mapping[str, Any]


def sign_tree_head(
    base: str,
    *,
    size: int,
    root: bytes,
    at: datetime,
    key: LogKey,
    private_key: Ed25519PrivateKey,
) -> dict[str, Any]:
    """The signed head document for a tree of ``size`` leaves and ``root`` at time ``at``."""
    method = f"{log_keys_url(base)}#{key.kid}"
    unsigned = {
        "type": HEAD_TYPE,
        "version": HEAD_VERSION,
        "log": log_url(base),
        "treeSize": size,
        "rootHash": encode_hash(root),
        "timestamp": format_instant(at),
        "logKey": {"id": method, "type": "Multikey", "publicKeyMultibase": key.multikey},
    }
    options = dataintegrity.ProofOptions(verification_method=method, created=at)
    return dataintegrity.add_proof(unsigned, private_key, options)


def _size(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _MAX_TREE_SIZE:
        raise malformed_data("treeSize")
    return value


def read_tree_head(document: object, trusted: Mapping[str, Ed25519PublicKey]) -> TreeHead:
    """Check a head's form and its signature by one of the ``trusted`` keys (kid -> key).

    Codes: ``TREE_HEAD_MALFORMED``, ``TREE_HEAD_KEY_NOT_TRUSTED``,
    ``TREE_HEAD_SIGNATURE_INVALID``.
    """
    if not isinstance(document, Mapping):
        raise _headmalformed_data("not an object", "不是对象")
    if document.get("type") != HEAD_TYPE or document.get("version") != HEAD_VERSION:
        raise _headmalformed_data("unknown type or version", "类型或版本未知")
    proof = document.get("proof")
    method = proof.get("verificationMethod") if isinstance(proof, Mapping) else None
    if not isinstance(method, str) or "#" not in method:
        raise _headmalformed_data("no verification method", "缺少验证方法")
    key_info = document.get("logKey")
    if not isinstance(key_info, Mapping) or key_info.get("id") != method:
        raise _headmalformed_data("logKey does not name the signing key", "logKey 与签名密钥不符")
    kid = method.rsplit("#", 1)[1]
    key = trusted.get(kid)
    if key is None:
        raise RegistryError(
            "TREE_HEAD_KEY_NOT_TRUSTED",
            f"树头由未固定的日志密钥 {kid} 签名",
            f"the tree head is signed by log key {kid}, which is not pinned",
        )
    results = dataintegrity.verify_proofs(document, lambda _method: key)
    if len(results) != 1 or not results[0].ok:
        code = results[0].code if results else "PROOF_MISSING"
        raise RegistryError(
            "TREE_HEAD_SIGNATURE_INVALID",
            f"树头签名无效（{code}）",
            f"the tree head's signature is not valid ({code})",
        )
    try:
        timestamp = parse_instant(document.get("timestamp"), "timestamp")
    except RegistryError:
        raise _headmalformed_data("bad timestamp", "时间戳无效") from None
    size = _size(document.get("treeSize"))
    root = decode_hash(document.get("rootHash"), "rootHash")
    return TreeHead(size, root, timestamp, kid, document)


def _headmalformed_data(why_en: str, why_zh: str) -> RegistryError:
    return invalid(
        "TREE_HEAD_MALFORMED", f"树头格式错误：{why_zh}", f"malformed tree head: {why_en}"
    )


__all__ = [
    "HEAD_TYPE",
    "HEAD_VERSION",
    "LogKey",
    "TreeHead",
    "decode_bytes",
    "decode_hash",
    "encode_hash",
    "log_keys_url",
    "log_url",
    "malformed_data",
    "read_tree_head",
    "sign_tree_head",
]

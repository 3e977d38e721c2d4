"""W3C Data Integrity proofs with the ``eddsa-jcs-2022`` and ``eddsa-rdfc-2022`` cryptosuites.

Follows "Data Integrity EdDSA Cryptosuites v1.0", sections 3.2 (eddsa-rdfc-2022: RDF
Dataset Canonicalization of the JSON-LD, contexts served offline by ``jsonld``) and 3.3
(eddsa-jcs-2022: RFC 8785 JCS): the hash data is SHA-256 of the canonical proof
configuration followed by SHA-256 of the canonical unsecured document, signed with
Ed25519. ``ProofOptions.cryptosuite`` picks the suite by name (``signer`` too). A jointly
reviewed title carries a proof set: every member signs the same unsecured document, so
signers are independent of each other.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from registry.core.errors import RegistryError, invalid, malformed
from registry.core.formats.canonical import canonical_json, json_copy
from registry.core.formats.jsonld import OwnContext, canonical_nquads, memoised, no_own_context
from registry.core.formats.multibase import (
    MULTIBASE_BASE58BTC,
    multibase_decode,
    multibase_encode_base58btc,
)

CRYPTOSUITE = "eddsa-jcs-2022"  # the default suite: what the registry signs with
JCS_CRYPTOSUITE = CRYPTOSUITE
RDFC_CRYPTOSUITE = "eddsa-rdfc-2022"
CRYPTOSUITES = (JCS_CRYPTOSUITE, RDFC_CRYPTOSUITE)
PROOF_TYPE = "DataIntegrityProof"
ASSERTION_METHOD = "assertionMethod"
SIGNATURE_LENGTH = 64
_PROOF_VALUE_MAX_LENGTH = 100  # 'z' + base58btc of 64 bytes is at most 89 characters
_DATETIME_STAMP = re.compile(
    r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.ASCII
)


@dataclass(frozen=True)
class ProofOptions:
    """What a new proof says about itself: who signs, when, and for what purpose.

    ``created`` must be timezone-aware; it is written in UTC to the second
    (``YYYY-MM-DDTHH:MM:SSZ``), dropping any fraction. ``proof_id`` is optional.
    ``cryptosuite`` is one of ``CRYPTOSUITES``; ``own_context`` says which context URLs
    name the registry's own context (only ``eddsa-rdfc-2022`` reads contexts).
    """

    verification_method: str
    created: datetime
    proof_purpose: str = ASSERTION_METHOD
    proof_id: str | None = None
    cryptosuite: str = CRYPTOSUITE
    own_context: OwnContext = no_own_context

    def __post_init__(self) -> None:
        if not self.verification_method or not self.proof_purpose or self.proof_id == "":
            raise invalid(
                "PROOF_OPTIONS_INVALID",
                "证明选项缺少验证方法、用途或标识",
                "Proof options lack a verification method, purpose or id",
            )
        if self.cryptosuite not in CRYPTOSUITES:
            raise invalid(
                "PROOF_OPTIONS_INVALID",
                f"不支持的密码套件：{self.cryptosuite}",
                f"Unsupported cryptosuite: {self.cryptosuite}",
            )
        if self.created.tzinfo is None or self.created.utcoffset() is None:
            raise invalid(
                "PROOF_OPTIONS_INVALID",
                "证明创建时间必须带时区",
                "The proof creation time must be timezone-aware",
            )

    @property
    def created_text(self) -> str:
        """``created`` as the proof writes it: UTC, whole seconds, ``Z``."""
        return self.created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ProofResult:
    """The outcome of checking one proof, with a stable code and a bilingual message."""

    verification_method: str
    created: str | None
    ok: bool
    code: str
    message_zh: str
    message_en: str


def unsecured_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document without its ``proof``: what every member of a proof set signs."""
    return {key: value for key, value in document.items() if key != "proof"}


def canonical_hash(value: Mapping[str, Any]) -> bytes:
    """SHA-256 of the RFC 8785 canonical form of a JSON object."""
    return hashlib.sha256(canonical_json(value)).digest()


def proof_hash_data(proof_config: Mapping[str, Any], unsecured: Mapping[str, Any]) -> bytes:
    """SHA-256(JCS(proof config)) followed by SHA-256(JCS(unsecured document)): 64 bytes."""
    return canonical_hash(proof_config) + canonical_hash(unsecured)


def rdfc_hash(value: Mapping[str, Any], own_context: OwnContext = no_own_context) -> bytes:
    """SHA-256 of the RDFC-1.0 canonical N-Quads of a JSON-LD document (remembered)."""

    def compute() -> bytes:
        return hashlib.sha256(canonical_nquads(value, own_context).encode("utf-8")).digest()

    return memoised("rdfc-sha256", value, own_context, compute)


def rdfc_proof_hash_data(
    proof_config: Mapping[str, Any],
    unsecured: Mapping[str, Any],
    own_context: OwnContext = no_own_context,
) -> bytes:
    """SHA-256(RDFC(proof config)) followed by SHA-256(RDFC(unsecured document)).

    The proof configuration carries the document's ``@context`` (eddsa-rdfc-2022, 3.2.5).
    """
    config = dict(proof_config)
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    return rdfc_hash(config, own_context) + rdfc_hash(unsecured, own_context)


def proofs_of(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The proofs on a document: none, one, or the members of a proof set, in order.

    Raises ``PROOF_MALFORMED`` when ``proof`` is neither an object nor a list of objects.
    """
    proof = document.get("proof")
    if proof is None:
        return []
    members = list(proof) if isinstance(proof, list) else [proof]
    if not all(isinstance(member, Mapping) for member in members):
        raise malformed(
            "PROOF_MALFORMED",
            "proof 必须是对象或对象列表",
            "proof must be an object or a list of objects",
        )
    return members


def add_proof(
    document: Mapping[str, Any], private_key: Ed25519PrivateKey, options: ProofOptions
) -> dict[str, Any]:
    """A new document carrying a proof by ``private_key`` in ``options.cryptosuite``.

    An unproven document gets one proof object; a proven one gets a proof set (a list),
    the new member signing the unsecured document just as the existing ones did. An
    ``eddsa-jcs-2022`` proof repeats the document's ``@context``; an ``eddsa-rdfc-2022``
    one does not (as in the W3C vectors). Raises ``RegistryError`` (``JSONLD_*``) when
    an rdfc document cannot be canonicalised.
    """
    existing = proofs_of(document)
    unsecured = json_copy(unsecured_document(document))
    proof: dict[str, Any] = {"type": PROOF_TYPE}
    if options.proof_id is not None:
        proof["id"] = options.proof_id
    proof["cryptosuite"] = options.cryptosuite
    proof["created"] = options.created_text
    proof["verificationMethod"] = options.verification_method
    proof["proofPurpose"] = options.proof_purpose
    if options.cryptosuite == RDFC_CRYPTOSUITE:
        hash_data = rdfc_proof_hash_data(proof, unsecured, options.own_context)
    else:
        if "@context" in unsecured:
            proof["@context"] = json_copy(unsecured["@context"])
        hash_data = proof_hash_data(proof, unsecured)
    signature = private_key.sign(hash_data)
    proof["proofValue"] = multibase_encode_base58btc(signature)
    secured = dict(unsecured)
    members = [json_copy(dict(member)) for member in existing]
    secured["proof"] = [*members, proof] if existing else proof
    return secured


def add_proof_jcs(
    document: Mapping[str, Any], private_key: Ed25519PrivateKey, options: ProofOptions
) -> dict[str, Any]:
    """``add_proof`` with the ``eddsa-jcs-2022`` suite, whatever ``options`` name."""
    return add_proof(document, private_key, replace(options, cryptosuite=JCS_CRYPTOSUITE))


def add_proof_rdfc(
    document: Mapping[str, Any], private_key: Ed25519PrivateKey, options: ProofOptions
) -> dict[str, Any]:
    """``add_proof`` with the ``eddsa-rdfc-2022`` suite, whatever ``options`` name."""
    return add_proof(document, private_key, replace(options, cryptosuite=RDFC_CRYPTOSUITE))


Signer = Callable[[Mapping[str, Any], Ed25519PrivateKey, ProofOptions], dict[str, Any]]
SIGNERS: Mapping[str, Signer] = {
    JCS_CRYPTOSUITE: add_proof_jcs,
    RDFC_CRYPTOSUITE: add_proof_rdfc,
}


def signer(cryptosuite: str) -> Signer:
    """The sign function of a cryptosuite by name; ``PROOF_UNSUPPORTED_CRYPTOSUITE`` else."""
    found = SIGNERS.get(cryptosuite)
    if found is None:
        raise invalid(
            "PROOF_UNSUPPORTED_CRYPTOSUITE",
            f"不支持的密码套件，仅支持 {'、'.join(CRYPTOSUITES)}",
            f"Unsupported cryptosuite; only {', '.join(CRYPTOSUITES)} are supported",
        )
    return found


def verify_proofs(
    document: Mapping[str, Any],
    resolve_key: Callable[[str], Ed25519PublicKey],
    own_context: OwnContext = no_own_context,
) -> list[ProofResult]:
    """Check every proof on a document; one result per proof, in order, never raising.

    ``resolve_key`` maps a verification method id to its key and may raise ``RegistryError``
    (reported as ``PROOF_KEY_UNRESOLVED``). An empty list means the document has no proof.
    ``own_context`` says which context URLs name the registry's own context (rdfc only).
    """
    proof = document.get("proof")
    if proof is None:
        return []
    members: list[object] = list(proof) if isinstance(proof, list) else [proof]
    unsecured = unsecured_document(document)
    return [_verify_one(member, unsecured, resolve_key, own_context) for member in members]


_Problem = tuple[str, str, str]  # code, Chinese message, English message
_MALFORMED = "PROOF_MALFORMED"


def _result(proof: object, problem: _Problem | None) -> ProofResult:
    method = proof.get("verificationMethod") if isinstance(proof, Mapping) else None
    created = proof.get("created") if isinstance(proof, Mapping) else None
    code, zh, en = problem or ("PROOF_VALID", "证明有效", "The proof is valid")
    return ProofResult(
        verification_method=method if isinstance(method, str) else "",
        created=created if isinstance(created, str) else None,
        ok=problem is None,
        code=code,
        message_zh=zh,
        message_en=en,
    )


def _decode_signature(proof_value: object) -> bytes | None:
    if not isinstance(proof_value, str) or not proof_value.startswith(MULTIBASE_BASE58BTC):
        return None
    if len(proof_value) > _PROOF_VALUE_MAX_LENGTH:
        return None
    try:
        signature = multibase_decode(proof_value)
    except RegistryError:
        return None
    return signature if len(signature) == SIGNATURE_LENGTH else None


def proof_signature(proof: Mapping[str, Any]) -> bytes | None:
    """The 64 signature bytes a proof's ``proofValue`` carries, or ``None`` if malformed."""
    return _decode_signature(proof.get("proofValue"))


def _bad_created(created: object) -> bool:
    if created is None:
        return False
    return not (isinstance(created, str) and _DATETIME_STAMP.fullmatch(created))


def _bad_method(method: object) -> bool:
    return not isinstance(method, str) or not method


_Rule = tuple[Callable[[Mapping[str, Any], Mapping[str, Any]], bool], _Problem]

# Checked in order; the first rule a proof breaks is its result (fail closed).
_RULES: tuple[_Rule, ...] = (
    (
        lambda proof, _: proof.get("type") != PROOF_TYPE,
        (
            "PROOF_UNSUPPORTED_TYPE",
            f"不支持的证明类型，仅支持 {PROOF_TYPE}",
            f"Unsupported proof type; only {PROOF_TYPE} is supported",
        ),
    ),
    (
        lambda proof, _: proof.get("cryptosuite") not in CRYPTOSUITES,
        (
            "PROOF_UNSUPPORTED_CRYPTOSUITE",
            f"不支持的密码套件，仅支持 {'、'.join(CRYPTOSUITES)}",
            f"Unsupported cryptosuite; only {', '.join(CRYPTOSUITES)} are supported",
        ),
    ),
    (
        lambda proof, _: _bad_method(proof.get("verificationMethod")),
        (
            _MALFORMED,
            "证明格式错误：缺少验证方法",
            "Malformed proof: verificationMethod is missing",
        ),
    ),
    (
        lambda proof, _: _bad_created(proof.get("created")),
        (
            _MALFORMED,
            "证明格式错误：创建时间不是带时区的日期时间",
            "Malformed proof: created is not a dateTimeStamp",
        ),
    ),
    (
        lambda proof, _: _decode_signature(proof.get("proofValue")) is None,
        (
            _MALFORMED,
            "证明格式错误：proofValue 不是 base58btc 编码的 64 字节签名",
            "Malformed proof: proofValue is not a base58btc 64-byte signature",
        ),
    ),
    (
        lambda proof, _: proof.get("proofPurpose") != ASSERTION_METHOD,
        (
            "PROOF_PURPOSE_MISMATCH",
            f"证明用途必须是 {ASSERTION_METHOD}",
            f"The proof purpose must be {ASSERTION_METHOD}",
        ),
    ),
    (
        lambda proof, _: "previousProof" in proof,
        (
            "PROOF_CHAIN_UNSUPPORTED",
            "不支持证明链（previousProof），仅支持证明集",
            "Proof chains (previousProof) are not supported, only proof sets",
        ),
    ),
    (
        lambda proof, _: "expires" in proof,
        (
            "PROOF_EXPIRES_UNSUPPORTED",
            "不支持带有效期（expires）的证明",
            "Proofs with an expiry (expires) are not supported",
        ),
    ),
    (
        lambda proof, unsecured: "@context" in proof and _context_differs(proof, unsecured),
        (
            "PROOF_CONTEXT_MISMATCH",
            "证明的 @context 与文档的不一致",
            "The proof's @context differs from the document's",
        ),
    ),
)


def _context_differs(proof: Mapping[str, Any], unsecured: Mapping[str, Any]) -> bool:
    """jcs: the proof's ``@context`` is the document's; rdfc: the document's starts with it."""
    mine, theirs = proof["@context"], unsecured.get("@context")
    if proof.get("cryptosuite") == RDFC_CRYPTOSUITE:
        mine = mine if isinstance(mine, list) else [mine]
        theirs = theirs if isinstance(theirs, list) else [theirs]
        return not mine or theirs[: len(mine)] != mine
    return bool(mine != theirs)


def _rdfc_signed_bytes(
    config: Mapping[str, Any], unsecured: Mapping[str, Any], own_context: OwnContext
) -> bytes | _Problem:
    try:
        return rdfc_proof_hash_data(config, unsecured, own_context)
    except RegistryError as error:
        return (
            "PROOF_DOCUMENT_NOT_CANONICALIZABLE",
            f"文档无法按 RDFC-1.0 规范化（{error.code}）",
            f"The document cannot be canonicalised under RDFC-1.0 ({error.code})",
        )


def _signed_bytes(
    proof: Mapping[str, Any], unsecured: Mapping[str, Any], own_context: OwnContext
) -> bytes | _Problem:
    """The hash data the proof's signature must cover, or why it cannot be computed."""
    config = {name: value for name, value in proof.items() if name != "proofValue"}
    if proof.get("cryptosuite") == RDFC_CRYPTOSUITE:
        return _rdfc_signed_bytes(config, unsecured, own_context)
    try:
        config_hash = canonical_hash(config)
    except RegistryError:
        return (
            _MALFORMED,
            "证明格式错误：证明配置无法规范化",
            "Malformed proof: the proof configuration cannot be canonicalised",
        )
    try:
        return config_hash + canonical_hash(unsecured)
    except RegistryError:
        return (
            "PROOF_DOCUMENT_NOT_CANONICALIZABLE",
            "文档无法按 RFC 8785 规范化",
            "The document cannot be canonicalised under RFC 8785",
        )


def _verify_one(
    proof: object,
    unsecured: Mapping[str, Any],
    resolve_key: Callable[[str], Ed25519PublicKey],
    own_context: OwnContext,
) -> ProofResult:
    """Steps of "Verify Proof" (either suite), failing closed at the first problem."""
    if not isinstance(proof, Mapping):
        return _result(
            proof, (_MALFORMED, "证明格式错误：不是对象", "Malformed proof: not an object")
        )
    for broken, problem in _RULES:
        if broken(proof, unsecured):
            return _result(proof, problem)
    try:
        key = resolve_key(proof["verificationMethod"])
    except RegistryError as error:
        return _result(
            proof,
            (
                "PROOF_KEY_UNRESOLVED",
                f"无法取得验证方法的公钥（{error.code}）",
                f"The verification method's key could not be resolved ({error.code})",
            ),
        )
    hash_data = _signed_bytes(proof, unsecured, own_context)
    if isinstance(hash_data, tuple):
        return _result(proof, hash_data)
    try:
        key.verify(_decode_signature(proof["proofValue"]) or b"", hash_data)
    except InvalidSignature:
        return _result(
            proof, ("PROOF_SIGNATURE_INVALID", "签名无效", "The signature does not verify")
        )
    return _result(proof, None)


__all__ = [
    "CRYPTOSUITE",
    "CRYPTOSUITES",
    "JCS_CRYPTOSUITE",
    "RDFC_CRYPTOSUITE",
    "SIGNERS",
    "ProofOptions",
    "ProofResult",
    "Signer",
    "add_proof",
    "add_proof_jcs",
    "add_proof_rdfc",
    "canonical_hash",
    "proof_hash_data",
    "proof_signature",
    "proofs_of",
    "rdfc_hash",
    "rdfc_proof_hash_data",
    "signer",
    "unsecured_document",
    "verify_proofs",
]

"""Verifiable presentations (VCDM 2.0 §4.13): the presentation's own shape and its holder
proof, checked with the challenge and domain the verifier asked for.

The holder proof is a ``DataIntegrityProof`` (``eddsa-jcs-2022`` or ``eddsa-rdfc-2022``), purpose
``authentication``, by a ``did:key`` verification method; when the presentation names a
``holder``, the method must belong to it. A presentation without a proof is accepted only
when the verifier asked for no challenge (nothing then binds it to this exchange). The
credentials it holds are verified one by one, as ``/credentials/verify`` does, by the
caller of this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature

from registry.core.errors import RegistryError, invalid, malformed
from registry.core.formats import dataintegrity, jsonld, multikey
from registry.core.formats.timefmt import parse_instant
from registry.core.records.credential import VC_V2_CONTEXT

VP_TYPE = "VerifiablePresentation"
AUTHENTICATION = "authentication"
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
DID_KEY = "did:key:"


@dataclass(frozen=True)
class HolderProof:
    """What the holder proof showed: who signed, and for which challenge and domain."""

    verification_method: str | None
    challenge: str | None
    domain: str | list[str] | None
    created: str | None

    @property
    def present(self) -> bool:
        """Did the presentation carry a proof at all?"""
        return self.verification_method is not None


@dataclass(frozen=True)
class CheckedPresentation:
    """A presentation whose shape and holder proof hold: the credentials it holds, its
    holder (when named) and its proof."""

    credentials: tuple[Any, ...]
    holder: str | None
    proof: HolderProof


def _refused(code: str, zh: str, en: str) -> RegistryError:
    return invalid(code, zh, en)


def _holder_id(document: Mapping[str, Any]) -> str | None:
    holder = document.get("holder")
    if holder is None:
        return None
    named = holder.get("id") if isinstance(holder, Mapping) else holder
    if not isinstance(named, str) or ":" not in named:
        raise _refused(
            "PRESENTATION_HOLDER_INVALID",
            "holder 必须是 URL 或带 URL id 的对象",
            "holder must be a URL or an object with a URL id",
        )
    return named


def _credentials(document: Mapping[str, Any]) -> tuple[Any, ...]:
    held = document.get("verifiableCredential", [])
    items = held if isinstance(held, list) else [held]
    if not all(isinstance(item, Mapping) for item in items):
        raise _refused(
            "PRESENTATION_CREDENTIAL_INVALID",
            "verifiableCredential 必须是凭证对象或凭证对象的列表",
            "verifiableCredential must be a credential object or a list of them",
        )
    return tuple(items)


def check_shape(document: object) -> Mapping[str, Any]:
    """The presentation's own data model: a JSON object, the credentials v2 context first,
    type ``VerifiablePresentation``; VC 1.1 presentations are refused."""
    if not isinstance(document, Mapping):
        raise malformed(
            "PRESENTATION_MALFORMED",
            "可验证表述必须是 JSON 对象",
            "a verifiable presentation must be a JSON object",
        )
    context = document.get("@context")
    if isinstance(context, list) and VC_V1_CONTEXT in context:
        raise _refused(
            "VC_V1_UNSUPPORTED",
            "不支持 VC 1.1 表述（credentials/v1 上下文），请使用 VC 2.0 数据模型",
            "VC 1.1 presentations (the credentials/v1 context) are not supported: use the "
            "VC Data Model 2.0",
        )
    if not isinstance(context, list) or not context or context[0] != VC_V2_CONTEXT:
        raise _refused(
            "PRESENTATION_CONTEXT_INVALID",
            "表述的 @context 必须是以 VC 2.0 上下文开头的列表",
            f"the presentation's @context must be a list starting with {VC_V2_CONTEXT}",
        )
    types = document.get("type")
    names = [types] if isinstance(types, str) else types
    if not isinstance(names, list) or VP_TYPE not in names:
        raise _refused(
            "PRESENTATION_TYPE_INVALID",
            "表述的 type 必须包含 VerifiablePresentation",
            "the presentation's type must include VerifiablePresentation",
        )
    return document


def _one_proof(document: Mapping[str, Any]) -> Mapping[str, Any] | None:
    proof = document.get("proof")
    if proof is None:
        return None
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, Mapping):
        raise _refused(
            "PRESENTATION_PROOF_INVALID",
            "表述须带一个持有者证明对象",
            "a presentation carries one holder proof object",
        )
    return proof


def _require(condition: bool, code: str, zh: str, en: str) -> None:
    if not condition:
        raise _refused(code, zh, en)


def _check_proof_fields(
    proof: Mapping[str, Any], unsecured: Mapping[str, Any], holder: str | None
) -> str:
    """Every rule of the holder proof short of the signature; the verification method."""
    suites = " / ".join(dataintegrity.CRYPTOSUITES)
    _require(
        proof.get("type") == dataintegrity.PROOF_TYPE
        and proof.get("cryptosuite") in dataintegrity.CRYPTOSUITES,
        "PRESENTATION_PROOF_UNSUPPORTED",
        f"持有者证明须为 {dataintegrity.PROOF_TYPE}（{suites}）",
        f"the holder proof must be a {dataintegrity.PROOF_TYPE} ({suites})",
    )
    _require(
        proof.get("proofPurpose") == AUTHENTICATION,
        "PRESENTATION_PROOF_PURPOSE_INVALID",
        "持有者证明的用途必须是 authentication",
        "the holder proof's purpose must be authentication",
    )
    method = proof.get("verificationMethod")
    _require(
        isinstance(method, str) and method.startswith(DID_KEY),
        "PRESENTATION_METHOD_UNSUPPORTED",
        "持有者证明的验证方法必须是 did:key",
        "the holder proof's verification method must be a did:key",
    )
    assert isinstance(method, str)
    _require(
        holder is None or method.partition("#")[0] == holder,
        "HOLDER_KEY_MISMATCH",
        "持有者证明的验证方法不属于表述的 holder",
        "the holder proof's verification method does not belong to the presentation's holder",
    )
    _require(
        "@context" not in proof or _context_agrees(proof, unsecured),
        "PRESENTATION_PROOF_INVALID",
        "持有者证明的 @context 与表述的不一致",
        "the holder proof's @context differs from the presentation's",
    )
    if "created" in proof:
        try:
            parse_instant(proof["created"], "created")
        except RegistryError:
            raise _refused(
                "PRESENTATION_PROOF_INVALID",
                "持有者证明的创建时间无效",
                "the holder proof's created time is not a valid date-time",
            ) from None
    return method


def _context_agrees(proof: Mapping[str, Any], unsecured: Mapping[str, Any]) -> bool:
    """jcs: the proof's ``@context`` is the presentation's; rdfc: it starts the
    presentation's."""
    mine, theirs = proof["@context"], unsecured.get("@context")
    if proof.get("cryptosuite") == dataintegrity.RDFC_CRYPTOSUITE:
        mine = mine if isinstance(mine, list) else [mine]
        theirs = theirs if isinstance(theirs, list) else [theirs]
        return bool(mine) and theirs[: len(mine)] == mine
    return bool(mine == theirs)


def _check_exchange(proof: Mapping[str, Any], challenge: str | None, domain: str | None) -> None:
    """The proof must answer the verifier's own challenge and name its domain."""
    _require(
        challenge is None or proof.get("challenge") == challenge,
        "CHALLENGE_MISMATCH",
        "持有者证明的 challenge 与核验方给出的不一致",
        "the holder proof's challenge is not the one the verifier gave",
    )
    stated = proof.get("domain")
    domains = stated if isinstance(stated, list) else [stated]
    _require(
        domain is None or domain in domains,
        "DOMAIN_MISMATCH",
        "持有者证明的 domain 与核验方给出的不一致",
        "the holder proof's domain is not the one the verifier gave",
    )


def _check_signature(
    proof: Mapping[str, Any],
    unsecured: Mapping[str, Any],
    method: str,
    own_context: jsonld.OwnContext,
) -> None:
    signature = dataintegrity.proof_signature(proof)
    try:
        key = multikey.resolve_did_key(method)
        config = {name: value for name, value in proof.items() if name != "proofValue"}
        if proof.get("cryptosuite") == dataintegrity.RDFC_CRYPTOSUITE:
            hash_data = dataintegrity.rdfc_proof_hash_data(config, unsecured, own_context)
        else:
            hash_data = dataintegrity.proof_hash_data(config, unsecured)
        if signature is None:
            raise InvalidSignature
        key.verify(signature, hash_data)
    except (RegistryError, InvalidSignature):
        raise _refused(
            "PRESENTATION_SIGNATURE_INVALID",
            "持有者证明的签名无效",
            "the holder proof's signature does not verify",
        ) from None


def check_presentation(
    document: object,
    *,
    challenge: str | None = None,
    domain: str | None = None,
    own_context: jsonld.OwnContext = jsonld.no_own_context,
) -> CheckedPresentation:
    """Check a presentation's shape and holder proof (``eddsa-jcs-2022`` or
    ``eddsa-rdfc-2022``); raise a ``RegistryError`` (4xx) with its own code for the first
    rule it breaks. ``own_context`` names this registry's context URLs (rdfc expands the
    credentials the presentation holds)."""
    vp = check_shape(document)
    holder = _holder_id(vp)
    credentials = _credentials(vp)
    proof = _one_proof(vp)
    if proof is None:
        _require(
            challenge is None and domain is None,
            "PRESENTATION_PROOF_MISSING",
            "核验方给出了 challenge 或 domain，表述却没有持有者证明",
            "the verifier gave a challenge or domain but the presentation has no holder proof",
        )
        return CheckedPresentation(credentials, holder, HolderProof(None, None, None, None))
    unsecured = dataintegrity.unsecured_document(vp)
    method = _check_proof_fields(proof, unsecured, holder)
    _check_exchange(proof, challenge, domain)
    _check_signature(proof, unsecured, method, own_context)
    created = proof.get("created")
    return CheckedPresentation(
        credentials,
        holder,
        HolderProof(
            method,
            proof.get("challenge"),
            proof.get("domain"),
            created if isinstance(created, str) else None,
        ),
    )


__all__ = [
    "AUTHENTICATION",
    "VP_TYPE",
    "CheckedPresentation",
    "HolderProof",
    "check_presentation",
    "check_shape",
]

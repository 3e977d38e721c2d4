"""Verification of a credential document with Data Integrity proofs (eddsa-jcs-2022).

Accepts the registry's own issuers (HTTPS ids, keys resolved through the trust source)
and ``did:key`` verification methods, whose trust is cryptographic only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from registry.core.checks import Check, Outcome, check, not_checked
from registry.core.errors import RegistryError, invalid, not_found
from registry.core.formats import dataintegrity, jsonld, multikey, statuslist
from registry.core.formats.timefmt import parse_instant
from registry.core.people.privacy import mask_name
from registry.core.recognition.rules import recognition_check
from registry.core.records.credential import (
    VC_V2_CONTEXT,
    RecordFacts,
    facts_from_credential,
    issuer_id_of,
    record_type_of,
    status_entries,
)
from registry.core.records.generic import generic_facts
from registry.core.records.schemas import schema_problems
from registry.core.trust.model import (
    IssuerInfo,
    KeyInfo,
    Presented,
    RecordStatus,
    StatusSource,
    TrustSource,
    issuer_named,
)
from registry.core.verification.datamodel import check_data_model
from registry.core.verification.identifier_checks import received_uscc_check
from registry.core.verification.proofset import SignedProof, proof_set_check
from registry.core.verification.record import (
    Verification,
    VerifyRequest,
    format_failure,
    held_by_registry,
    issuer_checks,
    key_window_check,
    ordered_checks,
    status_check,
    status_of,
    validity_check,
)

DID_KEY = "did:key:"


def _require_shape_error() -> RegistryError:
    return invalid("FORMAT_INVALID", "凭证必须是 JSON 对象", "a credential must be a JSON object")


def _require_shape(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """The least a document must be for the checks below to read it (the data model's
    checks say precisely what is wrong; these only keep the reading safe)."""
    context = document.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_V2_CONTEXT:
        raise invalid(
            "FORMAT_INVALID",
            "@context 必须以 VC 2.0 上下文开头",
            "@context must start with the VC 2.0 context",
        )
    types = document.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise invalid(
            "FORMAT_INVALID",
            "type 必须包含 VerifiableCredential",
            "type must include VerifiableCredential",
        )
    subject = document.get("credentialSubject")
    subjects = subject if isinstance(subject, list) and subject else [subject]
    if issuer_id_of(document) is None or not all(isinstance(s, Mapping) for s in subjects):
        raise invalid(
            "FORMAT_INVALID",
            "缺少 issuer 或 credentialSubject",
            "issuer or credentialSubject missing",
        )
    parse_instant(document.get("validFrom", "1970-01-01T00:00:00Z"), "validFrom")
    if "validUntil" in document:
        parse_instant(document["validUntil"], "validUntil")
    return document


def own_context_of(trust: TrustSource) -> jsonld.OwnContext:
    """Context URLs that name this registry's own context: ``<base>/contexts/v1`` of a base
    the trust source vouches for (this registry's, or an imported trust list's)."""

    def own(url: str) -> bool:
        if not url.endswith(jsonld.OWN_CONTEXT_PATH):
            return False
        return trust.in_namespace(url.removesuffix(jsonld.OWN_CONTEXT_PATH) + "/issuers/")

    return own


def _shape_failure(error: RegistryError, model: list[Check]) -> Verification:
    """The answer for a document too far from a credential to check further: the format
    failure, with the data model's own findings beside it."""
    failed = format_failure("credential", error)
    first, *rest = failed.checks
    found = [c for c in model if c.outcome == Outcome.FAILED]
    return Verification("credential", (first, *found, *rest), None, None, None)


class _Resolver:
    """Resolves proof verification methods and remembers which registry keys it used."""

    def __init__(self, trust: TrustSource) -> None:
        self.trust = trust
        self.keys: dict[str, KeyInfo] = {}

    def __call__(self, method: str) -> Ed25519PublicKey:
        if method.startswith(DID_KEY):
            return multikey.resolve_did_key(method)
        key = self.trust.key_by_method(method)
        if key is None:
            raise not_found("KEY_UNKNOWN", "签名密钥未知", "signing key unknown")
        self.keys[method] = key
        return key.public_key


def verify_credential(
    document: object, trust: TrustSource, statuses: StatusSource, request: VerifyRequest
) -> Verification:
    """Verify a credential: its proofs, issuer, key windows, schema, dates and status.

    A credential is one of ours (or of a registry whose trust list is imported) only when
    its issuer id names a known issuer exactly and every proof holds, one of them by that
    issuer's own key. Only then are the record's stored status, authority and recognition
    looked up. Anything else is a foreign credential: its cryptography is checked, its
    issuer is plainly unknown, and nothing stored about any record is attached.
    """
    if not isinstance(document, Mapping):
        return format_failure("credential", _require_shape_error())
    own_context = own_context_of(trust)
    model = check_data_model(document, own_context)
    try:
        doc = _require_shape(document)
    except RegistryError as error:
        return _shape_failure(error, model)
    checks: list[Check] = [check("format", Outcome.PASSED, "FORMAT_VALID"), *model]
    resolver = _Resolver(trust)
    results = dataintegrity.verify_proofs(doc, resolver, own_context)
    record_type = record_type_of(doc)
    issuer_id = issuer_id_of(doc) or ""
    issuer = issuer_named(trust, issuer_id)
    signature, issuer_proof = _signature_check(doc, results, resolver, issuer, issuer_id)
    checks.append(signature)
    schema, facts = _schema_check(doc, record_type, results)
    checks.append(schema)
    uscc_warning = received_uscc_check(doc)
    if uscc_warning is not None:
        checks.append(uscc_warning)
    valid_from = parse_instant(doc.get("validFrom", "1970-01-01T00:00:00Z"), "validFrom")
    valid_until = parse_instant(doc["validUntil"], "validUntil") if "validUntil" in doc else None
    validity = validity_check(valid_from, valid_until, request.now)
    checks.append(validity)
    if issuer is None or issuer_proof is None:
        checks.extend(_foreign_checks(doc, issuer, issuer_id, signature, request))
        return Verification("credential", tuple(ordered_checks(checks)), None, None, None)

    if record_type is None:
        known, _ = issuer_checks(issuer, "")
        checks.append(known)
        checks.append(check("issuer_authorised", Outcome.SKIPPED, "AUTHORITY_NOT_APPLICABLE"))
    else:
        checks.extend(issuer_checks(issuer, record_type, facts))
    checks.append(_key_windows(results, resolver))
    found: RecordStatus | None = None
    status: str | None = None
    if facts is not None:
        checks.append(proof_set_check(facts, _signed_proofs(results, resolver), trust))
        found = statuses.status_of(facts, Presented("credential", issuer_proof))
        status_result = status_check(found, validity)
        status = status_of(status_result)
        checks.append(status_result)
        checks.append(recognition_check(facts, issuer, request.region, trust, request.now))
    elif "credentialStatus" in doc:  # a generic credential: its stored status, as ours
        found, status_result = _generic_status(
            doc, issuer.uscc, (issuer_proof, validity), results, statuses
        )
        status = None if found is None else status_of(status_result)
        checks.append(status_result)
        checks.append(not_checked("recognition"))
    else:
        checks.append(check("status", Outcome.SKIPPED, "STATUS_NONE"))
        checks.append(not_checked("recognition"))
    return Verification(
        "credential",
        tuple(ordered_checks(checks)),
        facts,
        issuer,
        status,
        record_held=held_by_registry(found),
    )


def _foreign_checks(
    doc: Mapping[str, Any],
    issuer: IssuerInfo | None,
    issuer_id: str,
    signature: Check,
    request: VerifyRequest,
) -> list[Check]:
    """The checks of a credential that is not (provably) one of ours: the issuer is known
    only when its id names one exactly, and then the signature is what failed; a ``did:key``
    issuer whose own key signed is reported, never trusted; anything else is unknown."""
    checks = [check("key_valid", Outcome.SKIPPED, "KEY_NOT_REGISTERED")]
    if issuer is not None:
        checks.append(check("issuer_known", Outcome.PASSED, "ISSUER_KNOWN", uscc=issuer.uscc))
        checks.append(not_checked("issuer_authorised"))
    elif issuer_id.startswith(DID_KEY) and signature.outcome == Outcome.PASSED:
        if request.known_issuers_only:
            checks.append(check("issuer_known", Outcome.FAILED, "ISSUER_NOT_TRUSTED"))
        else:
            checks.append(check("issuer_known", Outcome.WARNING, "ISSUER_NOT_IN_REGISTRY"))
        checks.append(check("issuer_authorised", Outcome.SKIPPED, "ISSUER_NOT_IN_REGISTRY"))
    else:
        checks.append(check("issuer_known", Outcome.FAILED, "ISSUER_UNKNOWN"))
        checks.append(not_checked("issuer_authorised"))
    if "credentialStatus" in doc:
        checks.append(_status_unchecked(doc))
    else:
        checks.append(check("status", Outcome.SKIPPED, "STATUS_NONE"))
    checks.append(not_checked("recognition"))
    return checks


BITSTRING_ENTRY = "BitstringStatusListEntry"


def _status_unchecked(doc: Mapping[str, Any]) -> Check:
    """The status of a credential whose status the registry does not hold.

    Entries of a type the registry cannot check (anything but a Bitstring Status List
    entry) are reported as such, a warning that does not fail the answer; a Bitstring
    entry that could not be read is "could not check".
    """
    types: list[str] = []
    for entry in status_entries(doc):
        value = entry.get("type")
        types.extend(
            t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)
        )
    if types and BITSTRING_ENTRY not in types:
        return check("status", Outcome.WARNING, "STATUS_TYPE_NOT_CHECKED", types=types)
    return status_check(None)


def _signature_check(
    doc: Mapping[str, Any],
    results: list[dataintegrity.ProofResult],
    resolver: _Resolver,
    issuer: IssuerInfo | None,
    issuer_id: str,
) -> tuple[Check, bytes | None]:
    """Every proof must hold and be by a key the issuer controls.

    For a known issuer that is its registered keys (and, in a proof set, keys of other
    known issuers: the co-reviewing bureaus); the signature of its own proof is returned,
    for the store to compare with the one it issued. For an unknown ``did:key`` issuer
    only its own key qualifies. Any other issuer cannot be shown to control any key.
    """
    proofs = [
        {
            "verificationMethod": r.verification_method,
            "created": r.created,
            "valid": r.ok,
            "code": r.code,
            "message": {"zh": r.message_zh, "en": r.message_en},
        }
        for r in results
    ]
    if not results:
        return check("signature", Outcome.FAILED, "PROOF_MISSING"), None
    if not all(r.ok for r in results):
        return check("signature", Outcome.FAILED, "SIGNATURE_INVALID", proofs=proofs), None
    methods = [r.verification_method for r in results]
    if issuer is not None:
        own = [
            member
            for member, method in zip(dataintegrity.proofs_of(doc), methods, strict=True)
            if method in resolver.keys and resolver.keys[method].issuer_uscc == issuer.uscc
        ]
        if not own or not all(method in resolver.keys for method in methods):
            return check("signature", Outcome.FAILED, "KEY_ISSUER_MISMATCH", proofs=proofs), None
        passed = check("signature", Outcome.PASSED, "SIGNATURE_VALID", proofs=proofs)
        return passed, dataintegrity.proof_signature(own[0])
    if issuer_id.startswith(DID_KEY) and all(
        method.partition("#")[0] == issuer_id for method in methods
    ):
        return check("signature", Outcome.PASSED, "SIGNATURE_VALID", proofs=proofs), None
    failed = check("signature", Outcome.FAILED, "KEY_NOT_CONTROLLED_BY_ISSUER", proofs=proofs)
    return failed, None


def _schema_check(
    doc: Mapping[str, Any], record_type: str | None, results: list[dataintegrity.ProofResult]
) -> tuple[Check, RecordFacts | None]:
    if record_type is None:
        return check("schema", Outcome.SKIPPED, "SCHEMA_NOT_APPLICABLE"), None
    unsecured = {name: value for name, value in doc.items() if name != "proof"}
    problems = schema_problems(record_type, unsecured)
    if problems:
        pointers = [p.pointer for p in problems]
        return check("schema", Outcome.FAILED, "SCHEMA_INVALID", pointers=pointers), None
    try:
        facts = _facts(doc, results)
    except RegistryError as error:
        return check("schema", Outcome.FAILED, error.code), None
    return check("schema", Outcome.PASSED, "SCHEMA_VALID"), facts


def _signed_proofs(
    results: list[dataintegrity.ProofResult], resolver: _Resolver
) -> list[SignedProof]:
    proofs = []
    for result in results:
        created: datetime | None = None
        if result.created is not None:
            try:
                created = parse_instant(result.created, "created")
            except RegistryError:
                created = None
        key = resolver.keys.get(result.verification_method)
        proofs.append(SignedProof(result.verification_method, result.ok, key, created))
    return proofs


_SEVERITY = {
    Outcome.PASSED: 0,
    Outcome.SKIPPED: 0,
    Outcome.WARNING: 1,
    Outcome.UNKNOWN: 2,
    Outcome.FAILED: 3,
}


def _key_windows(results: list[dataintegrity.ProofResult], resolver: _Resolver) -> Check:
    worst: Check | None = None
    for result in results:
        key = resolver.keys.get(result.verification_method)
        if key is None or result.created is None:
            continue
        try:
            signed_at = parse_instant(result.created, "created")
        except RegistryError:
            return check("key_valid", Outcome.FAILED, "PROOF_CREATED_INVALID")
        outcome = key_window_check(key, signed_at)
        if worst is None or _SEVERITY[outcome.outcome] > _SEVERITY[worst.outcome]:
            worst = outcome
    return worst or check("key_valid", Outcome.SKIPPED, "KEY_NOT_REGISTERED")


def _generic_status(
    doc: Mapping[str, Any],
    issuer_uscc: str,
    proof_and_validity: tuple[bytes, Check],
    results: list[dataintegrity.ProofResult],
    statuses: StatusSource,
) -> tuple[RecordStatus | None, Check]:
    """The status of a generic credential (no type of ours) by a known issuer: what the
    status source holds for the record it names, else as for any status not held here."""
    issuer_proof, validity = proof_and_validity
    for entry in status_entries(doc):
        if entry.get("type") == statuslist.ENTRY_TYPE:
            try:
                statuslist.check_entry(entry)
            except RegistryError as error:
                failed = Check(
                    "status", Outcome.FAILED, error.code, error.message_zh, error.message_en
                )
                return None, failed
    generic = _generic_facts(doc, issuer_uscc, results)
    found = statuses.status_of(generic, Presented("credential", issuer_proof)) if generic else None
    if found is None:
        return None, _status_unchecked(doc)
    return found, status_check(found, validity)


def _generic_facts(
    doc: Mapping[str, Any], issuer_uscc: str, results: list[dataintegrity.ProofResult]
) -> RecordFacts | None:
    """The lookup facts of a generic credential (no type of ours) by a known issuer."""
    created = next((r.created for r in results if r.created), None)
    try:
        issued_at = parse_instant(created or doc.get("validFrom"), "created")
    except RegistryError:
        return None
    return generic_facts(doc, issuer_uscc, issued_at)


def _facts(doc: Mapping[str, Any], results: list[dataintegrity.ProofResult]) -> RecordFacts:
    created = next((r.created for r in results if r.created), None)
    subject = doc["credentialSubject"]
    issued_at = parse_instant(created, "created") if created else None
    return facts_from_credential(doc, mask_name(str(subject.get("name", ""))), issued_at)

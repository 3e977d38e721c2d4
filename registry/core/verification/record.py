"""Verification of a record, from its QR payload or its credential: every check reported.

Follows DESIGN.md's list: format, signature, issuer known, key valid at issuance, issuer
authorised, schema, validity period (5 minutes of skew), status, recognition. The answer
is never a bare boolean; ``verified`` is true only when nothing failed and nothing is
unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from registry.core.checks import STATUS_CODES, Check, Outcome, check, not_checked
from registry.core.codes import code_list
from registry.core.errors import RegistryError
from registry.core.formats import cose
from registry.core.formats.timefmt import format_instant
from registry.core.recognition.rules import recognition_check
from registry.core.records import qrclaims
from registry.core.records.credential import RecordFacts
from registry.core.trust.authority import authority_check
from registry.core.trust.model import (
    IssuerInfo,
    KeyInfo,
    Presented,
    RecordStatus,
    StatusSource,
    TrustSource,
)

CLOCK_SKEW = timedelta(minutes=5)
CHECK_ORDER = (
    "format",
    "data_model",  # credential documents only: the VCDM 2.0 checks (datamodel.py)
    "trust_list",  # only when a trust list vouches for the issuer (core/trustlist.py)
    "signature",
    "proof_set",
    "issuer_known",
    "key_valid",
    "issuer_authorised",
    "schema",
    "validity",
    "status",
    "recognition",
)

_OPTIONAL = ("data_model", "proof_set", "trust_list")  # listed only where they apply
_BLOCKING = frozenset((Outcome.FAILED, Outcome.UNKNOWN))  # what keeps a record from valid


@dataclass(frozen=True)
class VerifyRequest:
    """Who asks and when: the clock and the asking region are inputs, not globals.

    ``known_issuers_only`` is set where an answer vouches for a record to a person or a
    partner (the partner API, the public page): there a credential of an issuer that
    neither the registry nor an imported trust list knows is never valid, even when its
    signature holds. The VC-API verifier reports such an issuer as a warning.
    """

    now: datetime
    region: str | None = None
    known_issuers_only: bool = False


@dataclass(frozen=True)
class Verification:
    """The full answer: each check, the record's public facts and its issuer."""

    source: str  # 'qr' | 'credential'
    checks: tuple[Check, ...]
    facts: RecordFacts | None
    issuer: IssuerInfo | None
    status: str | None
    # The registry's own store holds this very record (same id, issuer and signature) and
    # answered its status: only then may anything stored about it (partner facts, the
    # holder's access log) go with the answer.
    record_held: bool = False

    @property
    def verified(self) -> bool:
        """True when no check failed and none could not be checked."""
        return not any(c.outcome in _BLOCKING for c in self.checks)

    @property
    def problems(self) -> tuple[Check, ...]:
        """The checks that keep the record from being valid."""
        return tuple(c for c in self.checks if c.outcome in _BLOCKING)


def format_failure(source: str, error: RegistryError) -> Verification:
    """The answer for input that could not even be parsed."""
    first = Check("format", Outcome.FAILED, error.code, error.message_zh, error.message_en)
    rest = tuple(not_checked(name) for name in CHECK_ORDER[1:] if name not in _OPTIONAL)
    return Verification(source, (first, *rest), None, None, None)


def key_window_check(key: KeyInfo | None, signed_at: datetime) -> Check:
    """Was the key allowed to sign at ``signed_at``?

    A key compromised at some time fails everything it signed from then on; what it
    signed before still verifies, with a warning that names the time of compromise.
    Retirement only ends the window: what the key signed inside it keeps verifying.
    """
    if key is None:
        return check("key_valid", Outcome.SKIPPED, "KEY_NOT_REGISTERED")
    kid = key.kid.hex()
    if key.compromised_at is not None and signed_at >= key.compromised_at:
        compromised = format_instant(key.compromised_at)
        return check("key_valid", Outcome.FAILED, "KEY_COMPROMISED", kid=kid, at=compromised)
    if signed_at + CLOCK_SKEW < key.valid_from:
        return check("key_valid", Outcome.FAILED, "KEY_NOT_YET_VALID", kid=kid)
    if key.valid_until is not None and signed_at > key.valid_until + CLOCK_SKEW:
        return check("key_valid", Outcome.FAILED, "KEY_EXPIRED", kid=kid)
    if key.compromised_at is not None:
        compromised = format_instant(key.compromised_at)
        return check("key_valid", Outcome.WARNING, "KEY_COMPROMISED_LATER", kid=kid, at=compromised)
    return _key_valid(kid)


def issuer_checks(
    issuer: IssuerInfo | None, record_type: str, facts: RecordFacts | None = None
) -> tuple[Check, Check]:
    """Is the issuer registered, and did its scope cover the record on its issue date?

    Without the record's facts only the record type is judged.
    """
    if issuer is None:
        return check("issuer_known", Outcome.FAILED, "ISSUER_UNKNOWN"), not_checked(
            "issuer_authorised"
        )
    known = _issuer_known(issuer.uscc)
    if facts is not None:
        return known, authority_check(issuer, facts)
    if record_type in {t for scope in issuer.scopes for t in scope.record_types} | set(
        issuer.record_types
    ):
        return known, check("issuer_authorised", Outcome.PASSED, "ISSUER_AUTHORISED")
    return known, check(
        "issuer_authorised", Outcome.FAILED, "ISSUER_OUT_OF_SCOPE", dimension="type"
    )


def validity_check(valid_from: datetime, valid_until: datetime | None, now: datetime) -> Check:
    """Is ``now`` inside the validity period, give or take the clock skew?"""
    if now + CLOCK_SKEW < valid_from:
        return _NOT_YET_VALID
    if valid_until is not None and now - CLOCK_SKEW > valid_until:
        return _EXPIRED
    return _VALIDITY_OK


def current_state(
    state: str, valid_from: datetime, valid_until: datetime | None, now: datetime
) -> str:
    """The state a reader is shown: an active record whose validity period has ended is
    lapsed (失效), as ``status_check`` answers; any other state is shown as stored."""
    if state == "active" and validity_check(valid_from, valid_until, now).code == "EXPIRED":
        return "lapsed"
    return state


def status_check(status: RecordStatus | None, validity: Check | None = None) -> Check:
    """The record's status; unknown is never a pass.

    An active record whose validity period has ended reads as lapsed (失效). The detail
    names the state, the reason with its labels, the current version of a superseded
    record and where the answer came from (the registry or a status list).
    """
    if status is None:
        return check("status", Outcome.UNKNOWN, "STATUS_UNKNOWN")
    detail: dict[str, Any] = {"status": status.state, "source": "registry"}
    if status.by_list:
        detail["source"] = "status-list"
        if status.listed_at is not None:
            detail["listedAt"] = format_instant(status.listed_at)
    if status.reason is not None and status.reason in code_list("status-reasons"):
        entry = code_list("status-reasons").by_code(status.reason)
        detail["reason"] = {"code": entry.code, "zh": entry.zh, "en": entry.en}
    if status.superseded_by is not None:
        detail["supersededBy"] = {"id": status.superseded_by, "url": status.superseded_by_url}
        if status.superseded_by_verify_url is not None:
            detail["supersededBy"]["verifyUrl"] = status.superseded_by_verify_url
    if status.state == "active":
        if validity is not None and validity.code == "EXPIRED":
            detail["status"] = "lapsed"
            return check("status", Outcome.FAILED, "STATUS_LAPSED", **detail)
        return check("status", Outcome.PASSED, "STATUS_ACTIVE", **detail)
    code = STATUS_CODES.get(status.state, "STATUS_UNKNOWN")
    if status.by_list and status.state == "revoked":
        code = "STATUS_LIST_REVOKED"
    outcome = Outcome.FAILED if code != "STATUS_UNKNOWN" else Outcome.UNKNOWN
    return check("status", outcome, code, **detail)


def status_of(result: Check) -> str | None:
    """The state a status check found (``'lapsed'`` included), or ``None``."""
    state = result.detail.get("status")
    return str(state) if state is not None else None


def verify_qr(
    text: str, trust: TrustSource, statuses: StatusSource, request: VerifyRequest
) -> Verification:
    """Verify a scanned QR (URL, fragment or payload) against the trust source."""
    try:
        signed = qrclaims.decode_payload(text)
    except RegistryError as error:
        return format_failure("qr", error)
    return verify_decoded_qr(signed, trust, statuses, request)


def verify_decoded_qr(
    signed: qrclaims.SignedQr,
    trust: TrustSource,
    statuses: StatusSource,
    request: VerifyRequest,
) -> Verification:
    """Verify a QR payload already decoded (a batch decodes first to read statuses in bulk).

    The checks are built in ``CHECK_ORDER`` (a QR has no optional check), so no sorting.
    """
    facts = signed.facts
    issuer = trust.issuer(facts.issuer_uscc)
    kid = signed.kid
    key = trust.key_by_kid(kid) if kid else None
    signature = _signature_check(signed.message, key, facts.issuer_uscc)
    if key is None or signature.outcome is not Outcome.PASSED:
        # Fail closed: nothing an unauthenticated payload claims is checked further.
        unchecked = (_FORMAT_VALID, signature, *_NOT_CHECKED_AFTER)
        return Verification("qr", unchecked, facts, None, None)
    known, authorised = issuer_checks(issuer, facts.record_type, facts)
    key_valid = key_window_check(key, facts.issued_at)
    validity = validity_check(facts.valid_from, facts.valid_until, request.now)
    found = statuses.status_of(facts, Presented("qr", signed.message.signature))
    status = status_check(found, validity)
    recognition = recognition_check(facts, issuer, request.region, trust, request.now)
    checks = (
        _FORMAT_VALID,
        signature,
        known,
        key_valid,
        authorised,
        _QR_LAYOUT_VALID,
        validity,
        status,
        recognition,
    )
    return Verification(
        "qr", checks, facts, issuer, status_of(status), record_held=held_by_registry(found)
    )


def _signature_check(message: cose.Sign1Message, key: KeyInfo | None, claimed: str) -> Check:
    """The ``signature`` check of a QR: a known key of the issuer the claims name."""
    if key is None:
        return _KEY_UNKNOWN
    if key.issuer_uscc != claimed:
        return _KEY_ISSUER_MISMATCH
    try:
        message.verify(key.public_key)
    except RegistryError:
        return _SIGNATURE_INVALID
    return _signature_valid(key.kid.hex())


def held_by_registry(found: RecordStatus | None) -> bool:
    """Did the registry's own store answer (not a status list, and not "could not check")?"""
    return found is not None and not found.by_list


_AFTER_SIGNATURE = tuple(
    name for name in CHECK_ORDER if name not in ("format", "signature", *_OPTIONAL)
)
# Checks that never vary, built once (a ``Check`` is immutable and nothing edits its detail).
_NOT_CHECKED_AFTER = tuple(not_checked(name) for name in _AFTER_SIGNATURE)
_FORMAT_VALID = check("format", Outcome.PASSED, "FORMAT_VALID")
_QR_LAYOUT_VALID = check("schema", Outcome.PASSED, "QR_LAYOUT_VALID")
_KEY_UNKNOWN = check("signature", Outcome.FAILED, "KEY_UNKNOWN")
_KEY_ISSUER_MISMATCH = check("signature", Outcome.FAILED, "KEY_ISSUER_MISMATCH")
_SIGNATURE_INVALID = check("signature", Outcome.FAILED, "SIGNATURE_INVALID")
_NOT_YET_VALID = check("validity", Outcome.FAILED, "NOT_YET_VALID")
_EXPIRED = check("validity", Outcome.FAILED, "EXPIRED")
_VALIDITY_OK = check("validity", Outcome.PASSED, "VALIDITY_OK")


# The passing checks that name only a key or an issuer: the same for every record it
# signed, so each is built once per key or issuer (bounded, as the keys a source knows are).
@lru_cache(maxsize=4096)
def _signature_valid(kid: str) -> Check:
    return check("signature", Outcome.PASSED, "SIGNATURE_VALID", kid=kid)


@lru_cache(maxsize=4096)
def _key_valid(kid: str) -> Check:
    return check("key_valid", Outcome.PASSED, "KEY_VALID", kid=kid)


@lru_cache(maxsize=4096)
def _issuer_known(uscc: str) -> Check:
    return check("issuer_known", Outcome.PASSED, "ISSUER_KNOWN", uscc=uscc)


_RANK = {name: index for index, name in enumerate(CHECK_ORDER)}


def ordered_checks(checks: list[Check]) -> list[Check]:
    """Checks in the order answers list them."""
    return sorted(checks, key=lambda c: _RANK.get(c.name, len(_RANK)))

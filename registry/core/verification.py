"""Verification of a record, from its QR payload or its credential: every check reported.

Follows DESIGN.md's list: format, signature, issuer known, key valid at issuance, issuer
authorised, schema, validity period (5 minutes of skew), status, recognition. The answer
is never a bare boolean; ``verified`` is true only when nothing failed and nothing is
unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from registry.core import qrclaims
from registry.core.checks import STATUS_CODES, Check, Outcome, check, not_checked
from registry.core.errors import RegistryError
from registry.core.records import JOINT_TITLE, RecordFacts
from registry.core.trust import IssuerInfo, KeyInfo, StatusSource, TrustSource

CLOCK_SKEW = timedelta(minutes=5)
CHECK_ORDER = (
    "format",
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


@dataclass(frozen=True)
class VerifyRequest:
    """Who asks and when: the clock and the asking region are inputs, not globals."""

    now: datetime
    region: str | None = None


@dataclass(frozen=True)
class Verification:
    """The full answer: each check, the record's public facts and its issuer."""

    source: str  # 'qr' | 'credential'
    checks: tuple[Check, ...]
    facts: RecordFacts | None
    issuer: IssuerInfo | None
    status: str | None

    @property
    def verified(self) -> bool:
        """True when no check failed and none could not be checked."""
        return all(c.outcome not in (Outcome.FAILED, Outcome.UNKNOWN) for c in self.checks)

    @property
    def problems(self) -> tuple[Check, ...]:
        """The checks that keep the record from being valid."""
        return tuple(c for c in self.checks if c.outcome in (Outcome.FAILED, Outcome.UNKNOWN))


def format_failure(source: str, error: RegistryError) -> Verification:
    """The answer for input that could not even be parsed."""
    first = Check("format", Outcome.FAILED, error.code, error.message_zh, error.message_en)
    rest = tuple(not_checked(name) for name in CHECK_ORDER[1:] if name != "proof_set")
    return Verification(source, (first, *rest), None, None, None)


def key_window_check(key: KeyInfo | None, signed_at: datetime) -> Check:
    """Was the key allowed to sign at ``signed_at``?"""
    if key is None:
        return check("key_valid", Outcome.SKIPPED, "KEY_NOT_REGISTERED")
    if key.compromised_at is not None and signed_at >= key.compromised_at:
        return check("key_valid", Outcome.FAILED, "KEY_COMPROMISED")
    if signed_at + CLOCK_SKEW < key.valid_from:
        return check("key_valid", Outcome.FAILED, "KEY_NOT_YET_VALID")
    if key.valid_until is not None and signed_at > key.valid_until + CLOCK_SKEW:
        return check("key_valid", Outcome.FAILED, "KEY_EXPIRED")
    return check("key_valid", Outcome.PASSED, "KEY_VALID", kid=key.kid.hex())


def issuer_checks(issuer: IssuerInfo | None, record_type: str) -> tuple[Check, Check]:
    """Is the issuer registered, and may it issue this record type?"""
    if issuer is None:
        return check("issuer_known", Outcome.FAILED, "ISSUER_UNKNOWN"), not_checked(
            "issuer_authorised"
        )
    known = check("issuer_known", Outcome.PASSED, "ISSUER_KNOWN", uscc=issuer.uscc)
    if record_type in issuer.record_types:
        return known, check("issuer_authorised", Outcome.PASSED, "ISSUER_AUTHORISED")
    return known, check("issuer_authorised", Outcome.FAILED, "ISSUER_NOT_AUTHORISED")


def validity_check(valid_from: datetime, valid_until: datetime | None, now: datetime) -> Check:
    """Is ``now`` inside the validity period, give or take the clock skew?"""
    if now + CLOCK_SKEW < valid_from:
        return check("validity", Outcome.FAILED, "NOT_YET_VALID")
    if valid_until is not None and now - CLOCK_SKEW > valid_until:
        return check("validity", Outcome.FAILED, "EXPIRED")
    return check("validity", Outcome.PASSED, "VALIDITY_OK")


def status_check(status: str | None) -> Check:
    """The live status as the registry knows it; unknown is never a pass."""
    if status is None:
        return check("status", Outcome.UNKNOWN, "STATUS_UNKNOWN")
    code = STATUS_CODES.get(status, "STATUS_UNKNOWN")
    outcome = Outcome.PASSED if status == "active" else Outcome.FAILED
    return check("status", outcome, code, status=status)


def recognition_check(facts: RecordFacts, issuer: IssuerInfo | None, region: str | None) -> Check:
    """Native in the asking region, or not yet evaluated (agreements come later)."""
    if region is None:
        return check("recognition", Outcome.SKIPPED, "RECOGNITION_NOT_ASKED")
    native = {issuer.region} if issuer else set()
    native.update(facts.title.review_regions)
    if region in native:
        return check("recognition", Outcome.PASSED, "RECOGNITION_NATIVE", region=region)
    return check("recognition", Outcome.WARNING, "RECOGNITION_NOT_EVALUATED", region=region)


def proof_set_check(
    facts: RecordFacts,
    signers: Mapping[str, bool],
    trust: TrustSource,
) -> Check:
    """A joint title needs a valid proof from each co-reviewing region's bureau.

    ``signers`` maps the USCC of each registry key that signed to whether its proof held.
    """
    if facts.record_type != JOINT_TITLE:
        return check("proof_set", Outcome.SKIPPED, "PROOF_SET_NOT_REQUIRED")
    regions: dict[str, Any] = {}
    for region in facts.title.review_regions:
        bureaus = [b.uscc for b in trust.bureaus_of(region)]
        regions[region] = any(signers.get(uscc, False) for uscc in bureaus)
    complete = all(regions.values()) and bool(regions)
    return check(
        "proof_set",
        Outcome.PASSED if complete else Outcome.FAILED,
        "PROOF_SET_COMPLETE" if complete else "PROOF_SET_INCOMPLETE",
        regions=regions,
    )


def verify_qr(
    text: str, trust: TrustSource, statuses: StatusSource, request: VerifyRequest
) -> Verification:
    """Verify a scanned QR (URL, fragment or payload) against the trust source."""
    try:
        signed = qrclaims.decode_payload(text)
    except RegistryError as error:
        return format_failure("qr", error)
    facts = signed.facts
    checks = [check("format", Outcome.PASSED, "FORMAT_VALID")]
    issuer = trust.issuer(facts.issuer_uscc)
    key = trust.key_by_kid(signed.kid) if signed.kid else None
    if key is None:
        checks.append(check("signature", Outcome.FAILED, "KEY_UNKNOWN"))
    elif key.issuer_uscc != facts.issuer_uscc:
        checks.append(check("signature", Outcome.FAILED, "KEY_ISSUER_MISMATCH"))
    else:
        try:
            signed.message.verify(key.public_key)
            checks.append(check("signature", Outcome.PASSED, "SIGNATURE_VALID", kid=key.kid.hex()))
        except RegistryError:
            checks.append(check("signature", Outcome.FAILED, "SIGNATURE_INVALID"))
    if key is None or checks[-1].outcome != Outcome.PASSED:
        # Fail closed: nothing an unauthenticated payload claims is checked further.
        checks.extend(not_checked(name) for name in _AFTER_SIGNATURE)
        return Verification("qr", tuple(checks), facts, None, None)
    checks.extend(issuer_checks(issuer, facts.record_type))
    checks.append(key_window_check(key, facts.issued_at))
    checks.append(check("schema", Outcome.PASSED, "QR_LAYOUT_VALID"))
    checks.append(validity_check(facts.valid_from, facts.valid_until, request.now))
    status = statuses.status_of(facts.record_id)
    checks.append(status_check(status))
    checks.append(recognition_check(facts, issuer, request.region))
    return Verification("qr", tuple(ordered_checks(checks)), facts, issuer, status)


_AFTER_SIGNATURE = tuple(
    name for name in CHECK_ORDER if name not in ("format", "signature", "proof_set")
)


def ordered_checks(checks: list[Check]) -> list[Check]:
    """Checks in the order answers list them."""
    rank = {name: index for index, name in enumerate(CHECK_ORDER)}
    return sorted(checks, key=lambda c: rank.get(c.name, len(rank)))

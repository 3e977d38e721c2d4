"""Checks of a record by partners and on the public page, with their purpose logged.

A partner verifies a QR or a credential, or matches a typed number against a record's
holder; either way it states a purpose (用证事由) and the check is logged in the store for
the holder to see. Partners see ID numbers only where a statutory basis is registered on
their token, and then only masked; otherwise the answer is the public facts and, for a
typed number, match or no match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.core.errors import RegistryError, forbidden, invalid
from registry.core.verification.record import Verification
from registry.services.access.tokens import Principal, require_role
from registry.services.partners.facts import partner_facts
from registry.services.people.access_log import MATCH, VERIFY, Caller, log_check, stated_purpose
from registry.services.people.personal_data import masked_numbers
from registry.services.records.answers import answer
from registry.services.verification.verifier import Verifier, asking_region
from registry.storage.raw import WriteLockTakenError, without_waiting, writes_on_this_machine

REGION_MISMATCH = "REGION_MISMATCH"


def region_mismatch() -> RegistryError:
    """The refusal of a partner token that names a region other than its own (403)."""
    return forbidden(
        REGION_MISMATCH,
        "伙伴令牌只能以本地区身份查询，不能指定其他地区",
        "a partner token asks for its own region only: it may not name another",
    )


def partner_region(principal: Principal, region: str | None) -> str | None:
    """The region a check is asked and logged for.

    A partner token answers for its own region: naming another is ``REGION_MISMATCH``,
    so a client can neither borrow another region's recognition nor leave another region's
    name in a holder's access log. An admin may name any region (or none). A named region
    must be a known division code first (``REGION_UNKNOWN``, never echoed).
    """
    named = asking_region(region)
    if principal.role == "admin":
        return named
    if named is not None and named != principal.region:
        raise region_mismatch()
    return principal.region


@dataclass(frozen=True)
class PartnerAnswer:
    """A partner's verification, its wire form, and the purpose as logged."""

    verification: Verification
    body: dict[str, Any]
    region: str | None
    purpose: str


def partner_verify(
    verifier: Verifier,
    principal: Principal,
    *,
    purpose: str,
    qr: str | None,
    credential: Any,
    region: str | None,
    now: datetime,
) -> PartnerAnswer:
    """Verify a QR or a credential for a partner's region and log the check."""
    require_role(principal, "partner")
    stated = stated_purpose(purpose, required=True)
    if (qr is None) == (credential is None):
        raise invalid(
            "VERIFY_INPUT_REQUIRED",
            "qr 与 credential 必须且只能提供一个",
            "give exactly one of qr or credential",
        )
    asking = partner_region(principal, region)
    verification = (
        verifier.qr(qr, now=now, region=asking)
        if qr is not None
        else verifier.credential(credential, now=now, region=asking, known_issuers_only=True)
    )
    body = answer(verification)
    facts = verification.facts
    # Only the very record this registry issued (same id, issuer and signature) has a
    # holder to tell and partner facts to add; a forged or foreign copy gets neither.
    if facts is not None and verification.record_held:
        logged = log_check(
            verifier.registry,
            Caller.of(principal),
            facts.record_id,
            action=VERIFY,
            purpose=stated,
            outcome="valid" if verification.verified else "not_valid",
            region=asking,
            now=now,
        )
        if logged and body["record"] is not None:
            partner = partner_facts(verifier.registry, facts)
            if partner is not None:
                body["partner"] = partner
        if logged and principal.statutory_basis and body["record"] is not None:
            body["holderNumbers"] = {
                "statutoryBasis": principal.statutory_basis,
                "numbers": masked_numbers(verifier.registry, facts.record_id),
            }
    return PartnerAnswer(verification, body, asking, stated)


def partner_verify_at_once(
    verifier: Verifier,
    principal: Principal,
    *,
    purpose: str,
    qr: str | None,
    credential: Any,
    region: str | None,
    now: datetime,
) -> PartnerAnswer | None:
    """``partner_verify`` where it may run on the event loop, else ``None`` (the caller
    then runs ``partner_verify`` in a worker thread).

    It may for a QR (no JSON-LD expansion) on SQLite, where logging the check is a local
    write of tens of microseconds, and only while no other writer holds the write lock: it
    never waits for another transaction. A thread hop cost a check as much as the check.
    """
    if credential is not None or not writes_on_this_machine(verifier.registry.engine):
        return None
    try:
        with without_waiting():
            return partner_verify(
                verifier,
                principal,
                purpose=purpose,
                qr=qr,
                credential=credential,
                region=region,
                now=now,
            )
    except WriteLockTakenError:
        return None


def match_holder(
    verifier: Verifier,
    principal: Principal | None,
    *,
    record: str,
    number: str,
    purpose: str | None,
    now: datetime,
) -> tuple[str, bool]:
    """Match a typed number against a record's holder and log the check.

    With a token (a partner's or an admin's) the purpose is required; the anonymous public
    page may leave it out and is logged as the public page.
    """
    if principal is not None:
        require_role(principal, "partner")
    stated = stated_purpose(purpose, required=principal is not None)
    record_id, matched = verifier.match(record, number, now=now)
    caller = Caller.of(principal)
    log_check(
        verifier.registry,
        caller,
        record_id,
        action=MATCH,
        purpose=stated,
        outcome="match" if matched else "no_match",
        region=caller.region,
        now=now,
    )
    return record_id, matched


__all__ = [
    "REGION_MISMATCH",
    "PartnerAnswer",
    "match_holder",
    "partner_region",
    "partner_verify",
    "partner_verify_at_once",
    "region_mismatch",
]

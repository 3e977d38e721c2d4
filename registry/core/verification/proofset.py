"""The proof set of a jointly reviewed title, checked proof by proof.

Each co-reviewing region must have signed through one of its HR bureaus as the trust
source knows them: the proof must verify, its key must belong to a bureau of that region,
and the key must have been allowed to sign when the proof was created. The check lists
each region with its signer, key id and outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.core.checks import Check, Outcome, check
from registry.core.records.credential import JOINT_TITLE, RecordFacts
from registry.core.trust.model import KeyInfo, TrustSource
from registry.core.verification.record import key_window_check


@dataclass(frozen=True)
class SignedProof:
    """One proof of a credential: did it verify, with which registry key, and when."""

    verification_method: str
    ok: bool
    key: KeyInfo | None
    created: datetime | None


def _region_entry(region: str, proofs: Sequence[SignedProof], trust: TrustSource) -> dict[str, Any]:
    bureaus = {b.uscc for b in trust.bureaus_of(region)}
    entry: dict[str, Any] = {"region": region, "signer": None, "kid": None}
    best: tuple[Outcome, str] = (Outcome.FAILED, "PROOF_SET_REGION_MISSING")
    for proof in proofs:
        if proof.key is None or proof.key.issuer_uscc not in bureaus:
            continue
        entry["signer"], entry["kid"] = proof.key.issuer_uscc, proof.key.kid.hex()
        if not proof.ok:
            best = (Outcome.FAILED, "SIGNATURE_INVALID")
            continue
        if proof.created is None:
            best = (Outcome.FAILED, "PROOF_CREATED_INVALID")
            continue
        window = key_window_check(proof.key, proof.created)
        best = (window.outcome, window.code)
        if window.outcome != Outcome.FAILED:
            break
    entry["outcome"], entry["code"] = str(best[0]), best[1]
    return entry


def proof_set_check(facts: RecordFacts, proofs: Sequence[SignedProof], trust: TrustSource) -> Check:
    """A joint title needs a valid proof from a bureau of each co-reviewing region."""
    if facts.record_type != JOINT_TITLE:
        return check("proof_set", Outcome.SKIPPED, "PROOF_SET_NOT_REQUIRED")
    title = facts.title
    review_regions = title.review_regions if title is not None else ()
    regions = [_region_entry(region, proofs, trust) for region in review_regions]
    outcomes = {entry["outcome"] for entry in regions}
    if not regions or str(Outcome.FAILED) in outcomes:
        missing = not regions or any(e["code"] == "PROOF_SET_REGION_MISSING" for e in regions)
        code = "PROOF_SET_INCOMPLETE" if missing else "PROOF_SET_INVALID"
        return check("proof_set", Outcome.FAILED, code, regions=regions)
    if str(Outcome.WARNING) in outcomes:
        return check(
            "proof_set", Outcome.WARNING, "PROOF_SET_COMPLETE_WITH_WARNING", regions=regions
        )
    return check("proof_set", Outcome.PASSED, "PROOF_SET_COMPLETE", regions=regions)


__all__ = ["SignedProof", "proof_set_check"]

"""The wire form of a verification answer, shared by the HTTP API and the CLI.

Only ``RecordFacts`` (the allow-listed public facts) and issuer information are rendered;
the full credential never goes into an answer.
"""

from __future__ import annotations

from typing import Any

from registry.core.checks import Check, Outcome
from registry.core.codes import code_list
from registry.core.formats.timefmt import format_instant
from registry.core.records.credential import RecordFacts
from registry.core.recordtypes import public_labels, public_view, spec_of
from registry.core.trust.model import IssuerInfo
from registry.core.verification.record import Verification

ANSWER_VERSION = "1"
PROBLEM_TYPES = {
    "format": "https://www.w3.org/TR/vc-data-model#PARSING_ERROR",
    "data_model": "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR",
    "signature": "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR",
    "proof_set": "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR",
    "key_valid": "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR",
    "schema": "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR",
    "validity": "https://www.w3.org/TR/vc-data-model#RANGE_ERROR",
}


def labelled(list_name: str, code: str) -> dict[str, str]:
    """A code with its Chinese and English labels."""
    entry = code_list(list_name).by_code(code)
    return {"code": entry.code, "zh": entry.zh, "en": entry.en}


def public_record(facts: RecordFacts) -> dict[str, Any]:
    """The facts a public page may show, codes expanded to labels.

    The type's facts sit under the key of its block in the credential
    (``professionalTitle``, ``residencePermit``...), named by ``detailsKey``; ``labels``
    gives each of their fields' zh/en name, so a page can show any type.
    """
    spec = spec_of(facts.record_type)
    details = public_view(spec, facts.details)
    return {
        "id": facts.record_id,
        "type": labelled("record-types", facts.record_type),
        "maskedName": facts.masked_name,
        "issuedAt": format_instant(facts.issued_at),
        "validFrom": format_instant(facts.valid_from),
        "validUntil": format_instant(facts.valid_until) if facts.valid_until else None,
        "detailsKey": spec.subject_key,
        spec.subject_key: details,
        "labels": public_labels(spec, details),
    }


def public_issuer(issuer: IssuerInfo) -> dict[str, Any]:
    """An issuer as answers show it."""
    return {
        "id": issuer.issuer_id,
        "uscc": issuer.uscc,
        "name": {"zh": issuer.name_zh, "en": issuer.name_en},
        "region": labelled("divisions", issuer.region),
        "kind": issuer.kind,
    }


def check_json(item: Check) -> dict[str, Any]:
    """One check on the wire."""
    body: dict[str, Any] = {
        "check": item.name,
        "outcome": str(item.outcome),
        "code": item.code,
        "message": {"zh": item.message_zh, "en": item.message_en},
    }
    if item.detail:
        body["detail"] = dict(item.detail)
    return body


def problem_details(verification: Verification) -> list[dict[str, Any]]:
    """VC 2.0 ProblemDetails for each check that failed or could not be done."""
    return [
        {
            "type": PROBLEM_TYPES.get(c.name, "https://w3id.org/yrd-talent#" + c.code),
            "code": c.code,
            "check": c.name,
            "title": c.message_en,
            "detail": f"{c.message_zh} / {c.message_en}",
        }
        for c in verification.problems
    ]


def answer(verification: Verification) -> dict[str, Any]:
    """The full answer, as the verify API and ``registry verify --json`` give it.

    The record's facts are shown only when its signature held: facts from a forged or
    altered QR would be the forger's words.
    """
    authentic = any(
        c.name == "signature" and c.outcome == Outcome.PASSED for c in verification.checks
    )
    verified = verification.verified
    body: dict[str, Any] = {
        "version": ANSWER_VERSION,
        "verified": verified,
        "source": verification.source,
        "status": verification.status,
        "checks": [check_json(c) for c in verification.checks],
        "warnings": [check_json(c) for c in verification.checks if c.outcome == Outcome.WARNING],
        "record": public_record(verification.facts) if authentic and verification.facts else None,
        "issuer": public_issuer(verification.issuer) if authentic and verification.issuer else None,
    }
    if not verified:
        body["problemDetails"] = problem_details(verification)
    return body

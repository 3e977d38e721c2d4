"""Verification endpoints: VC-API verify, the partner API, and the public page's calls."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, Response, post
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import JSONBody

from registry.core.errors import invalid
from registry.core.privacy import loggable
from registry.core.verification import Verification
from registry.http.problems import documented
from registry.http.security import partner_guard, principal_of
from registry.http.wire import (
    MatchRequest,
    PartnerVerifyRequest,
    ScanRequest,
    VerifyCredentialRequest,
)
from registry.services.answers import answer
from registry.services.verification import Verifier

log = logging.getLogger("registry.partner")
MATCH_LIMIT = RateLimitConfig(rate_limit=("minute", 20), store="rate_limit_match")
MAX_PURPOSE = 200


def _answer(verification: Verification) -> Response[dict[str, Any]]:
    return Response(answer(verification), status_code=200 if verification.verified else 422)


def _verifier(request: Request[Any, Any, Any]) -> Verifier:
    verifier: Verifier = request.app.state.verifier
    return verifier


class VcApiVerifyController(Controller):
    """``/credentials/verify`` as the W3C VC-API names it (no token: verification is public)."""

    path = "/credentials"
    tags = ["verification"]  # noqa: RUF012

    # Verification is CPU-bound (Ed25519) plus one primary-key read: it runs on the event
    # loop, as a thread hop would cost more than it frees. Throttle public traffic at the edge.
    @post("/verify", sync_to_thread=False, responses=documented(400, 413))
    def verify(
        self, request: Request[Any, Any, Any], data: JSONBody[VerifyCredentialRequest]
    ) -> Response[dict[str, Any]]:
        """200 with ``verified: true`` and every check, or 422 with ``problemDetails``."""
        return _answer(
            _verifier(request).credential(data.verifiableCredential, now=datetime.now(UTC))
        )


class PartnerController(Controller):
    """The partner regions' machine API."""

    path = "/api/v1/verify"
    tags = ["partners"]  # noqa: RUF012

    @post(
        "",
        guards=[partner_guard],
        sync_to_thread=False,
        status_code=200,
        responses=documented(400, 401, 403, 413),
    )
    def verify(
        self, request: Request[Any, Any, Any], data: JSONBody[PartnerVerifyRequest]
    ) -> Response[dict[str, Any]]:
        """Verify a QR or a credential for the asking region, stating the purpose."""
        principal = principal_of(request)
        purpose = data.purpose.strip()
        if not purpose or len(purpose) > MAX_PURPOSE:
            raise invalid(
                "PURPOSE_REQUIRED",
                "必须说明用证事由（200 字以内）",
                "a purpose (up to 200 characters) is required",
            )
        if (data.qr is None) == (data.credential is None):
            raise invalid(
                "VERIFY_INPUT_REQUIRED",
                "qr 与 credential 必须且只能提供一个",
                "give exactly one of qr or credential",
            )
        region = data.region or principal.region
        now = datetime.now(UTC)
        verifier = _verifier(request)
        verification = (
            verifier.qr(data.qr, now=now, region=region)
            if data.qr is not None
            else verifier.credential(data.credential, now=now, region=region)
        )
        record = verification.facts.record_id if verification.facts else "-"
        log.info(
            "partner check client=%s region=%s record=%s purpose=%s",
            principal.token_id,
            region,
            record,
            loggable(purpose),
        )
        return _answer(verification)

    @post(
        "/match",
        sync_to_thread=True,
        status_code=200,
        middleware=[MATCH_LIMIT.middleware],
        responses=documented(400, 404, 422, 429),
    )
    def match(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[MatchRequest],
    ) -> dict[str, Any]:
        """Does the typed ID number belong to the record? Answers match or no match only."""
        record_id, matched = _verifier(request).match(data.record, data.idNumber)
        return {
            "record": record_id,
            "match": matched,
            "message": {
                "zh": "一致" if matched else "不一致",
                "en": "match" if matched else "no match",
            },
        }


class ScanController(Controller):
    """What the public verify page asks after reading the QR fragment."""

    path = "/api/v1/scan"
    tags = ["public"]  # noqa: RUF012

    @post(
        "", sync_to_thread=False, responses=documented(400, 413)
    )  # CPU-bound, like VC-API verify above
    def scan(
        self, request: Request[Any, Any, Any], data: JSONBody[ScanRequest]
    ) -> Response[dict[str, Any]]:
        """Verify a scanned payload; the answer holds only public facts."""
        return _answer(_verifier(request).qr(data.payload, now=datetime.now(UTC)))

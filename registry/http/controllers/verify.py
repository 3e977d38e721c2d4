"""Verification endpoints: VC-API verify, the partner API, and the public page's calls."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import anyio.to_thread
from litestar import Controller, HttpMethod, Request, Response, post
from litestar.background_tasks import BackgroundTask
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import JSONBody

from registry.core.people.privacy import loggable
from registry.core.verification.record import Verification
from registry.http.documentation import (
    DOCUMENTED_CODES,
    NOT_VALID_ANSWER,
    PARTNER_403,
    PARTNER_ACTIONABLE_CODES,
    PURPOSE_422,
    REGION_422,
    also_as,
    answered,
    documented,
    not_valid_answer,
)
from registry.http.ratelimit import MATCH_STORE, PARTNER_LIMIT, AtomicRateLimitMiddleware
from registry.http.security import (
    GuardedHandler,
    optional_principal,
    partner_guard,
    principal_of,
)
from registry.http.wire import (
    MatchRequest,
    PartnerVerifyRequest,
    ScanRequest,
    VerifyCredentialRequest,
)
from registry.http.wire_answers import VerificationAnswer
from registry.services.partners.checks import (
    match_holder,
    partner_verify,
    partner_verify_at_once,
)
from registry.services.records.answers import answer
from registry.services.verification.verifier import Verifier

log = logging.getLogger("registry.partner")
DEEP_400 = "JSON_TOO_DEEP (a credential nested too deeply)"
SCAN_422 = (
    "the record is not valid: the body is the verification answer itself (`verified: "
    "false`, every check with its code; 记录无效，返回完整核验结果), with public facts only. "
    "Without `region` there is no recognition check (`RECOGNITION_NOT_ASKED`); with one, "
    "the recognition check answers for that region. The issuer, key and trust-list codes "
    "are those of the partner API (`ISSUER_UNKNOWN`, `ISSUER_OUT_OF_SCOPE`, `KEY_COMPROMISED`, "
    "`KEY_NOT_YET_VALID`, `KEY_EXPIRED`, `TRUST_LIST_STALE`, `TRUST_LIST_EXPIRED`)"
)
VERIFIED = "verified: the answer with every check (`verified: true`) / 核验通过"
VC_API_422 = (
    "not verified: the body is the verification answer itself (`verified: false`, every "
    "check with its code, and `problemDetails`; 核验未通过，返回完整核验结果)"
)
MATCH_LIMIT = RateLimitConfig(
    rate_limit=("minute", 20), store=MATCH_STORE, middleware_class=AtomicRateLimitMiddleware
)


async def log_partner_check(client: int, region: str | None, record: str, purpose: str) -> None:
    """The operators' line for one partner check (a coroutine: Litestar runs a plain
    function given as a background task in a worker thread)."""
    log.info(
        "partner check client=%s region=%s record=%s purpose=%s",
        client,
        region,
        record,
        loggable(purpose),
    )


def _answer(verification: Verification) -> Response[dict[str, Any]]:
    return Response(answer(verification), status_code=200 if verification.verified else 422)


def _verifier(request: Request[Any, Any, Any]) -> Verifier:
    verifier: Verifier = request.app.state.verifier
    return verifier


class VcApiVerifyController(Controller):
    """``/credentials/verify`` as the W3C VC-API names it (no token: verification is public)."""

    path = "/credentials"
    tags = ["verification"]  # noqa: RUF012

    # A credential document is expanded as JSON-LD (the VCDM 2.0 checks, rdfc proofs): tens
    # of milliseconds, too long for the event loop, so it runs in a worker thread. (The QR
    # scan stays on the loop.) Throttle public traffic at the edge.
    @post(
        "/verify",
        sync_to_thread=True,
        status_code=200,
        responses={
            **answered(200, VerificationAnswer, VERIFIED),
            **documented(400, 413),
            422: not_valid_answer(VC_API_422),
        },
    )
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

    @GuardedHandler(
        "",
        http_method=HttpMethod.POST,
        guards=[partner_guard],
        status_code=200,
        opt={PARTNER_LIMIT: True},
        description=PARTNER_ACTIONABLE_CODES,
        operation_class=also_as(problem=(422,)),
        responses={
            **answered(200, VerificationAnswer, VERIFIED),
            **documented(
                400,
                401,
                403,
                413,
                429,
                codes={
                    400: DOCUMENTED_CODES[400] + "; " + DEEP_400,
                    403: PARTNER_403,
                    413: "BODY_TOO_LARGE (请求体超过 64 KB / over 64 KB)",
                },
            ),
            422: not_valid_answer(
                NOT_VALID_ANSWER
                + f"{PURPOSE_422}; VERIFY_INPUT_REQUIRED (qr 与 credential 必须且只能提供一个 / "
                f"give exactly one of qr or credential); {REGION_422}"
            ),
        },
    )
    async def verify(
        self, request: Request[Any, Any, Any], data: JSONBody[PartnerVerifyRequest]
    ) -> Response[dict[str, Any]]:
        """Verify a QR or a credential for the asking region, stating the purpose (用证事由).

        The check is logged with the client, region, purpose and time; the holder can read
        that log. A partner token with a registered statutory basis also gets the record's
        ID and passport numbers, masked (``holderNumbers``).
        """
        verifier = _verifier(request)
        principal = principal_of(request)
        asked: dict[str, Any] = {
            "purpose": data.purpose,
            "qr": data.qr,
            "credential": data.credential,
            "region": data.region,
        }
        # A QR checked on SQLite with the write lock free runs here on the loop; the rest
        # (a credential's JSON-LD, PostgreSQL's round trips, a taken lock) in a thread.
        checked = partner_verify_at_once(verifier, principal, **asked, now=datetime.now(UTC))
        if checked is None:
            checked = await anyio.to_thread.run_sync(
                lambda: partner_verify(verifier, principal, **asked, now=datetime.now(UTC))
            )
        facts = checked.verification.facts
        status = 200 if checked.verification.verified else 422
        # The operators' log line is written once the answer is sent (the access-log row,
        # which the holder reads, is committed before it): it is not on the answer's path.
        line = BackgroundTask(
            log_partner_check,
            principal.token_id,
            checked.region,
            facts.record_id if facts else "-",
            checked.purpose,
        )
        return Response(checked.body, status_code=status, background=line)

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
        """Does the typed number (an ID number of any kind, or a passport number) belong to
        the record's holder? Answers match or no match only; the record may be named by its
        id, its e-licence identifier or its QR.

        Public (the verify page) or with a partner token; a token must state a purpose.
        Every check is logged for the holder to see.
        """
        record_id, matched = match_holder(
            _verifier(request),
            optional_principal(request),
            record=data.record,
            number=data.idNumber,
            purpose=data.purpose,
            now=datetime.now(UTC),
        )
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
        "",
        sync_to_thread=False,  # CPU-bound, like VC-API verify above
        status_code=200,
        operation_class=also_as(problem=(422,)),
        responses={
            **answered(200, VerificationAnswer, VERIFIED),
            **documented(400, 413, codes={413: "BODY_TOO_LARGE (请求体超过 64 KB / over 64 KB)"}),
            422: not_valid_answer(SCAN_422 + f"; or a problem: {REGION_422}"),
        },
    )
    def scan(
        self, request: Request[Any, Any, Any], data: JSONBody[ScanRequest]
    ) -> Response[dict[str, Any]]:
        """Verify a scanned payload, for the employer's region when the page names one
        (recognition: native, under which agreement and as what, or not recognised); the
        answer holds only public facts. The public page is anonymous, so nothing is logged."""
        verifier = _verifier(request)
        return _answer(verifier.qr(data.payload, now=datetime.now(UTC), region=data.region))

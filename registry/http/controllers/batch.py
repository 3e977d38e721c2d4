"""``POST /api/v1/verify/batch``: partners verify up to 1,000 items in one call."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, post
from litestar.params import JSONBody

from registry.http.documentation import (
    PARTNER_403,
    PARTNER_ACTIONABLE_CODES,
    PURPOSE_422,
    REGION_422,
    documented,
)
from registry.http.ratelimit import PARTNER_LIMIT
from registry.http.security import partner_guard, principal_of
from registry.http.wire_authority import BatchVerifyRequest
from registry.services.partners.batch import verify_batch
from registry.services.verification.verifier import Verifier

BATCH_MAX_BYTES = 8 * 1024 * 1024  # 1,000 joint-title credentials with four proofs each fit


class BatchVerifyController(Controller):
    """The partner API's bulk verification."""

    path = "/api/v1/verify/batch"
    tags = ["partners"]  # noqa: RUF012

    @post(
        "",
        guards=[partner_guard],
        sync_to_thread=True,  # 1,000 signature checks: keep the event loop free
        status_code=200,
        opt={PARTNER_LIMIT: True},
        request_max_body_size=BATCH_MAX_BYTES,
        description=(
            "Up to 1,000 items (a QR text, or `{qr}`, or `{credential}`) for the asking "
            "region (the partner token's own), with the purpose (用证事由). One answer per item, "
            "in order, each with `index`; a malformed item gets its own format failure "
            "(`BATCH_ITEM_INVALID`) and never fails the others. More than 1,000 items: 413 "
            "`BATCH_TOO_LARGE`. Limited per client (token): 429 `RATE_LIMITED` with "
            "RateLimit-* headers.\n\n" + PARTNER_ACTIONABLE_CODES
        ),
        responses=documented(
            400,
            401,
            403,
            413,
            422,
            429,
            codes={403: PARTNER_403, 422: f"{PURPOSE_422}; {REGION_422}"},
        ),
    )
    def batch(
        self, request: Request[Any, Any, Any], data: JSONBody[BatchVerifyRequest]
    ) -> dict[str, Any]:
        """Verify many QR payloads or credentials in one call."""
        verifier: Verifier = request.app.state.verifier
        answered = verify_batch(
            verifier,
            principal_of(request),
            data.items,
            purpose=data.purpose,
            region=data.region,
            now=datetime.now(UTC),
        )
        return answered.body()

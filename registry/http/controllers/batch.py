"""``POST /api/v1/verify/batch``: partners verify up to 1,000 items in one call."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, post
from litestar.params import JSONBody

from registry.http.problems import documented
from registry.http.ratelimit import PARTNER_LIMIT
from registry.http.security import partner_guard, principal_of
from registry.http.wire_authority import BatchVerifyRequest
from registry.services.batch import verify_batch
from registry.services.verification import Verifier

BATCH_MAX_BYTES = 8 * 1024 * 1024  # 1,000 joint-title credentials with four proofs each fit

PARTNER_ACTIONABLE_CODES = (
    "Each answer lists every check with a stable `code`. Codes a partner can act on: "
    "`ISSUER_UNKNOWN` (issuer_known: the issuer is not registered here or in an imported "
    "trust list); `ISSUER_OUT_OF_SCOPE` (issuer_authorised: on the issue date the issuer's "
    "scope did not cover the record; `detail.dimension` is type, date, series, specialty or "
    "level); `TRUST_LIST_STALE` (trust_list: the trust list vouching for the issuer is too "
    "old, refresh it); `KEY_COMPROMISED` (key_valid: signed after the key was compromised) "
    "and the warning `KEY_COMPROMISED_LATER` (signed before); recognition: "
    "`RECOGNITION_NATIVE`, `RECOGNITION_AGREEMENT` (`detail.agreement`, "
    "`detail.equivalent` in the asking region's terms), or not recognised: "
    "`RECOGNITION_NO_AGREEMENT`, `RECOGNITION_OUT_OF_SCOPE` (`detail.dimension`), "
    "`RECOGNITION_NOT_YET_IN_FORCE`, `RECOGNITION_AGREEMENT_EXPIRED`. A jointly reviewed "
    "title's `proof_set` check lists each co-reviewing region's proof (region, signer, kid, "
    "outcome)."
)


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
            "region (default: the token's), with the purpose (用证事由). One answer per item, "
            "in order, each with `index`; a malformed item gets its own format failure "
            "(`BATCH_ITEM_INVALID`) and never fails the others. More than 1,000 items: 413 "
            "`BATCH_TOO_LARGE`. Limited per client (token): 429 `RATE_LIMITED` with "
            "RateLimit-* headers. " + PARTNER_ACTIONABLE_CODES
        ),
        responses=documented(400, 401, 403, 413, 422, 429),
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

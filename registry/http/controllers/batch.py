"""``POST /api/v1/verify/batch``: partners verify up to 1,000 items in one call."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, post
from litestar.params import JSONBody

from registry.core.checks import MESSAGES
from registry.http.problems import documented
from registry.http.ratelimit import PARTNER_LIMIT
from registry.http.security import partner_guard, principal_of
from registry.http.wire_authority import BatchVerifyRequest
from registry.services.partners.batch import verify_batch
from registry.services.verification.verifier import Verifier

BATCH_MAX_BYTES = 8 * 1024 * 1024  # 1,000 joint-title credentials with four proofs each fit

# Check codes in a verification answer that a partner can act on, with the check that
# gives each; their zh/en meanings come from the check catalogue, so they cannot drift.
PARTNER_CHECK_CODES: tuple[tuple[str, str], ...] = (
    ("ISSUER_UNKNOWN", "issuer_known"),
    ("ISSUER_OUT_OF_SCOPE", "issuer_authorised"),
    ("TRUST_LIST_STALE", "trust_list"),
    ("TRUST_LIST_EXPIRED", "trust_list"),
    ("KEY_COMPROMISED", "key_valid"),
    ("KEY_COMPROMISED_LATER", "key_valid"),
    ("KEY_NOT_YET_VALID", "key_valid"),
    ("KEY_EXPIRED", "key_valid"),
    ("RECOGNITION_NATIVE", "recognition"),
    ("RECOGNITION_AGREEMENT", "recognition"),
    ("RECOGNITION_NO_AGREEMENT", "recognition"),
    ("RECOGNITION_OUT_OF_SCOPE", "recognition"),
    ("RECOGNITION_NOT_YET_IN_FORCE", "recognition"),
    ("RECOGNITION_AGREEMENT_EXPIRED", "recognition"),
)


def _check_codes() -> str:
    lines = []
    for code, name in PARTNER_CHECK_CODES:
        zh, en = MESSAGES[code]
        lines.append(f"- `{code}` ({name}): {zh} / {en}")
    return "\n".join(lines)


PARTNER_ACTIONABLE_CODES = (
    "Each answer lists every check with a stable `code` and a message in Chinese and "
    "English. Codes a partner can act on:\n\n"
    + _check_codes()
    + "\n\n`ISSUER_OUT_OF_SCOPE` and `RECOGNITION_OUT_OF_SCOPE` name the uncovered "
    "`detail.dimension`; `RECOGNITION_AGREEMENT` gives `detail.agreement` and "
    "`detail.equivalent` in the asking region's terms; `TRUST_LIST_STALE`: refresh the "
    "imported trust list; `TRUST_LIST_EXPIRED`: nothing is valid on it until it is "
    "re-imported. A jointly reviewed title's `proof_set` check lists each co-reviewing "
    "region's proof (region, signer, kid, outcome). The asking region is the partner "
    "token's own: naming another is 403 `REGION_MISMATCH` (an admin token may name one)."
)

NOT_VALID_ANSWER = (
    "the record is not valid for the asking region: the body is the verification answer "
    "itself (`verified: false`, every check with its code, as listed above; 记录对查询地区"
    "无效，返回完整核验结果). Or a problem (application/problem+json): "
)

PARTNER_403 = (
    "ROLE_FORBIDDEN (该令牌无权执行此操作 / the token is not a partner's or an admin's); "
    "REGION_MISMATCH (伙伴令牌只能以本地区身份查询 / a partner token named a region other "
    "than its own)"
)
PURPOSE_422 = (
    "PURPOSE_REQUIRED (必须说明用证事由 / a purpose is required), FIELD_CONTROL_CHARACTER "
    "(用证事由不能含控制字符 / the purpose holds a control character)"
)
REGION_422 = "REGION_UNKNOWN (查询地区不是已知的行政区划代码 / the region is not a division code)"


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

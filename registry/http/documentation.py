"""What the API documents about its answers (OpenAPI): the error codes each status may
carry, and the pieces several controllers share (the check codes a partner can act on, a
422 that is a verification answer, the partner API's 403 and 422 codes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, Reference, Schema

from registry.core.checks import MESSAGES
from registry.http.problems import PROBLEM_JSON
from registry.http.wire import Problem
from registry.http.wire_answers import VerificationAnswer

JSON = "application/json"
HTML = "text/html"


def documented(
    *statuses: int, codes: dict[int, str] | None = None, parameters: bool = False
) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error answers a handler can give, with their codes.

    ``codes`` names a handler's own codes for some statuses instead of the shared list.
    ``parameters``: the handler takes path or query parameters, so a value that is not of
    its type is a 400 problem (without it, Litestar documents that 400 as plain JSON).
    """
    if parameters and 400 not in statuses:
        statuses = (400, *statuses)
        codes = {400: PARAMETER_400, **(codes or {})}
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=(codes or {}).get(status) or DOCUMENTED_CODES[status],
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in statuses
    }


def answered(
    status: int, data_container: Any, description: str, media_type: str = JSON
) -> dict[int, ResponseSpec]:
    """The OpenAPI entry of a success answer with its typed body and media type."""
    return {
        status: ResponseSpec(
            data_container=data_container,
            description=description,
            media_type=media_type,
            generate_examples=False,
        )
    }


def not_valid_answer(description: str) -> ResponseSpec:
    """The OpenAPI entry of a 422 that is a verification answer (``verified: false``);
    the description also names the problems the same status may carry (``also_as``
    documents their media type)."""
    return ResponseSpec(
        data_container=VerificationAnswer,
        description=description,
        media_type=JSON,
        generate_examples=False,
    )


NOT_MODIFIED = {
    304: ResponseSpec(
        data_container=None,
        description="not modified (If-None-Match names the current ETag) / 未修改",
        generate_examples=False,
    )
}


def also_as(**media: tuple[int, ...]) -> type[Operation]:
    """An operation class whose answers of these statuses may also come in another media
    type: ``also_as(problem=(422,))`` for a status that is a verification answer or a
    problem, ``also_as(html=(200, 404))`` for a page that answers JSON on request."""
    kinds: dict[str, tuple[str, Reference | Schema]] = {
        "problem": (PROBLEM_JSON, Reference("#/components/schemas/Problem")),
        "html": (HTML, Schema(type=OpenAPIType.STRING, description="a bilingual page")),
    }

    @dataclass
    class AlternativeMediaTypes(Operation):
        def __post_init__(self) -> None:
            for kind, statuses in media.items():
                media_type, schema = kinds[kind]
                for status in statuses:
                    response = (self.responses or {})[str(status)]
                    if isinstance(response, Reference):
                        continue
                    response.content = dict(response.content or {})
                    response.content[media_type] = OpenAPIMediaType(schema=schema)

    return AlternativeMediaTypes


PARAMETER_400 = "REQUEST_INVALID (a path or query parameter is not of its type or out of its range)"
DOCUMENTED_CODES: dict[int, str] = {
    400: "MALFORMED_JSON (the body is not JSON); REQUEST_INVALID (a field is missing, unknown "
    "or of the wrong type; errors[].pointer names it)",
    401: "TOKEN_MISSING, TOKEN_UNKNOWN (WWW-Authenticate: Bearer)",
    403: "ROLE_FORBIDDEN, ISSUER_OUT_OF_SCOPE (the message names the dimension: type, date, "
    "series, specialty or level), ISSUER_MISMATCH, RECORD_NOT_YOURS",
    404: "RECORD_UNKNOWN, ISSUER_UNKNOWN, SCHEMA_UNKNOWN, STATUS_LIST_UNKNOWN, NOT_FOUND, "
    "SCOPE_UNKNOWN, KEY_UNKNOWN, AGREEMENT_UNKNOWN, REGION_UNKNOWN, REVIEW_SESSION_UNKNOWN, "
    "HOLDER_LINK_UNKNOWN",
    409: "IDEMPOTENCY_KEY_REUSED, ISSUE_CONFLICT, ISSUER_EXISTS, REGION_EXISTS, AGREEMENT_EXISTS, "
    "EQUIVALENCE_EXISTS, SCOPE_ALREADY_ENDED, AGREEMENT_ALREADY_ENDED, KEY_NOT_ACTIVE, "
    "KEY_ALREADY_COMPROMISED, POSTDOC_ACTIVE_AFFILIATION (a postdoc's leaving is recorded by "
    "amending the active in-station record), POSTDOC_STATE_FINAL (an amendment cannot return "
    "a completed or withdrawn postdoc record to in station), CERTIFICATE_RECORD_FINAL (a revoked, "
    "cancelled or superseded record gets no certificate)",
    413: "BODY_TOO_LARGE (over 64 KB; 8 MB for a batch), BATCH_TOO_LARGE (over 1,000 items)",
    422: "CREDENTIAL_SCHEMA_INVALID, ID_NUMBER_INVALID, USCC_INVALID, TITLE_NAME_MISMATCH, "
    "RECORD_TYPE_UNSUPPORTED, JOINT_COMMITTEE_UNKNOWN, REVIEW_REGION_NO_BUREAU, "
    "RECORD_ID_INVALID, REGION_UNKNOWN, PURPOSE_REQUIRED, VERIFY_INPUT_REQUIRED, CODE_UNKNOWN, "
    "ISSUER_KIND_UNKNOWN, SCOPE_TYPES_REQUIRED, SCOPE_TITLE_FIELDS_WITHOUT_TITLE, "
    "SCOPE_DATES_INVALID, SCOPE_END_IN_PAST, AGREEMENT_END_IN_PAST, AGREEMENT_ID_INVALID, "
    "AGREEMENT_PARTIES, "
    "AGREEMENT_DATES_INVALID, EQUIVALENCE_KIND_UNKNOWN, KEY_COMPROMISE_IN_FUTURE, "
    "TIME_OFFSET_REQUIRED, DATETIME_OUT_OF_RANGE, INTEGER_OUT_OF_RANGE, "
    "QUALIFICATION_KIND_MISMATCH, QUALIFICATION_LEVEL_MISMATCH, "
    "QUALIFICATION_SPECIALTY_MISMATCH, QUALIFICATION_SHARING_MISMATCH, CE_HOURS_MISMATCH, "
    "CE_COURSE_YEAR_MISMATCH, EQUIVALENCE_SPECIALTY_SERIES_MISMATCH, CATALOGUE_UNKNOWN, "
    "CATALOGUE_VERSION_UNKNOWN, CATALOGUE_ITEM_UNKNOWN, EQUIVALENCE_MAPPING_MISMATCH, "
    "FIELD_TOO_LONG (a text longer than the store keeps; the message names the limit), "
    "FIELD_CONTROL_CHARACTER (a name, note or purpose holding a control character) "
    "(errors[].pointer names each bad field), QR_PAYLOAD_TOO_LONG (the record's QR would "
    "exceed 395 bytes), CERTIFICATE_GLYPH_MISSING (a text holds a character the certificate "
    "font lacks; the message names it), SESSION_KEY_INVALID",
    429: "RATE_LIMITED (RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset headers; partner "
    "API: per client token), MATCH_LOCKED (too many failed ID-number matches of one record: "
    "its matching is paused, Retry-After says for how many seconds)",
    503: "REGISTRY_NOT_INITIALISED, KEY_PASSPHRASE_MISSING, KEY_PASSPHRASE_WRONG",
}


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

"""One table from error kinds to HTTP statuses, and problem-details bodies (RFC 9457).

Every error body carries a stable ``code`` and a message in Chinese and English. No stack
trace and no submitted value ever reaches a response.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from registry.core.errors import ErrorKind, RegistryError
from registry.core.formats.canonical import too_deep
from registry.http.redaction import redact_path

PROBLEM_JSON = "application/problem+json"
REALM = "yrd-talent-registry"
# Litestar's own words for a body that is not JSON (msgspec's decode errors).
MALFORMED_JSON_HINTS = (
    "json is malformed",
    "truncated",
    "invalid json",
    "malformed json",
    "invalid utf-8",  # msgspec 0.23 and later
)
ERROR_TYPE_BASE = "https://w3id.org/yrd-talent/errors#"
log = logging.getLogger("registry.http")

STATUS_OF_KIND: dict[ErrorKind, int] = {
    ErrorKind.MALFORMED: 400,
    ErrorKind.INVALID: 422,
    ErrorKind.UNAUTHENTICATED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.TOO_LARGE: 413,
    ErrorKind.UNAVAILABLE: 503,
    ErrorKind.LIMITED: 429,
}

HTTP_CODES: dict[int, tuple[str, str, str]] = {
    400: ("REQUEST_INVALID", "请求格式错误", "the request is malformed"),
    401: ("TOKEN_MISSING", "需要访问令牌", "authentication required"),
    403: ("ROLE_FORBIDDEN", "无权执行此操作", "not allowed"),
    404: ("NOT_FOUND", "资源不存在", "no such resource"),
    405: ("METHOD_NOT_ALLOWED", "不支持该请求方法", "method not allowed"),
    413: ("BODY_TOO_LARGE", "请求体过大", "request body too large"),
    415: ("MEDIA_TYPE_UNSUPPORTED", "不支持的内容类型", "unsupported media type"),
    429: ("RATE_LIMITED", "请求过于频繁，请稍后再试", "too many requests, try again later"),
}


def problem(
    status: int,
    code: str,
    zh: str,
    en: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    """A problem-details response; a 401 names the Bearer scheme (RFC 9110 11.6.1)."""
    body: dict[str, Any] = {
        "type": ERROR_TYPE_BASE + code,
        "title": en,
        "status": status,
        "code": code,
        "detail": f"{zh} / {en}",
        "message": {"zh": zh, "en": en},
    }
    if errors:
        body["errors"] = errors
    headers = dict(headers or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", f'Bearer realm="{REALM}"')
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_errors(error: RegistryError) -> list[dict[str, Any]]:
    """The ``errors`` member of a problem: each bad field's pointer, code and message."""
    return [
        {"pointer": p.pointer, "code": p.code, "message": {"zh": p.message_zh, "en": p.message_en}}
        for p in error.problems
    ]


def error_item(error: RegistryError) -> dict[str, Any]:
    """A registry error as one item of a batch answer: the status it would have alone,
    its code, message and field errors (a problem's members, without the type URI)."""
    item: dict[str, Any] = {
        "status": STATUS_OF_KIND[error.kind],
        "code": error.code,
        "message": {"zh": error.message_zh, "en": error.message_en},
    }
    if error.problems:
        item["errors"] = field_errors(error)
    return item


def registry_error_handler(
    _: Request[Any, Any, Any], error: RegistryError
) -> Response[dict[str, Any]]:
    """Map the registry's own errors by kind; a locked match says when to retry."""
    retry_after = getattr(error, "retry_after", 0)
    return problem(
        STATUS_OF_KIND[error.kind],
        error.code,
        error.message_zh,
        error.message_en,
        errors=field_errors(error),
        headers={"Retry-After": str(retry_after)} if retry_after else None,
    )


def _pointer(key: str, message: str) -> tuple[str, str]:
    """A JSON pointer from Litestar's key and msgspec's ``- at `$.a.b``` suffix."""
    base = "" if key in ("", "data") else "/" + key
    text, _, path = message.partition(" - at `$")
    path = path.rstrip("`")
    for part in path.replace("[", ".").replace("]", "").split("."):
        if part:
            base += "/" + part
    return base, text


def _validation_errors(error: ValidationException) -> list[dict[str, Any]]:
    found = []
    for item in error.extra if isinstance(error.extra, list) else []:
        if isinstance(item, dict):
            message = str(item.get("message", ""))
            if message == "'data'":
                message = "request body required"
            pointer, text = _pointer(str(item.get("key", "")), message)
            found.append(
                {
                    "pointer": pointer,
                    "code": "FIELD_INVALID",
                    "message": {"zh": "字段缺失、多余或类型错误", "en": text[:200]},
                }
            )
    return found


def http_error_handler(_: Request[Any, Any, Any], error: HTTPException) -> Response[dict[str, Any]]:
    """Map Litestar's own exceptions (bad JSON, unknown fields, 404, 405, 413, 429...)."""
    status = error.status_code
    detail = str(error.detail or "").lower()
    if status == 400 and any(hint in detail for hint in MALFORMED_JSON_HINTS):
        return malformed_json()
    if isinstance(error, ValidationException):
        return problem(
            400,
            "REQUEST_INVALID",
            "请求字段缺失、多余或类型错误",
            "a request field is missing, unknown or of the wrong type",
            errors=_validation_errors(error),
        )
    if isinstance(error, NotFoundException):
        return problem(404, *HTTP_CODES[404])
    code, zh, en = HTTP_CODES.get(status, ("HTTP_ERROR", "请求失败", "request failed"))
    return problem(status, code, zh, en, headers=dict(error.headers or {}))


def malformed_json() -> Response[dict[str, Any]]:
    """The answer for a body that is not JSON."""
    return problem(400, "MALFORMED_JSON", "请求体不是有效的 JSON", "the body is not valid JSON")


def too_deep_handler(_: Request[Any, Any, Any], __: RecursionError) -> Response[dict[str, Any]]:
    """JSON nested so deeply that decoding it recursed too far."""
    error = too_deep()
    return problem(400, error.code, error.message_zh, error.message_en)


def undecodable_body_handler(
    _: Request[Any, Any, Any], __: UnicodeDecodeError
) -> Response[dict[str, Any]]:
    """Bytes that are not UTF-8 inside a JSON string: the body is not JSON."""
    return malformed_json()


def internal_error_handler(
    request: Request[Any, Any, Any], error: Exception
) -> Response[dict[str, Any]]:
    """The last resort: log the type only (never the request body) and answer 500."""
    path = redact_path(request.url.path)  # a holder link's secret never reaches a log
    log.error("internal error on %s %s: %s", request.method, path, type(error).__name__)
    return problem(
        HTTP_500_INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "服务器内部错误", "internal server error"
    )


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    RegistryError: registry_error_handler,
    HTTPException: http_error_handler,
    UnicodeDecodeError: undecodable_body_handler,
    RecursionError: too_deep_handler,
    Exception: internal_error_handler,
}

__all__ = ["EXCEPTION_HANDLERS", "PROBLEM_JSON", "problem"]

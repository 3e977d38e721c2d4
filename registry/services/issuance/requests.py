"""An issuance request checked before anything is signed: its record type, its schema
pointers, the type's pure consistency rules, the issuer it names, the token sending it,
and its idempotency key (a client's own, or a review session row's)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from registry.core.errors import FieldProblem, RegistryError, forbidden, invalid, invalid_field
from registry.core.formats.canonical import canonical_json
from registry.core.formats.timefmt import parse_instant
from registry.core.records.credential import record_type_of
from registry.core.recordtypes import RECORD_TYPES, public_details, spec_of
from registry.services.access.tokens import Principal, require_role
from registry.services.runtime.context import Registry
from registry.storage.tables import IssuerRow


def record_type_in(credential: Mapping[str, Any]) -> str:
    """The record type a request asks for, one of ``RECORD_TYPES``."""
    record_type = record_type_of(credential)
    if record_type is None:
        raise invalid_field(
            "/credential/type",
            "RECORD_TYPE_UNSUPPORTED",
            "不支持的记录类型",
            f"unsupported record type (supported: {', '.join(RECORD_TYPES)})",
        )
    return record_type


def in_request(error: RegistryError) -> RegistryError:
    """The error with its pointers made relative to the request body (``/credential``)."""
    problems = tuple(replace(p, pointer="/credential" + p.pointer) for p in error.problems)
    return replace(error, problems=problems)


def check_consistency(record_type: str, credential: Mapping[str, Any], now: datetime) -> None:
    """The type's pure rules beyond the schema (title name vs level, permit validity...)."""
    spec = spec_of(record_type)
    subject = credential["credentialSubject"]
    stated_from, stated_until = credential.get("validFrom"), credential.get("validUntil")
    try:
        spec.check(
            public_details(spec, subject),
            subject[spec.subject_key],
            parse_instant(stated_from, "validFrom") if stated_from else now,
            parse_instant(stated_until, "validUntil") if stated_until else None,
        )
    except RegistryError as error:
        raise in_request(error) from None


def check_issuer_named(
    credential: Mapping[str, Any], issuer: IssuerRow, registry: Registry
) -> None:
    """Refuse a credential naming another issuer than the token's."""
    stated = credential.get("issuer")
    if isinstance(stated, Mapping):
        stated = stated.get("id")
    if stated is not None and stated != registry.urls.issuer(issuer.uscc):
        raise forbidden(
            "ISSUER_MISMATCH",
            "凭证中的签发机构与令牌不符",
            "the credential names another issuer than the token's",
        )


MAX_IDEMPOTENCY_KEY = 128  # the column's length
SHEET_ROW_PREFIX, BATCH_ITEM_PREFIX = "sheet:", "batch:"  # review sessions' row keys
SESSION_ROW_PREFIXES = (BATCH_ITEM_PREFIX, SHEET_ROW_PREFIX)


def idempotency_key_of(client_key: str | None, session_row_key: str | None) -> str | None:
    """The key a record is stored under: a client's own (checked: 1-128 characters, none
    a control character, not a review session's row key), or a session row's."""
    if session_row_key is not None:
        return session_row_key
    if client_key is None:
        return None
    reserved = client_key.startswith(SESSION_ROW_PREFIXES)
    if (
        not client_key
        or len(client_key) > MAX_IDEMPOTENCY_KEY
        or not client_key.isprintable()
        or reserved
    ):
        zh = "幂等键须为 1-128 个可打印字符，且不以 batch: 或 sheet: 开头（评审批次专用）"
        en = (
            "an idempotency key is 1-128 printable characters, not starting with batch: or "
            "sheet: (kept for review sessions)"
        )
        problem = FieldProblem("/options/idempotencyKey", "IDEMPOTENCY_KEY_INVALID", zh, en)
        raise invalid("IDEMPOTENCY_KEY_INVALID", zh, en, (problem,))
    return client_key


def require_issuer_token(principal: Principal) -> str:
    """The USCC of the issuer a token is bound to: only such a token issues (an admin
    token bound to none neither)."""
    require_role(principal, "issuer")
    if not principal.issuer_uscc:
        raise forbidden(
            "TOKEN_NOT_ISSUER", "该令牌不属于任何签发机构", "this token is not bound to an issuer"
        )
    return principal.issuer_uscc


def request_digest(credential: Mapping[str, Any]) -> str:
    """A digest of an issuance request, to tell a replay from a different request."""
    return hashlib.sha256(canonical_json(credential)).hexdigest()

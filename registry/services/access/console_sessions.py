"""Sessions of the clerks' web console (``/console``): an API token starts one, a signed
cookie carries it.

The cookie holds no secret: the token's row id, when the session started, when it was last
used and a random nonce, with an HMAC-SHA256 over them *and the token's stored hash* under
a key derived from the registry's hash key. Every request re-reads the token, so a revoked
token ends its sessions at once, and a cookie cannot be moved to another token. Sessions
end after ``IDLE_LIMIT`` without use and ``ABSOLUTE_LIMIT`` after sign-in, whatever the use.
Each form carries a synchroniser token derived from the session's nonce (CSRF).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from registry.core.errors import RegistryError, forbidden, unauthenticated
from registry.services.access.tokens import Principal, authenticate, require_role
from registry.services.runtime.context import Registry
from registry.storage.repositories import IssuerRepository, TokenRepository

IDLE_LIMIT = timedelta(minutes=30)
ABSOLUTE_LIMIT = timedelta(hours=12)
_VERSION = "c1"
_KEY_LABEL = b"registry console session v1"
_MAX_COOKIE = 512


@dataclass(frozen=True)
class ConsoleSession:
    """A signed-in clerk: the principal of the token and the session's own facts."""

    principal: Principal
    started: int  # epoch seconds
    seen: int
    nonce: str  # random; the forms' synchroniser token is derived from it


def _key(registry: Registry) -> bytes:
    return hmac.new(registry.hash_key, _KEY_LABEL, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signed_out() -> RegistryError:
    """No session, or a cookie that is not one of ours."""
    return unauthenticated(
        "CONSOLE_SIGNED_OUT",
        "请先用访问令牌登录控制台",
        "sign in to the console with an API token first",
    )


def session_expired() -> RegistryError:
    """A session past its idle or absolute limit, or whose token was revoked."""
    return unauthenticated(
        "CONSOLE_SESSION_EXPIRED",
        "登录已过期（闲置 30 分钟或登录超过 12 小时），请重新登录",
        "the session has expired (30 minutes idle or 12 hours since sign-in): sign in again",
    )


def csrf_refused() -> RegistryError:
    """A form sent without this session's synchroniser token."""
    return forbidden(
        "CONSOLE_CSRF_INVALID",
        "表单已失效或来源不明，请刷新页面后重试",
        "the form is stale or did not come from this console: reload the page and retry",
    )


def _mac(registry: Registry, payload: str, stored_hash: str) -> str:
    message = f"{payload}|{stored_hash}".encode()
    return _b64(hmac.new(_key(registry), message, hashlib.sha256).digest())


def _cookie(registry: Registry, session: ConsoleSession) -> str:
    body = {
        "t": session.principal.token_id,
        "s": session.started,
        "a": session.seen,
        "n": session.nonce,
    }
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    return f"{_VERSION}.{payload}.{_mac(registry, payload, session.principal.stored_hash)}"


def sign_in(registry: Registry, token: str, *, now: datetime) -> tuple[ConsoleSession, str]:
    """Start a session with an issuer's or an admin's API token; the session and its cookie
    value. A partner token is refused (``ROLE_FORBIDDEN``), an unknown or revoked one too
    (``TOKEN_UNKNOWN``)."""
    principal = authenticate(registry, "Bearer " + token.strip())
    require_role(principal, "issuer")
    moment = int(now.timestamp())
    session = ConsoleSession(principal, moment, moment, secrets.token_urlsafe(16))
    return session, _cookie(registry, session)


def _principal_of_token(registry: Registry, token_id: int) -> Principal | None:
    with registry.reading() as db:
        row = TokenRepository(db).get(token_id)
        if row is None or row.id is None or row.revoked_at is not None:
            return None
        issuer = IssuerRepository(db).by_id(row.issuer_id) if row.issuer_id else None
    uscc = issuer.uscc if issuer is not None else None
    return Principal(
        row.id, row.role, uscc, row.region_code, row.name, row.statutory_basis, row.token_hash
    )


def resume(registry: Registry, cookie: str | None, *, now: datetime) -> tuple[ConsoleSession, str]:
    """The session a cookie carries, refreshed (its new cookie value: the idle clock
    restarts). ``CONSOLE_SIGNED_OUT`` for no or a forged cookie, ``CONSOLE_SESSION_EXPIRED``
    past a limit or when the token was revoked or lost its role."""
    if not cookie or len(cookie) > _MAX_COOKIE:
        raise signed_out()
    version, _, rest = cookie.partition(".")
    payload, _, mac = rest.partition(".")
    try:
        body = json.loads(_unb64(payload))
        token_id, started, seen, nonce = body["t"], body["s"], body["a"], body["n"]
    except (ValueError, KeyError, TypeError):
        raise signed_out() from None
    if version != _VERSION or not all(isinstance(v, int) for v in (token_id, started, seen)):
        raise signed_out()
    if not isinstance(nonce, str):
        raise signed_out()
    principal = _principal_of_token(registry, token_id)
    if principal is None:
        raise session_expired()
    if not hmac.compare_digest(mac, _mac(registry, payload, principal.stored_hash)):
        raise signed_out()
    moment = int(now.timestamp())
    if moment - seen > IDLE_LIMIT.total_seconds() or moment - started > (
        ABSOLUTE_LIMIT.total_seconds()
    ):
        raise session_expired()
    try:
        require_role(principal, "issuer")
    except RegistryError:
        raise session_expired() from None
    session = ConsoleSession(principal, started, max(seen, moment), nonce)
    return session, _cookie(registry, session)


def csrf_token_of(registry: Registry, nonce: str) -> str:
    """The synchroniser token for forms of the session (or sign-in page) with ``nonce``."""
    return _b64(hmac.new(_key(registry), b"csrf|" + nonce.encode(), hashlib.sha256).digest())


def check_csrf(registry: Registry, nonce: str, sent: str | None) -> None:
    """Refuse (403 ``CONSOLE_CSRF_INVALID``) a form without the session's token."""
    if not sent or not hmac.compare_digest(sent, csrf_token_of(registry, nonce)):
        raise csrf_refused()


__all__ = [
    "ABSOLUTE_LIMIT",
    "IDLE_LIMIT",
    "ConsoleSession",
    "check_csrf",
    "csrf_refused",
    "csrf_token_of",
    "resume",
    "session_expired",
    "sign_in",
    "signed_out",
]

"""Guards: every write and partner endpoint authenticates a bearer token, then checks
its role. The principal is kept on the connection for the handler. Also the headers that
forbid every answer of the app from being shown inside another site's frame."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.handlers import HTTPRouteHandler
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Message, Scope

from registry.services.access.tokens import Authenticator, Principal, require_role

PRINCIPAL = "principal"  # the key of the request's principal in the scope's state
_AUTHORIZATION = b"authorization"


async def authenticated(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The principal behind the request's bearer token, or a 401 error; kept on the
    connection. A recently seen token is answered from memory; any other is looked up off
    the event loop, so a slow database stalls no other request."""
    return await scope_principal(connection.scope)


async def scope_principal(scope: Scope) -> Principal:
    """``authenticated`` on the raw ASGI scope: the principal is authenticated once per
    request (the partner limiter and the guard both ask) and kept in the scope's state,
    where ``connection.state`` finds it; the next request is authenticated again, so a
    revoked token is refused on it."""
    state: dict[str, Any] = scope["state"]
    known: Principal | None = state.get(PRINCIPAL)
    if known is not None:
        return known
    authenticator: Authenticator = scope["litestar_app"].state.authenticator
    header = authorization_header(scope)
    principal = authenticator.cached(header)
    if principal is None:
        principal = await anyio.to_thread.run_sync(authenticator.authenticate, header)
    state[PRINCIPAL] = principal
    return principal


def authorization_header(scope: Scope) -> str | None:
    """The request's ``Authorization`` header (the first, as ``Headers.get`` answers), read
    off the raw headers without building a ``Headers`` object."""
    for name, value in scope["headers"]:
        if name.lower() == _AUTHORIZATION:
            return value.decode("latin-1")
    return None


class GuardedHandler(HTTPRouteHandler):
    """A route handler whose guards are handed the handler itself (``@GuardedHandler(path,
    http_method=HttpMethod.POST, ...)``). Litestar hands each guard a copy of the handler,
    made for every request (≈ 10 µs on the partner check's path) in case a guard changes
    it; the registry's guards only read the connection."""

    async def authorize_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> None:
        """Run the guards in scope; the first to refuse raises."""
        for guard in self.resolve_guards():
            checking = guard(connection, self)
            if checking is not None:  # resolved guards are coroutine functions
                await checking


async def issuer_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Only issuer tokens (and admins) pass."""
    require_role(await authenticated(connection), "issuer")


async def partner_guard(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Only partner tokens (and admins) pass."""
    require_role(await authenticated(connection), "partner")


async def admin_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Only admin tokens pass."""
    require_role(await authenticated(connection), "admin")


def optional_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """For endpoints open to the public that also take tokens: ``None`` without an
    ``Authorization`` header, else its principal (a bad token is still refused). Blocking:
    call it from a handler that runs in a thread."""
    header = connection.headers.get("authorization")
    if header is None:
        return None
    authenticator: Authenticator = connection.app.state.authenticator
    return authenticator.cached(header) or authenticator.authenticate(header)


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The principal a guard authenticated for this request."""
    principal: Principal = connection.scope["state"][PRINCIPAL]
    return principal


FRAME_ANCESTORS = "frame-ancestors 'none'"
_POLICY = b"content-security-policy"
_FRAME_OPTIONS = b"x-frame-options"
_ANCESTORS = FRAME_ANCESTORS.encode("latin-1")


async def forbid_framing(message: Message, _: Scope) -> None:
    """A ``before_send`` hook (a coroutine: Litestar runs a plain function in a worker
    thread, a thread hop for each message of every answer): every answer, HTML pages, error
    pages and the OpenAPI pages included, says it may not be framed (clickjacking), both as
    CSP ``frame-ancestors 'none'`` (added to a page's own policy) and as
    ``X-Frame-Options: DENY`` for browsers without CSP level 2."""
    if message["type"] == "http.response.start":
        message["headers"] = framed(message.get("headers", ()))


def framed(
    headers: Iterable[tuple[bytes, bytes]], stamp: tuple[bytes, bytes] | None = None
) -> list[tuple[bytes, bytes]]:
    """An answer's raw headers with the framing headers (``forbid_framing``) and, when
    given, one more header ``stamp`` replacing any of its name. One pass over the headers
    (every answer pays it)."""
    dropped = (_FRAME_OPTIONS,) if stamp is None else (_FRAME_OPTIONS, stamp[0])
    kept = [(name, value) for name, value in headers if name.lower() not in dropped]
    policies = [index for index, (name, _) in enumerate(kept) if name.lower() == _POLICY]
    if not any(b"frame-ancestors" in kept[index][1] for index in policies):
        if len(policies) == 1:
            index = policies[0]
            kept[index] = (_POLICY, kept[index][1].rstrip(b"; ") + b"; " + _ANCESTORS)
        else:  # none, or several (each is enforced, so one more policy is enough)
            kept.append((_POLICY, _ANCESTORS))
    kept.append((_FRAME_OPTIONS, b"DENY"))
    if stamp is not None:
        kept.append(stamp)
    return kept

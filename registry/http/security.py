"""Guards: every write and partner endpoint authenticates a bearer token, then checks
its role. The principal is kept on the connection for the handler."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from registry.services.access.tokens import Authenticator, Principal, require_role


async def _authenticate(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """A recently seen token is answered from memory; any other is looked up off the event
    loop, so a slow database stalls no other request."""
    authenticator: Authenticator = connection.app.state.authenticator
    header = connection.headers.get("authorization")
    principal = authenticator.cached(header)
    if principal is None:
        principal = await anyio.to_thread.run_sync(authenticator.authenticate, header)
    connection.state.principal = principal
    return principal


async def issuer_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Only issuer tokens (and admins) pass."""
    require_role(await _authenticate(connection), "issuer")


async def partner_guard(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Only partner tokens (and admins) pass."""
    require_role(await _authenticate(connection), "partner")


async def admin_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Only admin tokens pass."""
    require_role(await _authenticate(connection), "admin")


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
    principal: Principal = connection.state.principal
    return principal

"""Rate limits of the partner API, per client (per authenticated token), shared by every
worker.

Litestar's rate limiter counts requests in a store: in-process memory by default, Redis
when ``REGISTRY_REDIS_URL`` is set, so that every worker and host counts against the same
limit. A request is counted against the token it authenticates as, named by the token's
stored hash: the same secret written ``bearer X``, ``BEARER X`` or ``Bearer  X`` is one
client, and no secret reaches the store. A request that does not authenticate is not counted; the
handler's guard answers it 401, so no client can fill a bucket another depends on.
Handlers opt in with ``opt={PARTNER_LIMIT: True}``; a refusal is a 429 problem with the
RateLimit headers.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore

from registry.core.errors import ErrorKind, RegistryError
from registry.http.security import authenticated, principal_of
from registry.settings import Settings

PARTNER_LIMIT = "partner_rate_limit"
PARTNER_STORE = "rate_limit_partner"
REDIS_NAMESPACE = "yrd_registry"


def partner_identifier(request: Request[Any, Any, Any]) -> str:
    """The client a request counts against: the token it authenticated with, named by the
    token's stored hash (the same for every spelling of the header; never the secret)."""
    stored_hash = principal_of(request).stored_hash
    if not stored_hash:
        raise RuntimeError("a rate-limited request without an authenticated token")
    return "token:" + stored_hash[:32]


class PartnerRateLimitMiddleware(RateLimitMiddleware):
    """Litestar's limiter, applied only to handlers marked with ``PARTNER_LIMIT``, and only
    to requests that authenticate (the guard then reuses the principal found here)."""

    async def should_check_request(self, request: Request[Any, Any, Any]) -> bool:
        """Count a partner API request once its token is known; leave the rest to the guard."""
        handler = request.scope.get("route_handler")
        if handler is None or not handler.opt.get(PARTNER_LIMIT):
            return False
        try:
            await authenticated(request)
        except RegistryError as error:
            if error.kind is not ErrorKind.UNAUTHENTICATED:
                raise
            return False  # not counted: the guard answers 401
        return True


def partner_rate_limit(settings: Settings) -> RateLimitConfig:
    """The partner limit: ``REGISTRY_PARTNER_RATE_LIMIT`` requests a minute per client."""
    return RateLimitConfig(
        rate_limit=("minute", settings.partner_rate_limit),
        store=PARTNER_STORE,
        identifier_for_request=partner_identifier,
        middleware_class=PartnerRateLimitMiddleware,
    )


def rate_limit_store(settings: Settings, name: str) -> Store:
    """Redis (shared by every worker) when configured, else this process's memory."""
    if settings.redis_url:
        return RedisStore.with_client(url=settings.redis_url, namespace=f"{REDIS_NAMESPACE}_{name}")
    return MemoryStore()


__all__ = [
    "PARTNER_LIMIT",
    "PARTNER_STORE",
    "PartnerRateLimitMiddleware",
    "partner_identifier",
    "partner_rate_limit",
    "rate_limit_store",
]

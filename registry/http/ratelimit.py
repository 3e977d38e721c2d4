"""Rate limits of the partner API, per client (per bearer token), shared by every worker.

Litestar's rate limiter counts requests in a store: in-process memory by default, Redis
when ``REGISTRY_REDIS_URL`` is set, so that every worker and host counts against the same
limit. The client is identified by a hash of its bearer token (the secret never reaches
the store); a request without a token is counted by its address. Handlers opt in with
``opt={PARTNER_LIMIT: True}``; a refusal is a 429 problem with the RateLimit headers.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware, get_remote_address
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore

from registry.services.access.tokens import token_hash
from registry.settings import Settings

PARTNER_LIMIT = "partner_rate_limit"
PARTNER_STORE = "rate_limit_partner"
REDIS_NAMESPACE = "yrd_registry"


def partner_identifier(request: Request[Any, Any, Any]) -> str:
    """The client a request counts against: its token's hash, else its address."""
    header = request.headers.get("authorization")
    if header and header.strip():
        return "client:" + token_hash(header.strip())[:32]
    return "address:" + get_remote_address(request)


class PartnerRateLimitMiddleware(RateLimitMiddleware):
    """Litestar's limiter, applied only to handlers marked with ``PARTNER_LIMIT``."""

    async def should_check_request(self, request: Request[Any, Any, Any]) -> bool:
        """Only the partner API's handlers are limited per client."""
        handler = request.scope.get("route_handler")
        return bool(handler is not None and handler.opt.get(PARTNER_LIMIT))


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

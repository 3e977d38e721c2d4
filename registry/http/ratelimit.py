"""Rate limits, counted atomically and shared by every worker when Redis is configured.

Each limit counts requests in a fixed window per client. The count lives in this
process's memory by default, and in Redis when ``REGISTRY_REDIS_URL`` is set, so that
every worker and host counts against the same limit: there one Lua script increments the
key and sets its expiry in one step (no read-modify-write that two workers could
interleave). Litestar's own limiter reads, appends and writes back a history under a
lock that only one process holds, which loses counts across workers.

The partner API is counted against the token a request authenticates as, named by the
token's stored hash: the same secret written ``bearer X``, ``BEARER X`` or ``Bearer  X``
is one client, and no secret reaches the store. A request that does not authenticate is
not counted; the handler's guard answers it 401, so no client can fill a bucket another
depends on. Handlers opt in with ``opt={PARTNER_LIMIT: True}``; a refusal is a 429
problem with the RateLimit headers.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from litestar import Litestar, Request
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.rate_limit import (
    DURATION_VALUES,
    RateLimitConfig,
    RateLimitMiddleware,
)
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from redis.asyncio import Redis

from registry.core.errors import ErrorKind, RegistryError
from registry.http.security import authenticated, principal_of, scope_principal
from registry.services.access.tokens import Principal
from registry.settings import Settings

PARTNER_LIMIT = "partner_rate_limit"
PARTNER_STORE = "rate_limit_partner"
MATCH_STORE = "rate_limit_match"
COUNTERS_STATE = "rate_limit_counters"
REDIS_STATE = "redis"  # the app's Redis client (or None), opened in the lifespan
REDIS_NAMESPACE = "yrd_registry"
REDIS_TIMEOUT = 2.0  # seconds: a Redis that does not answer must not hold requests for long

# KEYS[1]: the window's key; ARGV[1]: the window in seconds. Returns {count, seconds left}.
_HIT = """
local count = redis.call('INCR', KEYS[1])
local left = redis.call('TTL', KEYS[1])
if count == 1 or left < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
    left = tonumber(ARGV[1])
end
return {count, left}
"""


class WindowCounter(Protocol):
    """Counts hits of a key in a fixed window, atomically."""

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count one hit; the count in the current window and the seconds it has left."""
        ...


class MemoryCounter:
    """One process's windows (the default: right for a single worker)."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, float]] = {}

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count one hit (no await in between: atomic within the event loop)."""
        now = time.monotonic()
        count, ends = self._windows.get(key, (0, 0.0))
        if ends <= now:
            if len(self._windows) > 10_000:
                self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
            count, ends = 0, now + window
        self._windows[key] = (count + 1, ends)
        return count + 1, max(1, round(ends - now))

    def clear(self) -> None:
        """Forget every count (tests that make many requests on purpose)."""
        self._windows.clear()


class RedisCounter:
    """Windows in Redis, shared by every worker and host (INCR and EXPIRE in one script)."""

    def __init__(self, client: Redis, namespace: str) -> None:
        self._namespace = namespace
        self._script = client.register_script(_HIT)

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count one hit in Redis."""
        count, left = await self._script(keys=[f"{self._namespace}:{key}"], args=[window])
        return int(count), max(1, int(left))


def redis_client(settings: Settings) -> Redis | None:
    """A client for ``REGISTRY_REDIS_URL`` (short timeouts), or ``None`` when unset."""
    if not settings.redis_url:
        return None
    return Redis.from_url(
        settings.redis_url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )


def window_counters(client: Redis | None) -> dict[str, WindowCounter]:
    """The counter of each limit: in Redis when a client is given, else in memory."""
    names = (PARTNER_STORE, MATCH_STORE)
    if client is None:
        return {name: MemoryCounter() for name in names}
    return {name: RedisCounter(client, f"{REDIS_NAMESPACE}_{name}") for name in names}


class AtomicRateLimitMiddleware(RateLimitMiddleware):
    """Litestar's limiter (its configuration, keys and headers) counting through a
    ``WindowCounter`` from the app's state instead of a read-modify-write of a store."""

    def __init__(self, app: ASGIApp, config: RateLimitConfig) -> None:
        super().__init__(app, config)
        self.window = DURATION_VALUES[self.unit]
        # The two headers that never change, encoded once.
        self._fixed = (
            _header(config.rate_limit_policy_header_key, f"{self.max_requests}; w={self.window}"),
            _header(config.rate_limit_limit_header_key, str(self.max_requests)),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the request if it is checked; refuse it with 429 past the limit."""
        app: Litestar = scope["litestar_app"]
        request: Request[Any, Any, Any] = app.request_class(scope)
        if await self.should_check_request(request=request):
            await self.counted(scope, self.cache_key_from_request(request), receive, send)
            return
        await self.app(scope, receive, send)

    async def counted(self, scope: Scope, key: str, receive: Receive, send: Send) -> None:
        """Count one hit of ``key``: refuse it with 429 past the limit, else pass the
        request on with the RateLimit headers added to its answer."""
        counter: WindowCounter = scope["litestar_app"].state[COUNTERS_STATE][self.config.store]
        count, left = await counter.hit(key, self.window)
        if count > self.max_requests:
            raise TooManyRequestsException(headers=self.window_headers(count, left))
        await self.app(scope, receive, self.with_headers(send, self._encoded(count, left)))

    def window_headers(self, count: int, left: int) -> dict[str, str]:
        """The RateLimit headers of a window holding ``count`` hits, ``left`` seconds on."""
        config = self.config
        return {
            config.rate_limit_policy_header_key: f"{self.max_requests}; w={self.window}",
            config.rate_limit_limit_header_key: str(self.max_requests),
            config.rate_limit_remaining_header_key: str(max(0, self.max_requests - count)),
            config.rate_limit_reset_header_key: str(left),
        }

    def _encoded(self, count: int, left: int) -> list[tuple[bytes, bytes]]:
        """``window_headers`` as raw header pairs (the fixed two encoded once)."""
        config = self.config
        return [
            *self._fixed,
            _header(config.rate_limit_remaining_header_key, str(max(0, self.max_requests - count))),
            _header(config.rate_limit_reset_header_key, str(left)),
        ]

    @staticmethod
    def with_headers(send: Send, encoded: list[tuple[bytes, bytes]]) -> Send:
        """``send`` adding the (encoded) headers to the response's start."""

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *encoded]
            await send(message)

        return wrapped


def _header(name: str, value: str) -> tuple[bytes, bytes]:
    return name.lower().encode("latin-1"), value.encode("latin-1")


def partner_identifier(request: Request[Any, Any, Any]) -> str:
    """The client a request counts against: the token it authenticated with, named by the
    token's stored hash (the same for every spelling of the header; never the secret)."""
    return token_identifier(principal_of(request))


def token_identifier(principal: Principal) -> str:
    """``partner_identifier`` of an authenticated principal."""
    if not principal.stored_hash:
        raise RuntimeError("a rate-limited request without an authenticated token")
    return "token:" + principal.stored_hash[:32]


class PartnerRateLimitMiddleware(AtomicRateLimitMiddleware):
    """The limiter, applied only to handlers marked with ``PARTNER_LIMIT``, and only
    to requests that authenticate (the guard then reuses the principal found here)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass a request to an unmarked handler straight on: this middleware wraps every
        route, and building a ``Request`` to find that out cost each public request ~10 µs.
        A marked one is counted against its token, found on the raw scope (no ``Request``
        either); one that does not authenticate is passed on uncounted, for the guard to
        answer 401."""
        handler = scope.get("route_handler")
        if handler is None or not handler.opt.get(PARTNER_LIMIT):
            await self.app(scope, receive, send)
            return
        try:
            principal = await scope_principal(scope)
        except RegistryError as error:
            if error.kind is not ErrorKind.UNAUTHENTICATED:
                raise
            await self.app(scope, receive, send)
            return
        # Litestar's key form (``cache_key_from_request``): the same keys as before in Redis.
        key = f"{type(self).__name__}::{token_identifier(principal)}"
        await self.counted(scope, key, receive, send)

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


__all__ = [
    "COUNTERS_STATE",
    "MATCH_STORE",
    "PARTNER_LIMIT",
    "PARTNER_STORE",
    "REDIS_STATE",
    "AtomicRateLimitMiddleware",
    "MemoryCounter",
    "PartnerRateLimitMiddleware",
    "RedisCounter",
    "WindowCounter",
    "partner_identifier",
    "partner_rate_limit",
    "redis_client",
    "token_identifier",
    "window_counters",
]

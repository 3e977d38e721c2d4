"""Probes for an orchestrator or a load balancer (liveness, readiness) and the metrics.

``/healthz`` answers from the process alone (no I/O): the worker is up. ``/readyz`` asks
the database, opens the signing keys and pings Redis when one is configured; it answers
503 with a bilingual problem naming the part that is not ready. Both carry the answering
worker's process id, so an operator can see which worker served a request.
"""

from __future__ import annotations

import os
from typing import Any

import anyio
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from redis.asyncio import Redis
from redis.exceptions import RedisError

from registry.core.errors import ErrorKind, RegistryError
from registry.http.documentation import documented
from registry.http.metrics import allow_scrape, exposition
from registry.http.ratelimit import REDIS_STATE
from registry.services.runtime.context import Registry
from registry.services.runtime.readiness import check_ready

READY_TIMEOUT = 5.0  # seconds: a probe that waits longer is itself a failure
READY_503 = (
    "DATABASE_UNREACHABLE, REDIS_UNREACHABLE, READINESS_TIMEOUT, REGISTRY_NOT_INITIALISED, "
    "KEY_PASSPHRASE_MISSING, KEY_PASSPHRASE_WRONG (the message says which part is not ready)"
)


def redis_unreachable() -> RegistryError:
    """Redis is configured but does not answer."""
    return RegistryError(
        "REDIS_UNREACHABLE",
        "Redis 无法连接（REGISTRY_REDIS_URL），服务暂不可用",
        "Redis (REGISTRY_REDIS_URL) cannot be reached: the registry is not ready",
        ErrorKind.UNAVAILABLE,
    )


def readiness_timeout() -> RegistryError:
    """The checks did not finish in time."""
    return RegistryError(
        "READINESS_TIMEOUT",
        "就绪检查超时（数据库或密钥无响应），服务暂不可用",
        "the readiness checks timed out (database or keys): the registry is not ready",
        ErrorKind.UNAVAILABLE,
    )


class HealthController(Controller):
    """``GET /healthz``, ``GET /readyz`` and ``GET /metrics``."""

    tags = ["operations"]  # noqa: RUF012

    @get("/healthz", sync_to_thread=False)
    def healthz(self) -> dict[str, Any]:
        """The process is up (no database or network I/O): ``{"status": "up", "pid": …}``."""
        return {"status": "up", "pid": os.getpid()}

    @get("/readyz", responses=documented(503, codes={503: READY_503}))
    async def readyz(
        self, request: Request[Any, Any, Any], registry: NamedDependency[Registry]
    ) -> dict[str, Any]:
        """Ready to serve: the database answers, the signing keys open with the passphrase,
        and Redis answers when ``REGISTRY_REDIS_URL`` is set; 503 names what is not."""
        try:
            with anyio.fail_after(READY_TIMEOUT):
                await anyio.to_thread.run_sync(check_ready, registry, abandon_on_cancel=True)
        except TimeoutError as error:
            raise readiness_timeout() from error
        client: Redis | None = request.app.state.get(REDIS_STATE)
        redis = "not configured"
        if client is not None:
            try:
                with anyio.fail_after(READY_TIMEOUT):
                    await client.ping()
            except (RedisError, OSError, TimeoutError) as error:
                raise redis_unreachable() from error
            redis = "ok"
        return {
            "status": "ready",
            "pid": os.getpid(),
            "checks": {"database": "ok", "keys": "ok", "redis": redis},
        }

    @get(
        "/metrics",
        sync_to_thread=True,
        media_type="text/plain",
        responses=documented(403, codes={403: "METRICS_FORBIDDEN"}),
    )
    def metrics(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        """Prometheus metrics (text exposition format), summed over every worker: requests
        by route template and status, latency histograms, issuances, verifications by
        outcome, status-list publications and the transparency log's size. Needs the
        ``REGISTRY_METRICS_TOKEN`` bearer token, or a loopback client when none is set."""
        allow_scrape(request, request.app.state.settings)
        return exposition(request.app)

"""Prometheus metrics (``/metrics``) with the official client library.

Requests are counted by method, route *template* (``/status/{uscc}/{purpose}``,
never a concrete path, so no record id, token or link secret becomes a label) and status,
with a latency histogram. Domain counters are read off the same requests: issuance
requests answered 2xx, verifications by outcome (``verified`` answered 200, ``not_verified``
answered 422) and status lists published (served 200; a 304 revalidation is not counted).
The transparency log's size is read from the store at each scrape.

With several workers (``registry serve --workers N``) every worker writes its samples to
``PROMETHEUS_MULTIPROC_DIR`` (``serve`` makes one) and a scrape of any worker sums them
all. ``/metrics`` answers only a bearer of ``REGISTRY_METRICS_TOKEN``, or, when that is
unset, clients on the loopback address (403 ``METRICS_FORBIDDEN`` otherwise).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from litestar import Litestar, Request, Response
from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from registry.core.errors import RegistryError, forbidden
from registry.http.problems import STATUS_OF_KIND
from registry.services.transparency.log import TransparencyLog
from registry.settings import Settings

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED = "(unmatched)"
ISSUING_ROUTES = frozenset({"/credentials/issue", "/credentials/issue/batch"})
VERIFYING_ROUTES = frozenset({"/api/v1/verify", "/api/v1/scan", "/credentials/verify"})
STATUS_LIST_ROUTE = "/status/{uscc}/{purpose}"
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "registry_http_requests_total",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "registry_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
ISSUANCES = Counter(
    "registry_issuances_total",
    "Issuance requests answered with success (one per request; a batch counts once)",
    ["route"],
)
VERIFICATIONS = Counter(
    "registry_verifications_total",
    "Single verifications by route and outcome (verified: 200, not_verified: 422)",
    ["route", "outcome"],
)
STATUS_LISTS = Counter(
    "registry_status_list_publications_total",
    "Signed status lists served (200), by purpose",
    ["purpose"],
)


def status_of(error: BaseException) -> int:
    """The HTTP status an exception raised inside the app becomes."""
    if isinstance(error, HTTPException):
        return error.status_code
    if isinstance(error, RegistryError):
        return STATUS_OF_KIND.get(error.kind, 500)
    return 500


# Label children bound once per label set: ``labels()`` validates and looks its labels up
# under a lock on every call, which cost a request more than the increment itself.
_request_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
_verification_children: dict[tuple[str, bool], Any] = {}


def _request_metrics(method: str, route: str, status: int) -> tuple[Any, Any]:
    """The request counter and the latency histogram children of one label set."""
    key = (method, route, status)
    found = _request_children.get(key)
    if found is None:
        found = (REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route))
        _request_children[key] = found
    return found


def _verification_counter(route: str, verified: bool) -> Any:
    found = _verification_children.get((route, verified))
    if found is None:
        found = VERIFICATIONS.labels(route, "verified" if verified else "not_verified")
        _verification_children[(route, verified)] = found
    return found


def record(scope: Scope, status: int, seconds: float) -> None:
    """Count one answered request and what it meant."""
    route = str(scope.get("path_template") or UNMATCHED)
    method = str(scope.get("method", "?"))
    requests, latency = _request_metrics(method, route, status)
    requests.inc()
    latency.observe(seconds)
    if method != "POST" and route != STATUS_LIST_ROUTE:
        return
    if route in ISSUING_ROUTES and 200 <= status < 300:
        ISSUANCES.labels(route).inc()
    elif route in VERIFYING_ROUTES and status in (200, 422):
        _verification_counter(route, status == 200).inc()
    elif route == STATUS_LIST_ROUTE and status == 200:
        purpose = str(scope.get("path_params", {}).get("purpose", "?"))
        STATUS_LISTS.labels(purpose if purpose in ("revocation", "suspension") else "?").inc()


def metrics_middleware(app: ASGIApp) -> ASGIApp:
    """ASGI middleware timing and counting every HTTP request it wraps."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def counting_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await app(scope, receive, counting_send)
        except BaseException as error:
            status = status_of(error)
            raise
        finally:
            record(scope, status, time.perf_counter() - started)

    return middleware


class TransparencyLogSize(Collector):
    """The log's size, read at scrape time (one query)."""

    def __init__(self, log: TransparencyLog) -> None:
        self._log = log

    def collect(self) -> Iterator[Metric]:
        """One gauge: the number of leaves in the transparency log."""
        size = self._log.head(datetime.now(UTC))["treeSize"]
        yield GaugeMetricFamily(
            "registry_transparency_log_size", "Leaves in the transparency log", value=size
        )


def metrics_forbidden() -> RegistryError:
    """A scrape without the metrics token, or from off the machine when none is set."""
    return forbidden(
        "METRICS_FORBIDDEN",
        "无权读取监控指标：需要 REGISTRY_METRICS_TOKEN 令牌，未设置令牌时仅限本机访问",
        "metrics need the REGISTRY_METRICS_TOKEN bearer token, or, when none is set, a "
        "request from this machine (loopback)",
    )


def allow_scrape(request: Request[Any, Any, Any], settings: Settings) -> None:
    """Raise ``METRICS_FORBIDDEN`` unless the request may read the metrics."""
    if settings.metrics_token:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), settings.metrics_token.encode()
        ):
            return
        raise metrics_forbidden()
    host = request.client.host if request.client else ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "testclient"  # Litestar's test client
    if not loopback:
        raise metrics_forbidden()


def exposition(app: Litestar) -> Response[bytes]:
    """The text exposition of every metric: this process's, or all workers' when several
    write to ``PROMETHEUS_MULTIPROC_DIR``; then the log size."""
    if os.environ.get(MULTIPROCESS_DIR):
        collected = CollectorRegistry()
        multiprocess.MultiProcessCollector(collected)  # type: ignore[no-untyped-call]
        body = generate_latest(collected)
    else:
        body = generate_latest(REGISTRY)
    extra = CollectorRegistry()
    extra.register(TransparencyLogSize(app.state.transparency))
    body += generate_latest(extra)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


__all__ = [
    "ISSUANCES",
    "LATENCY",
    "MULTIPROCESS_DIR",
    "REQUESTS",
    "STATUS_LISTS",
    "VERIFICATIONS",
    "TransparencyLogSize",
    "allow_scrape",
    "exposition",
    "metrics_forbidden",
    "metrics_middleware",
]

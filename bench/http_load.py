"""A small closed-loop HTTP/1.1 load generator for loopback benchmarks.

``raw`` keeps C keep-alive connections open, each with one request in flight, and writes
pre-built request bytes: the client does as little as possible, so the server (which
shares the machine's cores with it) gets most of the CPU. ``httpx`` drives the same load
through ``httpx.AsyncClient`` as a cross-check; it costs far more client CPU per request.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

CLIENTS = ("raw", "httpx")


@dataclass(frozen=True)
class Call:
    """One request shape: method, path, headers and body, sent again and again."""

    method: str
    path: str
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    def wire(self, host: str, port: int) -> bytes:
        """The request as HTTP/1.1 bytes on a keep-alive connection."""
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}:{port}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        if self.body or self.method == "POST":
            lines.append(f"Content-Length: {len(self.body)}")
        head = "\r\n".join(lines) + "\r\n\r\n"
        return head.encode("latin-1") + self.body


@dataclass
class Load:
    """What one burst of requests achieved."""

    done: int
    seconds: float
    statuses: Counter[int]
    latencies: list[float] = field(default_factory=list)  # seconds, one per response (raw)

    @property
    def per_second(self) -> float:
        """Completed requests per second."""
        return self.done / self.seconds if self.seconds > 0 else 0.0

    @property
    def median_latency(self) -> float:
        """The median seconds from writing a request to reading its whole response."""
        ordered = sorted(self.latencies)
        return ordered[len(ordered) // 2] if ordered else 0.0

    @property
    def errors(self) -> int:
        """Responses with a 4xx or 5xx status."""
        return sum(count for status, count in self.statuses.items() if status >= 400)


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one response (Content-Length or chunked body) and return its status code."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line[9:12])
    length = 0
    chunked = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def _raw_burst(
    host: str, port: int, call: Call, total: int, seconds: float, connections: int
) -> Load:
    request = call.wire(host, port)
    streams = [await asyncio.open_connection(host, port) for _ in range(connections)]
    issued = itertools.count()
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    clock = time.perf_counter

    async def one_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while next(issued) < total and loop.time() < deadline:
            sent = clock()
            writer.write(request)
            statuses[await _read_response(reader)] += 1
            latencies.append(clock() - sent)

    start = time.perf_counter()
    await asyncio.gather(*(one_connection(r, w) for r, w in streams))
    elapsed = time.perf_counter() - start
    for _, writer in streams:
        writer.close()
    for _, writer in streams:
        await writer.wait_closed()
    return Load(sum(statuses.values()), elapsed, statuses, latencies)


async def _httpx_burst(
    host: str, port: int, call: Call, total: int, seconds: float, connections: int
) -> Load:
    import httpx

    issued = itertools.count()
    statuses: Counter[int] = Counter()
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=f"http://{host}:{port}", limits=limits) as client:
        # open the connections before the clock starts
        await asyncio.gather(*(client.get("/") for _ in range(connections)))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds

        async def one_connection() -> None:
            while next(issued) < total and loop.time() < deadline:
                response = await client.request(
                    call.method, call.path, content=call.body or None, headers=dict(call.headers)
                )
                statuses[response.status_code] += 1

        start = time.perf_counter()
        await asyncio.gather(*(one_connection() for _ in range(connections)))
        elapsed = time.perf_counter() - start
    return Load(sum(statuses.values()), elapsed, statuses)


Burst = Callable[[str, int, Call, int, float, int], Awaitable[Load]]
BURSTS: dict[str, Burst] = {"raw": _raw_burst, "httpx": _httpx_burst}


def run_loop(work: Awaitable[Load]) -> Load:
    """Run a burst on uvloop when it is installed, else on the default loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(_awaited(work))
    return uvloop.run(_awaited(work))


async def _awaited(work: Awaitable[Load]) -> Load:
    return await work


def burst(
    client: str,
    host: str,
    port: int,
    call: Call,
    *,
    total: int,
    seconds: float,
    connections: int,
) -> Load:
    """Send ``call`` until ``total`` requests completed or ``seconds`` passed."""
    return run_loop(BURSTS[client](host, port, call, total, seconds, connections))

"""The window counters behind every rate limit: atomic in memory and in Redis, so that
concurrent workers never lose a count (Litestar's read-modify-write under a per-process
lock would)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from registry.http.ratelimit import MemoryCounter, RedisCounter
from tests.http.test_partner_rate_limit import REDIS_HOST, REDIS_PORT, redis_reachable


def test_memory_counter_counts_within_a_window_and_starts_again_after_it(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("registry.http.ratelimit.time.monotonic", lambda: clock[0])
    counter = MemoryCounter()

    async def run() -> list[tuple[int, int]]:
        hits = [await counter.hit("a", 60) for _ in range(3)]
        hits.append(await counter.hit("b", 60))
        clock[0] += 59.4
        hits.append(await counter.hit("a", 60))
        clock[0] += 1
        hits.append(await counter.hit("a", 60))
        return hits

    assert asyncio.run(run()) == [(1, 60), (2, 60), (3, 60), (1, 60), (4, 1), (1, 60)]


@pytest.mark.skipif(not redis_reachable(), reason="Redis at 127.0.0.1:6379 is not reachable")
def test_concurrent_hits_from_many_clients_are_all_counted_in_redis():
    key = f"test-{uuid.uuid4()}"

    async def run() -> tuple[list[int], int]:
        clients = [Redis.from_url(f"redis://{REDIS_HOST}:{REDIS_PORT}/0") for _ in range(4)]
        try:
            counters = [RedisCounter(client, "yrd_registry_test") for client in clients]
            hits = await asyncio.gather(*(counters[n % 4].hit(key, 60) for n in range(200)))
            ttl = await clients[0].ttl(f"yrd_registry_test:{key}")
            await clients[0].delete(f"yrd_registry_test:{key}")
            return sorted(count for count, _ in hits), ttl
        finally:
            for client in clients:
                await client.aclose()

    counts, ttl = asyncio.run(run())
    assert counts == list(range(1, 201))  # every hit has its own count: none lost
    assert 0 < ttl <= 60

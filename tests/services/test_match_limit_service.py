"""The per-record match limit over the store: every worker (here: a second registry on
the same database) counts the same failures and sees the same lock; the lock ends."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from registry.core.errors import RegistryError
from registry.demo.data import DEMO_PEOPLE
from registry.services.people.match_limits import count_failure
from registry.services.runtime.context import Registry
from registry.services.verification.verifier import Verifier
from registry.storage.match_limits import MatchLimitRepository

WANG, ZHANG = DEMO_PEOPLE[0], DEMO_PEOPLE[1]  # WANG holds demo.records[0]
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def second_worker(settings):
    other = Registry.open(settings, migrate_schema=False)
    yield other
    other.close()


def test_a_lock_made_by_one_worker_holds_on_another_until_it_ends(registry, demo, second_worker):
    record = demo.records[0]
    first, second = Verifier(registry), Verifier(second_worker)
    for minute in range(registry.settings.match_failure_limit):
        worker = first if minute % 2 else second
        assert worker.match(record, ZHANG.id_number, now=NOW + timedelta(minutes=minute)) == (
            record,
            False,
        )
    later = NOW + timedelta(minutes=30)
    for worker in (first, second):
        with pytest.raises(RegistryError) as refused:
            worker.match(record, WANG.id_number, now=later)
        assert refused.value.code == "MATCH_LOCKED"
    ended = NOW + timedelta(minutes=4, seconds=registry.settings.match_lock_seconds)
    assert second.match(record, WANG.id_number, now=ended) == (record, True)


def test_concurrent_failures_on_two_workers_all_count(registry, demo, second_worker):
    record = demo.records[0]
    for opened in (registry, second_worker):  # a limit the test never reaches
        opened.settings = replace(opened.settings, match_failure_limit=1000)
    workers = [registry, second_worker] * 6
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda worker: count_failure(worker, record, NOW), workers))
    with registry.reading() as session:
        state = MatchLimitRepository(session).state(record)
    assert state is not None and state.failures == len(workers)
    assert state.locked_until is None

"""Shared pieces of the benchmark scripts: a throw-away demo registry, a best-of timer and
a plain-text table.

Every figure a script prints sits next to a ceiling measured in the same process and run,
so a slow or busy machine moves both and the ratio stays meaningful.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from registry.demo.seed import DemoSummary, seed_demo  # noqa: E402
from registry.services.runtime.context import Registry  # noqa: E402
from registry.settings import Settings, load_settings  # noqa: E402
from registry.storage.repositories import CredentialRepository  # noqa: E402
from tests.support.keyset import test_keyset  # noqa: E402

BASE_URL = "https://talent.yrd-demo.example.cn"
WUJIANG_BUREAU = "11320509MB0000001C"
JOINT_COMMITTEE = "11320509MB0000091M"


POSTGRES_ENV = "REGISTRY_TEST_POSTGRES_URL"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def bench_settings(data_dir: Path, database_url: str | None = None) -> Settings:
    """Settings for a registry in a temporary folder, with fixed bench-only secrets."""
    return load_settings(bench_environment(data_dir, database_url))


def bench_environment(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """The ``REGISTRY_*`` variables of a bench registry (also handed to server processes):
    SQLite in ``data_dir`` unless another database is named."""
    return {
        "REGISTRY_DATA_DIR": str(data_dir),
        "REGISTRY_DATABASE_URL": database_url or f"sqlite:///{data_dir / 'registry.db'}",
        "REGISTRY_BASE_URL": BASE_URL,
        "REGISTRY_KEY_PASSPHRASE": "bench-only passphrase",
        "REGISTRY_HASH_KEY": "5a" * 32,
        "REGISTRY_ID_KEY": "YmVuY2gtb25seSBrZXkgc2VhbGluZyBJRCBudW1iZXI=",  # 32 bench-only bytes
    }


@dataclass
class DemoZone:
    """A migrated SQLite registry seeded with the demo zone (test-only keyset)."""

    settings: Settings
    registry: Registry
    summary: DemoSummary

    def qr_payload(self, record_id: str) -> str:
        """The stored QR payload text of a record."""
        with self.registry.reading() as session:
            row = CredentialRepository(session).get(record_id)
        assert row is not None
        return row.qr_payload

    def record_of_type(self, record_type: str) -> str:
        """The id of the first demo record of a type."""
        with self.registry.reading() as session:
            repo = CredentialRepository(session)
            for record_id in self.summary.records:
                row = repo.get(record_id)
                if row is not None and row.record_type == record_type:
                    return record_id
        raise LookupError(record_type)


@contextmanager
def postgres_database(server: str | None) -> Iterator[str | None]:
    """A fresh PostgreSQL database on ``server`` (default: ``$REGISTRY_TEST_POSTGRES_URL``,
    else the local default), dropped on exit; ``None`` when no server answers."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server or os.environ.get(POSTGRES_ENV) or DEFAULT_POSTGRES)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"registry_bench_{secrets.token_hex(6)}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        yield None
        return
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def demo_zone(data_dir: Path, database_url: str | None = None) -> Iterator[DemoZone]:
    """Open and seed a demo registry under ``data_dir`` (SQLite there, unless another
    database is named); closed on exit."""
    settings = bench_settings(data_dir, database_url)
    registry = Registry.open(settings)
    try:
        summary = seed_demo(registry, now=datetime.now(UTC), keyset=test_keyset())
        yield DemoZone(settings, registry, summary)
    finally:
        registry.close()


def per_call(fn: Callable[[], object], calls: int) -> float:
    """Seconds per call of ``fn`` over ``calls`` calls (garbage collection left on)."""
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def best_of(
    cases: dict[str, Callable[[], object]], *, seconds: float, rounds: int = 5
) -> dict[str, float]:
    """The best (lowest) seconds per call of each case over ``rounds`` interleaved rounds.

    Cases take turns inside every round, so a burst of load from elsewhere on the machine
    hits the ceiling and the figure alike; the best round is the least disturbed one.
    """
    slice_seconds = seconds / (rounds * max(len(cases), 1))
    calls: dict[str, int] = {}
    for name, fn in cases.items():
        fn()  # warm caches and lazy imports
        estimate = per_call(fn, 20)
        calls[name] = max(20, int(slice_seconds / max(estimate, 1e-9)))
    best = {name: float("inf") for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            best[name] = min(best[name], per_call(fn, calls[name]))
    return best


def rate(seconds_per_op: float) -> str:
    """Operations per second, rounded for a table."""
    return f"{1 / seconds_per_op:,.0f}" if seconds_per_op > 0 else "-"


def micros(seconds_per_op: float) -> str:
    """Microseconds per operation, for a table."""
    return f"{seconds_per_op * 1e6:,.1f}"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print rows under headers: first column left-aligned, the others right-aligned."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        first, *rest = cells
        parts = [first.ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True)
        ]
        return "  ".join(parts).rstrip()

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def verdict(value: float, target: float) -> str:
    """``ok`` or ``MISSED`` against a lower-bound target."""
    return "ok" if value >= target else "MISSED"

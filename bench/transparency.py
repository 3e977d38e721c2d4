"""The transparency log on SQLite: append rate, and proof times at 10,000 and 1,000,000 leaves.

Appends go through ``registry.services.transparency.events`` (canonical leaf JSON, RFC 9162
leaf hash, right-edge read, leaf and completed subtree hashes written): batched in one transaction,
one ``append_event`` at a time inside a transaction (what an issuance pays), and one
transaction per append (with its commit). The ceilings are raw ``sqlite3`` inserts of the
same rows (leaves and subtree hashes, one ``executemany`` each) and raw SHA-256 of the
same leaves, both measured in the same run.

Proofs go through ``TransparencyLog`` (the service behind ``GET /log/proof/...``): node
lookup, hashing and base64 for a random leaf or first size, at a fixed tree size. The logs
are seeded in bulk (leaves and every subtree hash computed in memory, then inserted with
raw ``sqlite3``), not one append at a time. Targets: >= 2,000 appends/s, < 5 ms a proof.

Run from the repository root:  .venv/bin/python bench/transparency.py [--leaves N]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from harness import bench_settings, best_of, micros, print_table, rate

from registry.core.formats.merkle import node_hash
from registry.core.lifecycle.events import LogEvent
from registry.services.runtime.context import Registry
from registry.services.transparency.events import append_event, append_events
from registry.services.transparency.log import TransparencyLog

TARGET_APPENDS_PER_SECOND = 2000.0
TARGET_PROOF_SECONDS = 0.005
USCC = "11320509MB0000001C"
KID = "f61c46003c4c93ea"
NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
STORED_TIME = "2026-03-01 08:00:00.000000"  # how SQLAlchemy writes a DateTime into SQLite


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="Time transparency-log appends and proofs on temporary SQLite registries."
    )
    parser.add_argument(
        "--leaves", type=int, default=1_000_000, help="size of the large log (default: 1000000)"
    )
    parser.add_argument(
        "--small", type=int, default=10_000, help="size of the small log (default: 10000)"
    )
    parser.add_argument(
        "--appends", type=int, default=1000, help="appends per timed batch (default: 1000)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="interleaved append rounds; the best counts"
    )
    parser.add_argument(
        "--seconds", type=float, default=4.0, help="timing budget of the proof figures"
    )
    return parser.parse_args()


def leaf_bytes(n: int) -> bytes:
    """A realistic ``issued`` leaf (canonical JSON, as ``LogEvent.leaf`` writes it)."""
    digest = hashlib.sha256(n.to_bytes(8, "big")).hexdigest()
    record = uuid.UUID(int=n, version=4)
    return (
        f'{{"at":"2026-03-01T08:00:00Z","digest":"{digest}","event":"issued",'
        f'"issuer":"{USCC}","kid":"{KID}","record":"{record}","v":1}}'
    ).encode()


def tree_rows(start: int, leaves: list[bytes]) -> tuple[list[tuple], list[tuple]]:
    """``log_entry`` and ``log_node`` rows for leaves appended from index ``start`` (a
    multiple of a power of two at least as large as the batch when ``start`` > 0)."""
    hashes = [hashlib.sha256(b"\x00" + leaf).digest() for leaf in leaves]
    entries = [
        (start + i, leaf, digest, "issued", None, USCC, STORED_TIME)
        for i, (leaf, digest) in enumerate(zip(leaves, hashes, strict=True))
    ]
    nodes: list[tuple] = []
    level, current, offset = 0, hashes, start
    while len(current) > 1:
        level += 1
        offset >>= 1
        current = [node_hash(current[i], current[i + 1]) for i in range(0, len(current) - 1, 2)]
        nodes += [(level, offset + j, value) for j, value in enumerate(current)]
    return entries, nodes


def insert_rows(connection: sqlite3.Connection, entries: list[tuple], nodes: list[tuple]) -> None:
    """Raw ``sqlite3`` inserts, one transaction."""
    with connection:
        connection.executemany(
            "insert into log_entry (seq, leaf, leaf_hash, kind, record_id, issuer_uscc, "
            "created_at) values (?, ?, ?, ?, ?, ?, ?)",
            entries,
        )
        connection.executemany("insert into log_node (level, idx, digest) values (?, ?, ?)", nodes)


def seeded_log(folder: Path, size: int) -> Registry:
    """A migrated registry whose log holds ``size`` leaves, inserted in bulk."""
    folder.mkdir()
    settings = bench_settings(folder)
    registry = Registry.open(settings)
    entries, nodes = tree_rows(0, [leaf_bytes(n) for n in range(size)])
    connection = sqlite3.connect(folder / "registry.db")
    connection.execute("PRAGMA synchronous=OFF")
    insert_rows(connection, entries, nodes)
    connection.close()
    return registry


def proof_figures(registry: Registry, size: int, seconds: float) -> tuple[float, float]:
    """Best seconds per inclusion proof and per consistency proof at ``size`` leaves."""
    log = TransparencyLog(registry)
    rng = random.Random(size)
    indices = [rng.randrange(size) for _ in range(512)]
    firsts = [rng.randrange(1, size) for _ in range(512)]
    state = {"i": 0, "c": 0}

    def inclusion() -> object:
        state["i"] = (state["i"] + 1) % len(indices)
        return log.inclusion(NOW, index=indices[state["i"]], size=size)

    def consistency() -> object:
        state["c"] = (state["c"] + 1) % len(firsts)
        return log.consistency(NOW, firsts[state["c"]], size)

    best = best_of({"inclusion": inclusion, "consistency": consistency}, seconds=seconds)
    return best["inclusion"], best["consistency"]


def events(count: int, first: int) -> list[LogEvent]:
    """``issued`` events with distinct record ids and digests."""
    return [
        LogEvent(
            "issued",
            NOW,
            USCC,
            record_id=str(uuid.UUID(int=first + n, version=4)),
            kid=KID,
            record_digest=hashlib.sha256((first + n).to_bytes(8, "big")).hexdigest(),
        )
        for n in range(count)
    ]


def append_figures(registry: Registry, count: int, rounds: int) -> dict[str, float]:
    """Best seconds per leaf over interleaved rounds: batched, one call at a time inside a
    transaction, and one transaction (with its commit) per append."""
    from sqlalchemy import text

    with registry.reading() as session:
        next_id = int(session.execute(text("select count(*) from log_entry")).scalar() or 0)
    best = {name: float("inf") for name in ("batched", "in one transaction", "own transaction")}
    for _ in range(rounds):
        batch = events(count, next_id)
        start = time.perf_counter()
        with registry.transaction() as session:
            append_events(session, batch)
        best["batched"] = min(best["batched"], (time.perf_counter() - start) / count)
        singles = events(count, next_id + count)
        start = time.perf_counter()
        with registry.transaction() as session:
            for event in singles:
                append_event(session, event)
        per_leaf = (time.perf_counter() - start) / count
        best["in one transaction"] = min(best["in one transaction"], per_leaf)
        own = events(count // 4, next_id + 2 * count)
        start = time.perf_counter()
        for event in own:
            with registry.transaction() as session:
                append_event(session, event)
        per_leaf = (time.perf_counter() - start) / len(own)
        best["own transaction"] = min(best["own transaction"], per_leaf)
        next_id += 2 * count + len(own)
    return best


def ceilings(folder: Path, count: int) -> dict[str, float]:
    """Raw sqlite3 inserts of the same kind of rows, and raw SHA-256 of the leaves."""
    registry = seeded_log(folder, 0)
    registry.close()
    leaves = [leaf_bytes(n) for n in range(count)]
    start = time.perf_counter()
    for leaf in leaves:
        hashlib.sha256(b"\x00" + leaf).digest()
    hashing = (time.perf_counter() - start) / count
    entries, nodes = tree_rows(0, leaves)
    connection = sqlite3.connect(folder / "registry.db")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    start = time.perf_counter()
    insert_rows(connection, entries, nodes)
    inserting = (time.perf_counter() - start) / count
    connection.close()
    return {"sha256": hashing, "sqlite3": inserting}


def run(args: argparse.Namespace) -> None:
    """Seed, measure, print."""
    with tempfile.TemporaryDirectory(prefix="bench-log-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        small = seeded_log(root / "small", args.small)
        large = seeded_log(root / "large", args.leaves)
        seeding = time.perf_counter() - started
        proofs = {
            args.small: proof_figures(small, args.small, args.seconds / 2),
            args.leaves: proof_figures(large, args.leaves, args.seconds / 2),
        }
        appends = append_figures(large, args.appends, args.rounds)
        ceiling = ceilings(root / "ceiling", args.appends * 4)
        small.close()
        large.close()

    print(
        f"Transparency log on SQLite (WAL, synchronous=NORMAL), one thread; "
        f"{args.small:,} + {args.leaves:,} leaves seeded in bulk in {seeding:.1f} s"
    )
    print()
    raw = ceiling["sqlite3"] + ceiling["sha256"]
    rows = []
    for name, per_leaf in appends.items():
        target = name != "own transaction"
        rows.append(
            [
                f"append_event(s), {name}",
                micros(per_leaf),
                rate(per_leaf),
                f"{raw / per_leaf:.2f}",
                f">= {TARGET_APPENDS_PER_SECOND:,.0f}/s" if target else "(with commit)",
                ("ok" if 1 / per_leaf >= TARGET_APPENDS_PER_SECOND else "MISSED") if target else "",
            ]
        )
    rows.append(
        [
            "ceiling: raw sqlite3 inserts",
            micros(ceiling["sqlite3"]),
            rate(ceiling["sqlite3"]),
            "",
            "",
            "",
        ]
    )
    rows.append(
        [
            "ceiling: raw SHA-256 of the leaf",
            micros(ceiling["sha256"]),
            rate(ceiling["sha256"]),
            "",
            "",
            "",
        ]
    )
    print_table(["append, per leaf", "µs", "leaves/s", "× ceiling", "target", ""], rows)
    print()
    proof_rows = []
    missed = [
        name
        for name, per in appends.items()
        if name != "own transaction" and 1 / per < TARGET_APPENDS_PER_SECOND
    ]
    for size, (inclusion, consistency) in proofs.items():
        for name, seconds in (("inclusion", inclusion), ("consistency", consistency)):
            ok = seconds < TARGET_PROOF_SECONDS
            if not ok and size == args.leaves:
                missed.append(f"{name} proof at {size:,}")
            proof_rows.append(
                [
                    f"{name} proof, {size:,} leaves",
                    f"{seconds * 1000:.2f}",
                    "< 5 ms" if size == args.leaves else "",
                    ("ok" if ok else "MISSED") if size == args.leaves else "",
                ]
            )
    print_table(["proof (service, random leaf)", "ms", "target", ""], proof_rows)
    ratio = proofs[args.leaves][0] / proofs[args.small][0]
    print(f"\n{args.leaves // args.small}x the leaves cost {ratio:.2f}x the inclusion proof time.")
    if missed:
        print(f"TARGET MISSED: {', '.join(missed)}")


if __name__ == "__main__":
    run(parse_args())

"""One review session of 10,000 rows, issued in one run, against the signing ceiling.

Builds a temporary SQLite demo registry, writes a CSV sheet of N distinct plain titles for
the Qingpu bureau (the test suite's sheet rows), and issues it with
``registry.services.issuance.review_sessions.issue_sheet``, the use case behind
``registry batch issue`` (rows committed 100 per transaction, a progress report after each
commit). Then it runs the same sheet again with the same session key: every row is
replayed, as a resumed run would find them.

Figures: wall and CPU seconds of the run (CPU-seconds of this process, the cost on one
idle core whatever else the machine does), rows per second, and the ceiling: the raw
Ed25519 signing time of the same number of rows (two signatures each), measured in the
same run. Target (issue 18): the 10,000 rows in <= 15 CPU-seconds, with progress.

Run from the repository root:  .venv/bin/python bench/review_session.py [--rows N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from harness import best_of, demo_zone, print_table

from registry.demo.data import QINGPU_BUREAU
from registry.services.access.tokens import Principal
from registry.services.issuance.review_sessions import (
    ISSUED,
    REPLAYED,
    ROWS_PER_TRANSACTION,
    issue_sheet,
)
from tests.support.session_sheets import csv_bytes, many_title_rows

TARGET_SECONDS = 15.0
TITLE = "ProfessionalTitleCredential"


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description=(
            "Issue one review session of N rows (default 10,000) on a temporary SQLite "
            "registry, then run it again (every row replayed)."
        )
    )
    parser.add_argument("--rows", type=int, default=10_000, help="rows (default: 10000)")
    return parser.parse_args()


def run(rows: int) -> None:
    """Measure and print the table."""
    sheet = csv_bytes(many_title_rows(rows))
    principal = Principal(0, "issuer", QINGPU_BUREAU.uscc, None, "bench")
    key = Ed25519PrivateKey.generate()
    ceiling = best_of({"sign": lambda: key.sign(b"x" * 64)}, seconds=1.0)["sign"] * 2 * rows
    figures: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-session-") as tmp, demo_zone(Path(tmp)) as zone:
        for label in ("first run", "run again (all replayed)"):
            reports: list[int] = []
            start, cpu = time.perf_counter(), time.process_time()
            report = issue_sheet(
                zone.registry,
                principal,
                TITLE,
                sheet,
                "session.csv",
                session_key="bench-session-1",
                now=datetime.now(UTC),
                progress=lambda done, _total, seen=reports: seen.append(done),
            )
            wall, used = time.perf_counter() - start, time.process_time() - cpu
            expected = ISSUED if label == "first run" else REPLAYED
            assert report.count(expected) == rows, (label, report.count(expected))
            assert reports
            assert reports[-1] == rows
            target = f"<= {TARGET_SECONDS:.0f} s" if label == "first run" else ""
            verdict = ("ok" if used <= TARGET_SECONDS else "MISSED") if target else ""
            figures.append([
                f"{label}: {rows:,} rows", f"{wall:.1f}", f"{used:.1f}", f"{rows / used:,.0f}",
                f"{ceiling / used:.2f}", target, verdict,
            ])  # fmt: skip
    print(
        f"Review session of {rows:,} plain titles on SQLite, {ROWS_PER_TRANSACTION} rows per "
        f"transaction, sheet {len(sheet) / 1e6:.1f} MB; ceiling: raw Ed25519 signing of "
        f"{rows:,} x 2 signatures = {ceiling:.2f} s (same run)"
    )
    print()
    print_table(["case", "wall s", "CPU s", "rows per CPU-s", "x ceiling", "target", ""], figures)
    print()
    first_cpu = float(figures[0][2])
    if first_cpu > TARGET_SECONDS:
        print(f"TARGET MISSED: {first_cpu:.1f} CPU-seconds for {rows:,} rows (want <= 15)")
    else:
        print("the session meets its target.")


def main() -> None:
    """Entry point."""
    run(parse_args().rows)


if __name__ == "__main__":
    main()

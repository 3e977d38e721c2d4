"""Batch verification of 1,000 items against 1,000 single offline verifications.

Builds a demo registry in a temporary SQLite store and takes the QR texts of its records
(plain and joint titles of every demo issuer), repeated to 1,000 items. It times, in one
process and on one thread (one worker):

* the ceiling: 1,000 single verifications, ``Verifier.qr(text)`` one after the other, as
  ``registry verify`` runs offline against the local store (signature, issuer, scope, key
  window, live status read, recognition for the asking region), nothing else;
* the batch: ``services.partners.batch.verify_batch`` on the same 1,000 items, which also builds
  each wire answer and logs every check for the holder (one transaction for the batch);
* for information, the whole ``POST /api/v1/verify/batch`` through the ASGI app in process
  (JSON decoding and encoding, guard, rate limiter; Litestar's test client as the caller).

Like a serving worker after start-up (``registry.http.app``), the script freezes the
objects it holds once set up (``gc.freeze``) so that garbage collections triggered by the
answers do not walk the code lists, schemas and metadata again and again.

Target: batch >= 0.8 of the ceiling (items per second).

Run from the repository root:  .venv/bin/python bench/batch_verify.py [--rounds R]
"""

from __future__ import annotations

import argparse
import gc
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from harness import demo_zone, micros, per_call, print_table, rate, verdict
from litestar.testing import TestClient

from registry.http.app import create_app
from registry.services.access.tokens import authenticate
from registry.services.partners.batch import verify_batch
from registry.services.verification.verifier import Verifier

ITEMS = 1000
REGION = "330421"  # Jiashan asks: native, co-reviewed and agreement-recognised records
TARGET_RATIO = 0.8


def best_round(cases: dict[str, Callable[[], None]], rounds: int) -> dict[str, float]:
    """The best seconds per call of each case; cases take turns in every round (one call
    is already 1,000 items, so each round calls each case once)."""
    for fn in cases.values():
        fn()  # warm up
    best = {name: float("inf") for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            best[name] = min(best[name], per_call(fn, 1))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8, help="interleaved rounds per case")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="registry-bench-") as folder,
        demo_zone(Path(folder)) as zone,
    ):
        payloads = [zone.qr_payload(record_id) for record_id in zone.summary.records]
        items = [payloads[i % len(payloads)] for i in range(ITEMS)]
        token = zone.summary.tokens[f"partner:{REGION}"]
        principal = authenticate(zone.registry, f"Bearer {token}")
        verifier = Verifier(zone.registry)
        now = datetime.now(UTC)
        expected = sum(verifier.qr(text, now=now, region=REGION).verified for text in items)
        gc.collect()
        gc.freeze()  # as a serving worker does after start-up (registry.http.app lifespan)

        def singles() -> None:
            for text in items:
                verifier.qr(text, now=now, region=REGION)

        def batch() -> None:
            answered = verify_batch(
                verifier, principal, items, purpose="bench", region=REGION, now=now
            )
            assert answered.verified == expected

        with TestClient(app=create_app(zone.settings, zone.registry)) as client:
            headers = {"Authorization": f"Bearer {token}"}
            body = {"items": items, "purpose": "bench"}

            def endpoint() -> None:
                response = client.post("/api/v1/verify/batch", json=body, headers=headers)
                assert response.status_code == 200
                assert response.json()["verified"] == expected

            best = best_round(
                {"singles": singles, "batch": batch, "endpoint": endpoint}, args.rounds
            )
    ceiling = best["singles"]
    ratio = ceiling / best["batch"]
    per_item = {name: seconds / ITEMS for name, seconds in best.items()}
    print(
        f"{ITEMS} items ({len(payloads)} distinct records, {expected} verify), "
        f"asking region {REGION}\n"
    )
    print_table(
        ["case", "µs/item", "items/s", "× ceiling"],
        [
            [
                f"ceiling: {ITEMS} single Verifier.qr calls",
                micros(per_item["singles"]),
                rate(per_item["singles"]),
                "1.00",
            ],
            [
                f"batch: verify_batch of {ITEMS} (answers + access log)",
                micros(per_item["batch"]),
                rate(per_item["batch"]),
                f"{ratio:.2f} (target {TARGET_RATIO}: {verdict(ratio, TARGET_RATIO)})",
            ],
            [
                "info: POST /api/v1/verify/batch in process (JSON both ways)",
                micros(per_item["endpoint"]),
                rate(per_item["endpoint"]),
                f"{ceiling / best['endpoint']:.2f}",
            ],
        ],
    )
    if ratio < TARGET_RATIO:
        print(f"\nTARGET MISSED: batch {ratio:.2f} < {TARGET_RATIO}")


if __name__ == "__main__":
    main()

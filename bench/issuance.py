"""Issuance throughput on SQLite and PostgreSQL, against the raw Ed25519 signing ceiling.

Issues N plain title records through ``registry.services.issuance.issue.issue_record`` (schema
check, ID-number check, eddsa-jcs-2022 proof, COSE-signed QR payload, one transaction on
a temporary SQLite store; no QR image), then a smaller batch of joint titles (four proofs,
one per co-reviewing bureau and the committee, plus the QR payload), and the same plain
titles on a temporary PostgreSQL database (created on the server named by ``--postgres``,
``$REGISTRY_TEST_POSTGRES_URL`` or the local default, and dropped at the end; skipped with a
note when no server answers). Batches of the three take turns.

The ceiling is the raw Ed25519 sign rate of ``cryptography`` in the same run, divided by
the signatures a record needs: two for a plain title (proof + QR), five for a joint one.
Targets (issue 18): >= 1,000 plain records/s on SQLite per core (records per CPU-second of
this process, so other load on the machine does not count), and PostgreSQL >= 0.8 x SQLite.

Run from the repository root:  .venv/bin/python bench/issuance.py [--n N] [--joint-n N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness import (
    JOINT_COMMITTEE,
    WUJIANG_BUREAU,
    DemoZone,
    best_of,
    demo_zone,
    micros,
    postgres_database,
    print_table,
    rate,
    verdict,
)

from registry.core.formats import dataintegrity
from registry.core.formats.canonical import canonical_json
from registry.core.records import qrclaims
from registry.core.records.credential import JOINT_TITLE, TITLE
from registry.demo.data import DEMO_RECORDS
from registry.services.access.tokens import Principal, authenticate
from registry.services.issuance.issue import IssuedRecord, issue_record
from registry.services.trust.directory import method_id
from registry.storage.repositories import IssuerRepository, SigningKeyRepository

TARGET_RECORDS_PER_SECOND = 1000.0
TARGET_POSTGRES_RATIO = 0.8
WARM_UP = 10


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description=(
            "Time title issuance (sign credential and QR payload, store; no image) on a "
            "temporary SQLite registry, against the raw Ed25519 sign rate of the same run."
        )
    )
    parser.add_argument(
        "--n", type=int, default=1000, help="plain title records to issue (default: 1000)"
    )
    parser.add_argument(
        "--joint-n", type=int, default=250, help="joint title records to issue (default: 250)"
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=6.0,
        help="timing budget of the signing ceiling and the stage figures (default: 6)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="interleaved batches the records are split into; the best counts (default: 3)",
    )
    parser.add_argument(
        "--postgres",
        help="PostgreSQL server to create a temporary database on "
        "(default: $REGISTRY_TEST_POSTGRES_URL, else postgresql://postgres@127.0.0.1:5432/postgres)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    return parser.parse_args()


def demo_request(record_type: str, issuer_uscc: str) -> Mapping[str, Any]:
    """The demo issuance request of this type by this issuer."""
    for record in DEMO_RECORDS:
        if record.issuer_uscc == issuer_uscc and record.credential["type"][-1] == record_type:
            return record.issuance_request()
    raise LookupError(record_type)


Batch = tuple[DemoZone, Principal, Mapping[str, Any], int]


def issue_batch(
    zone: DemoZone, principal: Principal, request: Mapping[str, Any], count: int
) -> tuple[float, float, IssuedRecord]:
    """Wall and CPU seconds per record over ``count`` issuances, and the last record."""
    requests = [dict(request) for _ in range(count)]
    issued = None
    start, cpu = time.perf_counter(), time.process_time()
    for body in requests:
        issued = issue_record(zone.registry, principal, body, now=datetime.now(UTC))
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    assert issued is not None
    return elapsed / max(count, 1), used / max(count, 1), issued


def issue_rounds(
    batches: dict[str, Batch], rounds: int
) -> tuple[dict[str, float], dict[str, float], IssuedRecord]:
    """Best wall and CPU seconds per record of each kind over interleaved batches, after a
    warm-up; and the first plain record issued."""
    best = {name: float("inf") for name in batches}
    best_cpu = {name: float("inf") for name in batches}
    last: IssuedRecord | None = None
    for zone, principal, request, _ in batches.values():
        issue_batch(zone, principal, request, WARM_UP)
    for _ in range(rounds):
        for name, (zone, principal, request, count) in batches.items():
            per_record, cpu, issued = issue_batch(zone, principal, request, max(1, count // rounds))
            best[name] = min(best[name], per_record)
            best_cpu[name] = min(best_cpu[name], cpu)
            last = last or issued
    assert last is not None
    return best, best_cpu, last


def stage_cases(zone: DemoZone, issued: IssuedRecord) -> dict[str, Callable[[], object]]:
    """Raw signing and the two signing stages of a plain title, on real data."""
    registry = zone.registry
    with registry.reading() as session:
        issuer = IssuerRepository(session).by_uscc(WUJIANG_BUREAU)
        assert issuer is not None
        assert issuer.id is not None
        key_row = SigningKeyRepository(session).signing_key_of(issuer.id)
    assert key_row is not None
    private_key = registry.keystore.private_key(key_row)
    kid = bytes.fromhex(key_row.kid)
    unsigned = dataintegrity.unsecured_document(issued.credential)
    options = dataintegrity.ProofOptions(
        verification_method=method_id(registry.urls, WUJIANG_BUREAU, key_row.kid),
        created=datetime.now(UTC),
    )
    facts = qrclaims.decode_payload(issued.qr_payload).facts
    proof_message = dataintegrity.proof_hash_data({"type": "DataIntegrityProof"}, unsigned)
    signed_qr = qrclaims.decode_payload(issued.qr_payload).message.to_be_signed()
    return {
        "ceiling: Ed25519 sign, 64 B proof hash": lambda: private_key.sign(proof_message),
        "ceiling: Ed25519 sign, QR Sig_structure": lambda: private_key.sign(signed_qr),
        "  stage: eddsa-jcs-2022 add_proof": lambda: dataintegrity.add_proof(
            unsigned, private_key, options
        ),
        "  stage: sign QR payload (CBOR, COSE, text)": lambda: qrclaims.sign_payload(
            facts, private_key, kid
        ),
    }


def run(args: argparse.Namespace) -> None:
    """Measure and print the table."""
    count, joint_count, rounds = args.n, args.joint_n, args.rounds
    with tempfile.TemporaryDirectory(prefix="bench-issue-") as tmp, ExitStack() as stack:
        zone = stack.enter_context(demo_zone(Path(tmp) / "sqlite"))
        tokens = zone.summary.tokens
        bureau = authenticate(zone.registry, "Bearer " + tokens[f"issuer:{WUJIANG_BUREAU}"])
        committee = authenticate(zone.registry, "Bearer " + tokens[f"issuer:{JOINT_COMMITTEE}"])
        plain_request = demo_request(TITLE, WUJIANG_BUREAU)
        batches: dict[str, Batch] = {
            "plain": (zone, bureau, plain_request, count),
            "joint": (zone, committee, demo_request(JOINT_TITLE, JOINT_COMMITTEE), joint_count),
        }
        pg_url = None if args.no_postgres else stack.enter_context(postgres_database(args.postgres))
        if pg_url is not None:
            pg_zone = stack.enter_context(demo_zone(Path(tmp) / "postgres", pg_url))
            pg_token = pg_zone.summary.tokens[f"issuer:{WUJIANG_BUREAU}"]
            pg_bureau = authenticate(pg_zone.registry, "Bearer " + pg_token)
            batches["postgres"] = (pg_zone, pg_bureau, plain_request, count)
        best, best_cpu, issued = issue_rounds(batches, rounds)
        plain, joint = best["plain"], best["joint"]
        stages = best_of(stage_cases(zone, issued), seconds=args.seconds)
        qr_chars = len(issued.qr_payload)
        credential_bytes = len(canonical_json(issued.credential))

    sign_proof = stages["ceiling: Ed25519 sign, 64 B proof hash"]
    sign_qr = stages["ceiling: Ed25519 sign, QR Sig_structure"]
    plain_ceiling = sign_proof + sign_qr
    joint_ceiling = 4 * sign_proof + sign_qr
    plain_cpu = best_cpu["plain"]
    missed: list[str] = []
    if 1 / plain_cpu < TARGET_RECORDS_PER_SECOND:
        missed.append(
            f"{1 / plain_cpu:,.0f} plain records per CPU-second on SQLite "
            f"(want >= {TARGET_RECORDS_PER_SECOND:,.0f})"
        )
    rows = [
        [
            f"plain title, issue_record x {count} (SQLite)",
            micros(plain),
            rate(plain),
            rate(plain_ceiling),
            f"{plain_ceiling / plain:.2f}",
            "",
            "",
        ],
        [
            "  same, per CPU-second of this process (one core)",
            micros(plain_cpu),
            rate(plain_cpu),
            rate(plain_ceiling),
            f"{plain_ceiling / plain_cpu:.2f}",
            f">= {TARGET_RECORDS_PER_SECOND:,.0f}/s",
            verdict(1 / plain_cpu, TARGET_RECORDS_PER_SECOND),
        ],
        [
            f"joint title, issue_record x {joint_count} (SQLite)",
            micros(joint),
            rate(joint),
            rate(joint_ceiling),
            f"{joint_ceiling / joint:.2f}",
            "",
            "",
        ],
    ]
    if "postgres" in best:
        postgres = best["postgres"]
        ratio = plain / postgres
        rows.append([
            f"plain title, issue_record x {count} (PostgreSQL)", micros(postgres),
            rate(postgres), rate(plain_ceiling), f"{plain_ceiling / postgres:.2f}",
            f">= {TARGET_POSTGRES_RATIO} x SQLite",
            f"{ratio:.2f} {verdict(ratio, TARGET_POSTGRES_RATIO)}",
        ])  # fmt: skip
        if ratio < TARGET_POSTGRES_RATIO:
            missed.append(f"PostgreSQL issuance at {ratio:.2f} x SQLite")
    for name, per_op in stages.items():
        rows.append([name, micros(per_op), rate(per_op), "", "", "", ""])
    rest = plain - stages["  stage: eddsa-jcs-2022 add_proof"]
    rest -= stages["  stage: sign QR payload (CBOR, COSE, text)"]
    rows.append(["  rest: checks, SQL, SQLite commit", micros(rest), "", "", "", "", ""])
    print(
        f"Issuance on SQLite (WAL, synchronous=NORMAL)"
        f"{' and PostgreSQL' if 'postgres' in best else ''}, one thread, no QR image, best of "
        f"{rounds} batches; signed credential {credential_bytes} B (JCS), QR payload "
        f"{qr_chars} chars"
    )
    print(
        "signing ceiling: 2 signatures per plain title (proof + QR), "
        "5 per joint title (4 proofs + QR)"
    )
    if "postgres" not in best:
        print("NOTE: PostgreSQL not measured (--no-postgres, or no server answered)")
    print()
    print_table(
        ["case", "us/record", "records/s", "ceiling/s", "x ceiling", "target", ""],
        rows,
    )
    print()
    if missed:
        print("TARGET MISSED: " + "; ".join(missed))
    else:
        print("issuance meets its targets.")


def main() -> None:
    """Entry point."""
    run(parse_args())


if __name__ == "__main__":
    main()

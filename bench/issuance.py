"""Issuance throughput on SQLite, against the raw Ed25519 signing ceiling.

Issues N plain title records through ``registry.services.issuance.issue.issue_record`` (schema
check, ID-number check, eddsa-jcs-2022 proof, COSE-signed QR payload, one transaction on
a temporary SQLite store; no QR image), then a smaller batch of joint titles (four proofs,
one per co-reviewing bureau and the committee, plus the QR payload).

The ceiling is the raw Ed25519 sign rate of ``cryptography`` in the same run, divided by
the signatures a record needs: two for a plain title (proof + QR), five for a joint one.
Target: >= 500 plain records/s.

Run from the repository root:  .venv/bin/python bench/issuance.py [--n N] [--joint-n N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Mapping
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

TARGET_RECORDS_PER_SECOND = 500.0
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
    return parser.parse_args()


def demo_request(record_type: str, issuer_uscc: str) -> Mapping[str, Any]:
    """The demo issuance request of this type by this issuer."""
    for record in DEMO_RECORDS:
        if record.issuer_uscc == issuer_uscc and record.credential["type"][-1] == record_type:
            return record.issuance_request()
    raise LookupError(record_type)


def issue_batch(
    zone: DemoZone, principal: Principal, request: Mapping[str, Any], count: int
) -> tuple[float, IssuedRecord]:
    """Seconds per record over ``count`` issuances, and the last record issued."""
    requests = [dict(request) for _ in range(count)]
    issued = None
    start = time.perf_counter()
    for body in requests:
        issued = issue_record(zone.registry, principal, body, now=datetime.now(UTC))
    elapsed = time.perf_counter() - start
    assert issued is not None
    return elapsed / max(count, 1), issued


def issue_rounds(
    zone: DemoZone, batches: dict[str, tuple[Principal, Mapping[str, Any], int]], rounds: int
) -> tuple[dict[str, float], IssuedRecord]:
    """Best seconds per record of each kind over interleaved batches, after a warm-up."""
    best = {name: float("inf") for name in batches}
    last: IssuedRecord | None = None
    for principal, request, _ in batches.values():
        issue_batch(zone, principal, request, WARM_UP)
    for _ in range(rounds):
        for name, (principal, request, count) in batches.items():
            per_record, issued = issue_batch(zone, principal, request, max(1, count // rounds))
            best[name] = min(best[name], per_record)
            last = last or issued
    assert last is not None
    return best, last


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


def run(count: int, joint_count: int, seconds: float, rounds: int) -> None:
    """Measure and print the table."""
    with tempfile.TemporaryDirectory(prefix="bench-issue-") as tmp, demo_zone(Path(tmp)) as zone:
        tokens = zone.summary.tokens
        bureau = authenticate(zone.registry, "Bearer " + tokens[f"issuer:{WUJIANG_BUREAU}"])
        committee = authenticate(zone.registry, "Bearer " + tokens[f"issuer:{JOINT_COMMITTEE}"])
        best, issued = issue_rounds(
            zone,
            {
                "plain": (bureau, demo_request(TITLE, WUJIANG_BUREAU), count),
                "joint": (committee, demo_request(JOINT_TITLE, JOINT_COMMITTEE), joint_count),
            },
            rounds,
        )
        plain, joint = best["plain"], best["joint"]
        stages = best_of(stage_cases(zone, issued), seconds=seconds)
        qr_chars = len(issued.qr_payload)
        credential_bytes = len(canonical_json(issued.credential))

    sign_proof = stages["ceiling: Ed25519 sign, 64 B proof hash"]
    sign_qr = stages["ceiling: Ed25519 sign, QR Sig_structure"]
    plain_ceiling = sign_proof + sign_qr
    joint_ceiling = 4 * sign_proof + sign_qr
    rows = [
        [
            f"plain title, issue_record x {count}",
            micros(plain),
            rate(plain),
            rate(plain_ceiling),
            f"{plain_ceiling / plain:.2f}",
            f">= {TARGET_RECORDS_PER_SECOND:.0f}/s",
            verdict(1 / plain, TARGET_RECORDS_PER_SECOND),
        ],
        [
            f"joint title, issue_record x {joint_count}",
            micros(joint),
            rate(joint),
            rate(joint_ceiling),
            f"{joint_ceiling / joint:.2f}",
            "",
            "",
        ],
    ]
    for name, per_op in stages.items():
        rows.append([name, micros(per_op), rate(per_op), "", "", "", ""])
    rest = plain - stages["  stage: eddsa-jcs-2022 add_proof"]
    rest -= stages["  stage: sign QR payload (CBOR, COSE, text)"]
    rows.append(["  rest: checks, ORM, SQLite commit", micros(rest), "", "", "", "", ""])
    print(
        f"Issuance on SQLite (WAL, synchronous=NORMAL), one thread, no QR image, best of {rounds} "
        "batches; "
        f"signed credential {credential_bytes} B (JCS), QR payload {qr_chars} chars"
    )
    print(
        "signing ceiling: 2 signatures per plain title (proof + QR), "
        "5 per joint title (4 proofs + QR)"
    )
    print()
    print_table(
        ["case", "us/record", "records/s", "ceiling/s", "x ceiling", "target", ""],
        rows,
    )
    print()
    if 1 / plain < TARGET_RECORDS_PER_SECOND:
        print(
            f"TARGET MISSED: {1 / plain:,.0f} plain records/s "
            f"(want >= {TARGET_RECORDS_PER_SECOND:.0f}/s)"
        )
    else:
        print(f"plain issuance meets its target (>= {TARGET_RECORDS_PER_SECOND:.0f} records/s).")


def main() -> None:
    """Entry point."""
    args = parse_args()
    run(args.n, args.joint_n, args.seconds, args.rounds)


if __name__ == "__main__":
    main()

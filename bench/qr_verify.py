"""Offline QR verification, scanned text to checked result, against raw Ed25519 verify.

Builds a demo registry in a temporary SQLite store, takes the QR text of an issued plain
title and of a joint title, and times ``registry.core.verification.record.verify_qr`` with

* an in-memory trust and status source (a snapshot of the registry's ``Directory``): the
  core pipeline, as an offline verifier runs it;
* the ``Directory`` itself: the service path, whose status check queries the store live.

The ceiling is one raw Ed25519 verify with ``cryptography`` of the same Sig_structure with
the same key, in the same process and run. Target (issue 18): >= 0.6 of the ceiling, for
the core pipeline and for the service path with its live status read.

Run from the repository root:  .venv/bin/python bench/qr_verify.py [--seconds S]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from harness import DemoZone, best_of, demo_zone, micros, print_table, rate, verdict
from sqlalchemy import bindparam, select

from registry.core.formats.qrcontainer import verify_url
from registry.core.records import qrclaims
from registry.core.records.credential import JOINT_TITLE, TITLE, RecordFacts
from registry.core.trust.model import IssuerInfo, KeyInfo, Presented, RecordStatus
from registry.core.verification.record import VerifyRequest, verify_qr
from registry.services.trust.directory import Directory
from registry.storage.repositories import IssuerRepository, SigningKeyRepository
from registry.storage.tables import CredentialRow

TARGET_RATIO = 0.6


def _presented(signed: qrclaims.SignedQr) -> Presented:
    return Presented("qr", signed.message.signature)


class MemoryDirectory:
    """A ``TrustSource`` and ``StatusSource`` held in dictionaries (a Directory snapshot)."""

    def __init__(
        self,
        issuers: dict[str, IssuerInfo],
        keys: dict[bytes, KeyInfo],
        bureaus: dict[str, tuple[IssuerInfo, ...]],
        statuses: dict[str, RecordStatus],
    ) -> None:
        self._issuers = issuers
        self._keys = keys
        self._methods = {key.method_id: key for key in keys.values()}
        self._bureaus = bureaus
        self._statuses = statuses

    @classmethod
    def snapshot(
        cls, zone: DemoZone, directory: Directory, records: Iterable[str]
    ) -> MemoryDirectory:
        """Copy what the registry's directory knows, through its public lookups."""
        with zone.registry.reading() as session:
            usccs = [row.uscc for row in IssuerRepository(session).all()]
            kids = [row.kid for row in SigningKeyRepository(session).all()]
        issuers = {uscc: found for uscc in usccs if (found := directory.issuer(uscc))}
        keys = {
            bytes.fromhex(kid): key
            for kid in kids
            if (key := directory.key_by_kid(bytes.fromhex(kid)))
        }
        regions = {info.region for info in issuers.values()}
        bureaus = {region: directory.bureaus_of(region) for region in regions}
        statuses = {}
        for rid in records:
            signed = qrclaims.decode_payload(zone.qr_payload(rid))
            status = directory.status_of(signed.facts, _presented(signed))
            if status is not None:
                statuses[rid] = status
        return cls(issuers, keys, bureaus, statuses)

    def issuer(self, uscc: str) -> IssuerInfo | None:
        """The issuer with this USCC."""
        return self._issuers.get(uscc)

    def key_by_kid(self, kid: bytes) -> KeyInfo | None:
        """The key with this COSE key id."""
        return self._keys.get(kid)

    def key_by_method(self, method_id: str) -> KeyInfo | None:
        """The key a Data Integrity proof names."""
        return self._methods.get(method_id)

    def bureaus_of(self, region: str) -> tuple[IssuerInfo, ...]:
        """The HR bureaus of a region."""
        return self._bureaus.get(region, ())

    def status_of(self, facts: RecordFacts, _presented: Presented) -> RecordStatus | None:
        """The status as of the snapshot."""
        return self._statuses.get(facts.record_id)


def status_by_core(zone: DemoZone, record_id: str) -> Callable[[], object]:
    """The status lookup as one prepared SQLAlchemy Core statement (a reference figure)."""
    column = CredentialRow.__table__.c  # type: ignore[attr-defined]
    query = select(column.status).where(column.id == bindparam("record_id"))
    engine = zone.registry.engine

    def lookup() -> object:
        with engine.connect() as connection:
            return connection.execute(query, {"record_id": record_id}).scalar()

    return lookup


def status_by_sqlite3(zone: DemoZone, record_id: str) -> Callable[[], object]:
    """The status lookup on a plain ``sqlite3`` connection (the floor for any driver)."""
    path = zone.settings.database_url.removeprefix("sqlite:///")
    connection = sqlite3.connect(path, check_same_thread=False)
    table = CredentialRow.__tablename__
    sql = f"SELECT status FROM {table} WHERE id = ?"

    def lookup() -> object:
        return connection.execute(sql, (record_id,)).fetchone()

    return lookup


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description=(
            "Time offline QR verification (text -> checked result) against a raw Ed25519 "
            "verify measured in the same run. Uses a temporary SQLite registry."
        )
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=12.0,
        help="total timing budget shared by all cases (default: 12)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="interleaved rounds; the best round of each case counts (default: 5)",
    )
    return parser.parse_args()


def run(seconds: float, rounds: int) -> None:
    """Measure and print the table."""
    with tempfile.TemporaryDirectory(prefix="bench-qr-") as tmp, demo_zone(Path(tmp)) as zone:
        base = zone.settings.base_url
        title_id = zone.record_of_type(TITLE)
        joint_id = zone.record_of_type(JOINT_TITLE)
        title_text = verify_url(base, zone.qr_payload(title_id))
        joint_text = verify_url(base, zone.qr_payload(joint_id))
        directory = Directory(zone.registry)
        directory.refresh()  # the warm-up: issuers and keys cached
        memory = MemoryDirectory.snapshot(zone, directory, zone.summary.records)
        request = VerifyRequest(datetime.now(UTC))
        for text in (title_text, joint_text):
            for source in (memory, directory):
                outcome = verify_qr(text, source, source, request)
                assert outcome.verified, [c for c in outcome.checks if c.outcome.value != "passed"]

        signed = qrclaims.decode_payload(title_text)
        assert signed.kid is not None
        key = memory.key_by_kid(signed.kid)
        assert key is not None
        to_be_signed = signed.message.to_be_signed()
        signature = signed.message.signature
        public_key = key.public_key

        def raw_verify() -> None:
            public_key.verify(signature, to_be_signed)

        cases: dict[str, Callable[[], object]] = {
            "ceiling: raw Ed25519 verify": raw_verify,
            "core: verify_qr, plain title": lambda: verify_qr(title_text, memory, memory, request),
            "core: verify_qr, joint title": lambda: verify_qr(joint_text, memory, memory, request),
            "service: verify_qr over Directory": lambda: verify_qr(
                title_text, directory, directory, request
            ),
            "  stage: decode text -> facts": lambda: qrclaims.decode_payload(title_text),
            "  stage: Directory.status_of (pooled driver read)": lambda: directory.status_of(
                signed.facts, _presented(signed)
            ),
            "  ref: same query, SQLAlchemy Core": status_by_core(zone, title_id),
            "  ref: same query, raw sqlite3": status_by_sqlite3(zone, title_id),
        }
        best = best_of(cases, seconds=seconds, rounds=rounds)

    ceiling = best["ceiling: raw Ed25519 verify"]
    targets = {
        "core: verify_qr, plain title",
        "core: verify_qr, joint title",
        "service: verify_qr over Directory",
    }
    rows = []
    for name, per_op in best.items():
        ratio = ceiling / per_op
        target = f">= {TARGET_RATIO}" if name in targets else ""
        status = verdict(ratio, TARGET_RATIO) if name in targets else ""
        rows.append([name, micros(per_op), rate(per_op), f"{ratio:.2f}", target, status])
    print(
        f"QR verification, one thread; QR text {len(title_text)} chars (URL form), "
        f"Sig_structure {len(to_be_signed)} bytes; best of {rounds} rounds"
    )
    print()
    print_table(["case", "us/op", "ops/s", "x ceiling", "target", ""], rows)
    print()
    core = best["core: verify_qr, plain title"]
    print(
        f"core pipeline overhead over the raw verify: {micros(core - ceiling)} us/op; "
        f"the live status query adds {micros(best['service: verify_qr over Directory'] - core)}"
        " us/op on the service path."
    )
    missed = [name for name in targets if ceiling / best[name] < TARGET_RATIO]
    if missed:
        print(f"TARGET MISSED for: {', '.join(sorted(missed))} (want >= {TARGET_RATIO} x ceiling)")
    else:
        print(f"every path meets its target (>= {TARGET_RATIO} x the raw verify rate).")


def main() -> None:
    """Entry point."""
    args = parse_args()
    run(args.seconds, args.rounds)


if __name__ == "__main__":
    main()

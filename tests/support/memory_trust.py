"""In-memory trust and status sources, and record factories, for core tests."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.records.credential import JOINT_TITLE, TITLE, RecordFacts, TitleFacts
from registry.core.trust.model import (
    Agreement,
    Equivalence,
    IssuerInfo,
    KeyInfo,
    Presented,
    RecordStatus,
    RegionInfo,
)

BASE = "https://talent.yrd-demo.example.cn"
COMMITTEE = "11320509MB0000091M"
BUREAUS = {
    "310118": "11310118MB0000001L",
    "320509": "11320509MB0000001C",
    "330421": "11330421MB0000001N",
}


def kid_for(key: Ed25519PrivateKey) -> bytes:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:8]


@dataclass
class MemoryTrust:
    """A TrustSource and StatusSource held in dictionaries."""

    issuers: dict[str, IssuerInfo] = field(default_factory=dict)
    keys: dict[bytes, KeyInfo] = field(default_factory=dict)
    private: dict[str, Ed25519PrivateKey] = field(default_factory=dict)
    statuses: dict[str, str | RecordStatus] = field(default_factory=dict)
    region_infos: list[RegionInfo] = field(default_factory=list)
    agreement_list: list[Agreement] = field(default_factory=list)
    equivalence_list: list[Equivalence] = field(default_factory=list)
    # Every status question asked, with how the record was presented.
    asked: list[tuple[str, Presented]] = field(default_factory=list)

    def add_issuer(
        self, uscc: str, region: str, kind: str, types: tuple[str, ...], *, since: datetime
    ) -> Ed25519PrivateKey:
        self.issuers[uscc] = IssuerInfo(
            uscc,
            f"{BASE}/issuers/{uscc}",
            f"机构{uscc[-4:]}",
            f"Org {uscc[-4:]}",
            region,
            kind,
            frozenset(types),
        )
        key = Ed25519PrivateKey.generate()
        kid = kid_for(key)
        self.keys[kid] = KeyInfo(
            kid, f"{BASE}/issuers/{uscc}#{kid.hex()}", uscc, key.public_key(), since, None, "active"
        )
        self.private[uscc] = key
        return key

    def key_of(self, uscc: str) -> KeyInfo:
        return next(k for k in self.keys.values() if k.issuer_uscc == uscc)

    def set_key(self, uscc: str, **changes: object) -> None:
        key = self.key_of(uscc)
        self.keys[key.kid] = replace(key, **changes)  # type: ignore[arg-type]

    def issuer(self, uscc: str) -> IssuerInfo | None:
        return self.issuers.get(uscc)

    def key_by_kid(self, kid: bytes) -> KeyInfo | None:
        return self.keys.get(kid)

    def key_by_method(self, method_id: str) -> KeyInfo | None:
        return next((k for k in self.keys.values() if k.method_id == method_id), None)

    def bureaus_of(self, region: str) -> tuple[IssuerInfo, ...]:
        return tuple(
            i for i in self.issuers.values() if i.region == region and i.kind == "hr_bureau"
        )

    def in_namespace(self, issuer_id: str) -> bool:
        return issuer_id.startswith(f"{BASE}/issuers/")

    def status_of(self, facts: RecordFacts, presented: Presented) -> RecordStatus | None:
        self.asked.append((facts.record_id, presented))
        found = self.statuses.get(facts.record_id)
        return RecordStatus(found) if isinstance(found, str) else found

    def regions(self) -> tuple[RegionInfo, ...]:
        return tuple(self.region_infos)

    def agreements(self) -> tuple[Agreement, ...]:
        return tuple(self.agreement_list)

    def equivalences(self, from_region: str, to_region: str) -> tuple[Equivalence, ...]:
        return tuple(
            e
            for e in self.equivalence_list
            if e.from_region == from_region and e.to_region == to_region
        )


def zone_trust(now: datetime | None = None) -> MemoryTrust:
    """The zone's three bureaus and the joint committee, keys valid since a year ago."""
    since = (now or datetime.now(UTC)) - timedelta(days=365)
    trust = MemoryTrust()
    for region, uscc in BUREAUS.items():
        trust.add_issuer(uscc, region, "hr_bureau", (TITLE,), since=since)
    trust.add_issuer(COMMITTEE, "320509", "joint_committee", (TITLE, JOINT_TITLE), since=since)
    return trust


def title_facts(
    record_id: str, *, joint: bool = False, issued: datetime | None = None, **changes: object
) -> RecordFacts:
    """Public facts of a senior engineer title (joint when asked)."""
    issued = issued or datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    title = TitleFacts(
        series="工程技术",
        specialty="机械工程",
        level="副高级",
        title_name="高级工程师",
        obtained_by="评审",
        obtained_on=date(2024, 12, 20),
        joint_committee=COMMITTEE if joint else None,
        review_regions=tuple(BUREAUS) if joint else (),
    )
    facts = RecordFacts(
        record_id=record_id,
        record_type=JOINT_TITLE if joint else TITLE,
        issuer_uscc=COMMITTEE if joint else BUREAUS["320509"],
        issued_at=issued,
        valid_from=issued,
        valid_until=None,
        masked_name="李*远",
        details=title,
        status_index=4242,
    )
    return replace(facts, **changes)  # type: ignore[arg-type]

"""Seeding the demonstration zone into a prepared registry: its regions, issuers with
keys, tokens, authority, catalogue and sample records."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.lifecycle.events import LogEvent
from registry.core.people.identifiers import parse_uscc
from registry.demo import data as demo_data
from registry.demo.authority import seed_authority
from registry.demo.catalogue import seed_demo_catalogue
from registry.services.access.tokens import TOKEN_NAME_MAX, Principal, authenticate, create_token
from registry.services.issuance.issue import issue_record
from registry.services.runtime.context import Registry
from registry.services.runtime.secrets import write_private
from registry.services.transparency.events import append_events
from registry.services.transparency.history import key_digest
from registry.settings import Settings
from registry.storage.repositories import IssuerRepository, RegionRepository, SigningKeyRepository
from registry.storage.tables import IssuerRow, RegionRow

DEMO_TOKENS_FILE = "demo-tokens.json"
Progress = Callable[[str], None]


@dataclass
class DemoSummary:
    """What seeding the demo created; tokens are secrets, shown once."""

    issuers: list[str] = field(default_factory=list)
    records: list[str] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)
    already_seeded: bool = False


def add_region(registry: Registry, code: str, name_zh: str, name_en: str) -> None:
    """Register a region once (idempotent)."""
    with registry.transaction() as session:
        regions = RegionRepository(session)
        if regions.get(code) is None:
            regions.add(RegionRow(code=code, name_zh=name_zh, name_en=name_en))


def add_issuer(
    registry: Registry,
    issuer: demo_data.DemoIssuer,
    *,
    now: datetime,
    private_key: Ed25519PrivateKey | None = None,
) -> str:
    """Register an issuer with a first signing key; returns the key id. Its USCC must pass
    the GB 32100 check: the registry's own issuers are never let off it."""
    uscc = parse_uscc(issuer.uscc)
    with registry.transaction() as session:
        row = IssuerRepository(session).add(
            IssuerRow(
                uscc=uscc,
                name_zh=issuer.name_zh,
                name_en=issuer.name_en,
                region_code=issuer.region,
                kind=issuer.kind,
                record_types=list(issuer.record_types),
                created_at=now,
            )
        )
        assert row.id is not None
        keys = registry.keystore
        key_row = (
            keys.key_row(private_key, row.id, now) if private_key else keys.new_key_row(row.id, now)
        )
        SigningKeyRepository(session).add(key_row)
        append_events(
            session,
            [
                LogEvent("issuer_created", now, issuer.uscc),
                LogEvent(
                    "key_created",
                    now,
                    issuer.uscc,
                    kid=key_row.kid,
                    record_digest=key_digest(key_row.public_multikey),
                ),
            ],
        )
        return key_row.kid


def seed_demo(
    registry: Registry,
    *,
    now: datetime,
    keyset: Mapping[str, Ed25519PrivateKey] | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Load the demo zone: regions, issuers with keys, tokens and sample records."""
    say = progress or (lambda _message: None)
    summary = DemoSummary()
    with registry.reading() as session:
        if IssuerRepository(session).all():
            summary.already_seeded = True
            return summary
    for region in demo_data.DEMO_REGIONS:
        add_region(registry, region.code, region.name_zh, region.name_en)
    for issuer in demo_data.DEMO_ISSUERS:
        add_issuer(registry, issuer, now=now, private_key=(keyset or {}).get(issuer.uscc))
        summary.issuers.append(issuer.uscc)
        say(f"issuer {issuer.uscc} {issuer.name_zh}")
        label = f"demo {issuer.name_en}"[:TOKEN_NAME_MAX]  # a label: cut, as it always was
        summary.tokens[f"issuer:{issuer.uscc}"] = create_token(
            registry, "issuer", now=now, issuer_uscc=issuer.uscc, name=label
        )
    for region in demo_data.DEMO_REGIONS:
        summary.tokens[f"partner:{region.code}"] = create_token(
            registry, "partner", now=now, region=region.code, name=f"demo partner {region.name_en}"
        )
    summary.tokens["admin"] = create_token(registry, "admin", now=now, name="demo admin")
    seed_authority(registry, now=now)
    catalogue = seed_demo_catalogue(registry, now=now)
    say(f"catalogue {catalogue.catalogue} {catalogue.version} ({catalogue.item_count} items)")
    issued_ids: dict[str, str] = {}
    for record in demo_data.DEMO_RECORDS:
        principal: Principal = authenticate(
            registry, "Bearer " + summary.tokens[f"issuer:{record.issuer_uscc}"]
        )
        request = record.issuance_request()
        if record.principal_key is not None:  # a dependant's permit names its principal's
            permit = request["credentialSubject"]["residencePermit"]
            permit["principalRecord"] = registry.urls.credential(issued_ids[record.principal_key])
        issued = issue_record(registry, principal, request, now=now)
        issued_ids[record.key] = issued.record_id
        summary.records.append(issued.record_id)
        say(f"record {issued.record_id} ({record.key})")
    return summary


def write_demo_tokens(settings: Settings, summary: DemoSummary) -> Path:
    """Keep the demo tokens beside the data (mode 0600) so the README tour can use them."""
    path = settings.data_dir / DEMO_TOKENS_FILE
    write_private(path, json.dumps(summary.tokens, indent=2, ensure_ascii=False) + "\n")
    return path

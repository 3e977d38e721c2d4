"""Holders' personal access links: an issuer hands the holder an unguessable link to a page
showing the record's public facts and who checked it, when and why.

Only the SHA-256 hash of the link's token is stored. A record has at most one working
link: making a new one revokes the old (rotation), and the issuer can revoke it outright.
An unknown and a revoked link answer alike (``HOLDER_LINK_UNKNOWN``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.core.errors import RegistryError, not_found
from registry.core.formats.timefmt import format_instant
from registry.core.people.privacy import mask_name
from registry.core.records.credential import facts_from_credential
from registry.core.verification.record import current_state
from registry.services.access.tokens import Principal
from registry.services.people.access_log import AccessEntry, access_entries
from registry.services.people.match_limits import match_limit_view
from registry.services.records.answers import labelled, public_record
from registry.services.records.stored import record_for
from registry.services.runtime.context import Registry
from registry.storage.personal import HolderLinkRepository
from registry.storage.repositories import CredentialRepository, IssuerRepository, as_utc
from registry.storage.tables import HolderLinkRow

LINK_PREFIX = "rgh_"
_TOKEN_BYTES = 32


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _unknown_link() -> RegistryError:
    return not_found(
        "HOLDER_LINK_UNKNOWN",
        "访问链接无效或已被撤销",
        "this access link is unknown or was revoked",
    )


@dataclass(frozen=True)
class HolderLink:
    """A link just made: its URL holds the only copy of the token."""

    record_id: str
    url: str
    created_at: datetime


def create_link(
    registry: Registry, principal: Principal, record: str, *, now: datetime
) -> HolderLink:
    """A new access link for a record of the principal's issuer (or any, for an admin);
    any earlier link of the record stops working."""
    stored = record_for(registry, principal, record)
    if not stored.qr_payload:
        raise not_found(
            "HOLDER_LINK_NOT_AVAILABLE",
            "通用 VC-API 凭证没有持证人页面（持证人持有凭证本身）",
            "a generic VC-API credential has no holder page (its holder holds the credential)",
        )
    token = LINK_PREFIX + secrets.token_urlsafe(_TOKEN_BYTES)
    with registry.transaction() as session:
        links = HolderLinkRepository(session)
        for old in links.active_of_record(stored.record_id):
            old.revoked_at = now
            session.add(old)
        links.add(
            HolderLinkRow(
                record_id=stored.record_id,
                token_hash=_hash(token),
                created_by=f"{principal.role}:{principal.token_id} {principal.name}"[:160],
                created_at=now,
            )
        )
    return HolderLink(stored.record_id, f"{registry.settings.base_url}/holder/{token}", now)


def revoke_links(registry: Registry, principal: Principal, record: str, *, now: datetime) -> int:
    """Revoke every working access link of a record; returns how many were revoked."""
    stored = record_for(registry, principal, record)
    with registry.transaction() as session:
        active = HolderLinkRepository(session).active_of_record(stored.record_id)
        for link in active:
            link.revoked_at = now
            session.add(link)
        return len(active)


def _entry_json(entry: AccessEntry) -> dict[str, Any]:
    return {
        "at": format_instant(entry.at),
        "client": {"name": entry.client_name, "role": entry.client_role},
        "region": labelled("divisions", entry.region) if entry.region else None,
        "action": entry.action,
        "purpose": entry.purpose,
        "outcome": entry.outcome,
    }


def holder_view(registry: Registry, token: str, *, now: datetime) -> dict[str, Any]:
    """What the holder's link shows at ``now``: the record's public facts, its status (an
    active record past its validity reads as lapsed, as every scan says), its e-licence
    identifier, its issuer, every logged check (who, when, why, answer) and, once too many
    failed matches paused matching of the record, when that happened and until when
    (``matchLimit``); never an ID or passport number."""
    if not token.startswith(LINK_PREFIX) or len(token) > 128:
        raise _unknown_link()
    with registry.reading() as session:
        link = HolderLinkRepository(session).by_token_hash(_hash(token))
        if link is None or link.revoked_at is not None:
            raise _unknown_link()
        row = CredentialRepository(session).get(link.record_id)
        if row is None:
            raise _unknown_link()
        issuer = IssuerRepository(session).by_id(row.issuer_id)
        accesses = access_entries(session, row.id)
        match_limit = match_limit_view(session, row.id, now)
    subject = row.document.get("credentialSubject", {})
    facts = facts_from_credential(
        row.document, mask_name(str(subject.get("name", ""))), as_utc(row.issued_at)
    )
    return {
        "record": public_record(facts),
        "status": current_state(
            row.status, as_utc(row.valid_from) or row.valid_from, as_utc(row.valid_until), now
        ),
        "electronicLicenceId": row.electronic_licence_id,
        "issuer": {"uscc": issuer.uscc, "name": {"zh": issuer.name_zh, "en": issuer.name_en}}
        if issuer
        else None,
        "accesses": [_entry_json(entry) for entry in accesses],
        "matchLimit": match_limit,
    }


def linked_record(registry: Registry, token: str) -> str:
    """The id of the record a working holder link names, or ``HOLDER_LINK_UNKNOWN`` (an
    unknown and a revoked link answer alike)."""
    if not token.startswith(LINK_PREFIX) or len(token) > 128:
        raise _unknown_link()
    with registry.reading() as session:
        link = HolderLinkRepository(session).by_token_hash(_hash(token))
        if link is None or link.revoked_at is not None:
            raise _unknown_link()
        return link.record_id


__all__ = [
    "LINK_PREFIX",
    "HolderLink",
    "create_link",
    "holder_view",
    "linked_record",
    "revoke_links",
]

"""The history of authority changes: who changed an issuer, scope, key, region, agreement
or equivalence, when, and what; and the digest a key event commits to in the transparency
log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from registry.core.formats.multikey import public_key_from_multikey
from registry.core.trustlists.trustlist import root_fingerprint
from registry.services.access.tokens import Principal
from registry.services.runtime.context import Registry
from registry.storage.authority import AuthorityChangeRepository
from registry.storage.repositories import as_utc
from registry.storage.tables import AuthorityChangeRow

CLI_ACTOR = "cli"


def actor_of(principal: Principal) -> str:
    """How the history names whoever made a change through the API."""
    return f"token:{principal.token_id} {principal.name}".strip()[:160]


def record_change(
    session: Session,
    *,
    actor: str,
    subject: str,
    ref: str,
    action: str,
    at: datetime,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one entry to the authority history."""
    AuthorityChangeRepository(session).add(
        AuthorityChangeRow(
            at=at,
            actor=actor[:160],
            subject=subject,
            subject_ref=ref,
            action=action,
            detail=dict(detail or {}),
        )
    )


def key_digest(public_multikey: str) -> str:
    """The digest a key event's log leaf commits to: hex SHA-256 of the 32 raw bytes of
    the Ed25519 public key (the kid is its first 8 bytes)."""
    return root_fingerprint(public_key_from_multikey(public_multikey))


@dataclass(frozen=True)
class Change:
    """One recorded change: when, by whom, what."""

    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]


def history(registry: Registry, subject: str, ref: str) -> list[Change]:
    """The recorded changes to one issuer, scope, key, region, agreement or equivalence."""
    with registry.reading() as session:
        return [
            Change(as_utc(row.at) or row.at, row.actor, row.action, dict(row.detail))
            for row in AuthorityChangeRepository(session).about(subject, ref)
        ]

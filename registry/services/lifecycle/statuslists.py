"""Publishing issuers' status lists as signed BitstringStatusListCredentials.

Each issuer has a revocation list and a suspension list at stable URLs; a record's
``credentialStatus`` names the same index in both. Revoked, cancelled and superseded
records set the revocation bit (the W3C spec makes revocation final, and so are these
states); a suspended record sets the suspension bit until it is reinstated.

A list is rebuilt from the stored statuses whenever the issuer's latest status change (a
history row written in the same transaction as every change), its list length or its
key differ from what this process signed last, so a change shows in the very next fetch,
whichever worker made it; an unchanged list costs three index probes. The signing time is
the current minute (and Ed25519 is deterministic), so every worker serves the same bytes,
and the same ETag, for the same content within a minute.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from threading import Lock
from typing import Any

from sqlmodel import Session

from registry.core.errors import RegistryError, not_found
from registry.core.formats import dataintegrity
from registry.core.formats.canonical import canonical_json
from registry.core.formats.statuslist import StatusList, candidate_indices, list_entries
from registry.core.formats.timefmt import format_instant
from registry.core.lifecycle.status import PURPOSE_STATES
from registry.core.records.credential import VC_V2_CONTEXT
from registry.services.runtime.context import Registry
from registry.services.trust.directory import method_id
from registry.storage.lifecycle import (
    flagged_indices,
    highest_status_index,
    latest_change,
    taken_indices,
)
from registry.storage.repositories import IssuerRepository, SigningKeyRepository

PURPOSES = tuple(PURPOSE_STATES)
LIST_LIFETIME = timedelta(days=7)  # verifiers stop relying on a list older than this


def allocate_status_index(session: Session, issuer_id: int) -> int:
    """A random, never used status-list index for an issuer's new record.

    One query checks a handful of random candidates (``candidate_indices``); the unique
    constraint on ``(issuer_id, status_list_index)`` still settles a race between two
    writers, and issuance draws again when it fires.
    """
    candidates = candidate_indices(highest_status_index(session, issuer_id))
    taken = taken_indices(session, issuer_id, candidates)
    return next((index for index in candidates if index not in taken), candidates[-1])


def _unknown_purpose() -> RegistryError:
    return not_found(
        "STATUS_LIST_UNKNOWN",
        "没有该用途的状态列表（revocation 或 suspension）",
        "no status list for this purpose (revocation or suspension)",
    )


class StatusListPublisher:
    """Builds, signs and caches the status list credentials of every issuer."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._cache: dict[tuple[str, str], tuple[str, dict[str, Any], str]] = {}
        self._lock = Lock()

    def publish(self, uscc: str, purpose: str, now: datetime) -> tuple[dict[str, Any], str]:
        """The signed list credential and its (strong) ETag."""
        if purpose not in PURPOSE_STATES:
            raise _unknown_purpose()
        signed_at = now.replace(second=0, microsecond=0)
        with self.registry.reading() as session:
            issuer = IssuerRepository(session).by_uscc(uscc)
            if issuer is None or issuer.id is None:
                raise not_found("ISSUER_UNKNOWN", "签发机构未登记", "no such issuer")
            key_row = SigningKeyRepository(session).signing_key_of(issuer.id)
            if key_row is None:
                raise not_found(
                    "ISSUER_HAS_NO_KEY",
                    "签发机构没有可用的签名密钥",
                    "the issuer has no active signing key",
                )
            entries = list_entries(highest_status_index(session, issuer.id))
            # Every status change writes a history row in its own transaction, drawing
            # its id under the log's lock (``record_change``), so an issuer's ids grow in
            # commit order and the latest one marks the content; a write that bypassed
            # the lifecycle service shows once the minute turns, when the list is rebuilt.
            marker = repr((latest_change(session, issuer.id), entries, key_row.kid, signed_at))
            with self._lock:
                cached = self._cache.get((uscc, purpose))
            if cached is not None and cached[0] == marker:
                return cached[1], cached[2]
            flagged = flagged_indices(session, issuer.id)
        states = PURPOSE_STATES[purpose]
        indices = sorted(index for index, status in flagged if status in states)
        bits = StatusList(entries)
        for index in indices:
            bits.set(index, 1)
        url = self.registry.urls.status_list(uscc, purpose)
        unsigned = {
            "@context": [VC_V2_CONTEXT],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": self.registry.urls.issuer(uscc),
            "validFrom": format_instant(signed_at),
            "validUntil": format_instant(signed_at + LIST_LIFETIME),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": purpose,
                "encodedList": bits.encode(),
            },
        }
        options = dataintegrity.ProofOptions(
            method_id(self.registry.urls, uscc, key_row.kid), signed_at
        )
        signed = dataintegrity.add_proof(
            unsigned, self.registry.keystore.private_key(key_row), options
        )
        etag = hashlib.sha256(canonical_json(signed)).hexdigest()[:32]
        with self._lock:
            self._cache[(uscc, purpose)] = (marker, signed, etag)
        return signed, etag


__all__ = ["LIST_LIFETIME", "PURPOSES", "StatusListPublisher", "allocate_status_index"]

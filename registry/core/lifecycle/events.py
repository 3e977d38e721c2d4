"""Events of the transparency log: what happened to a record, an issuer or a key.

A leaf holds identifiers and digests only, never personal data: event type, time, record
id, issuer USCC, key id and the SHA-256 of the signed record's canonical JSON. Leaves are
encoded as RFC 8785 canonical JSON with a format version, so any party can recompute them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.core.formats.canonical import canonical_json
from registry.core.formats.timefmt import format_instant

LEAF_VERSION = 1
EVENT_KINDS = (
    "issued",
    "amended",
    "suspended",
    "reinstated",
    "revoked",
    "cancelled",
    "scope_granted",
    "scope_ended",
    "issuer_created",
    "key_created",
    "key_rotated",
    "key_retired",
    "key_compromised",
)


@dataclass(frozen=True)
class LogEvent:
    """One event to append to the transparency log."""

    kind: str
    at: datetime
    issuer_uscc: str
    record_id: str | None = None
    kid: str | None = None
    record_digest: str | None = None  # hex SHA-256 of the signed record, canonical JSON

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"unknown log event kind {self.kind!r}")

    def leaf(self) -> bytes:
        """The leaf's bytes (the RFC 9162 leaf hash is SHA-256 over 0x00 and these)."""
        body: dict[str, Any] = {
            "v": LEAF_VERSION,
            "event": self.kind,
            "at": format_instant(self.at),
            "issuer": self.issuer_uscc,
        }
        if self.record_id is not None:
            body["record"] = self.record_id
        if self.kid is not None:
            body["kid"] = self.kid
        if self.record_digest is not None:
            body["digest"] = self.record_digest
        return canonical_json(body)


def record_digest(document: Mapping[str, Any]) -> str:
    """Hex SHA-256 of a signed record's canonical JSON."""
    return hashlib.sha256(canonical_json(document)).hexdigest()


__all__ = ["EVENT_KINDS", "LEAF_VERSION", "LogEvent", "record_digest"]

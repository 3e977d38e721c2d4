"""Publishing issuers' status lists as signed BitstringStatusListCredentials.

A list is rebuilt from the live statuses on request and signed by the issuer's current key;
the signed document is cached while the set of flagged indices stays the same, so a status
change shows in the very next list fetched.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from threading import Lock
from typing import Any

from registry.core import dataintegrity
from registry.core.canonical import canonical_json
from registry.core.errors import not_found
from registry.core.records import VC_V2_CONTEXT
from registry.core.statuslist import StatusList
from registry.core.timefmt import format_instant
from registry.services.context import Registry
from registry.services.directory import method_id
from registry.storage.repositories import (
    IssuerRepository,
    SigningKeyRepository,
    indices_with_status,
)

PURPOSES = {"revocation": "revoked"}


class StatusListPublisher:
    """Builds, signs and caches the status list credentials of every issuer."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._cache: dict[tuple[str, str], tuple[str, dict[str, Any], str]] = {}
        self._lock = Lock()

    def publish(self, uscc: str, purpose: str, now: datetime) -> tuple[dict[str, Any], str]:
        """The signed list credential and its ETag."""
        status = PURPOSES.get(purpose)
        if status is None:
            raise not_found(
                "STATUS_LIST_UNKNOWN", "没有该用途的状态列表", "no status list for this purpose"
            )
        with self.registry.reading() as session:
            issuer = IssuerRepository(session).by_uscc(uscc)
            if issuer is None or issuer.id is None:
                raise not_found("ISSUER_UNKNOWN", "签发机构未登记", "no such issuer")
            flagged = indices_with_status(session, issuer.id, status)
            key_row = SigningKeyRepository(session).signing_key_of(issuer.id)
        fingerprint = hashlib.sha256(
            repr((flagged, key_row.kid if key_row else None)).encode()
        ).hexdigest()
        with self._lock:
            cached = self._cache.get((uscc, purpose))
        if cached is not None and cached[0] == fingerprint:
            return cached[1], cached[2]
        if key_row is None:
            raise not_found(
                "ISSUER_HAS_NO_KEY",
                "签发机构没有可用的签名密钥",
                "the issuer has no active signing key",
            )
        bits = StatusList()
        for index in flagged:
            bits.set(index, 1)
        url = self.registry.urls.status_list(uscc, purpose)
        unsigned = {
            "@context": [VC_V2_CONTEXT],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": self.registry.urls.issuer(uscc),
            "validFrom": format_instant(now),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": purpose,
                "encodedList": bits.encode(),
            },
        }
        options = dataintegrity.ProofOptions(method_id(self.registry.urls, uscc, key_row.kid), now)
        signed = dataintegrity.add_proof(
            unsigned, self.registry.keystore.private_key(key_row), options
        )
        etag = hashlib.sha256(canonical_json(signed)).hexdigest()[:32]
        with self._lock:
            self._cache[(uscc, purpose)] = (fingerprint, signed, etag)
        return signed, etag

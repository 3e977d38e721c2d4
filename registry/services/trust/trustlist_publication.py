"""Publishing this registry's trust list, signed by its root key.

The content (regions, issuers with scopes and keys, agreements, equivalences, root key) is
read from the store; its digest decides the sequence number: a new sequence only when the
content changed, so the document stays the same, and cacheable by ETag, between changes.
The same content is signed again with a fresh issue time once the served copy is an hour
old, keeping its sequence, so that verifiers always get a list well inside its 24 hours.
The signed document is stored, so every worker serves the same bytes.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from threading import Lock
from typing import Any

from registry.core.formats.canonical import canonical_json
from registry.core.formats.timefmt import parse_instant, utc
from registry.core.trustlists.trustlist import (
    RootKey,
    TrustListContent,
    root_fingerprint,
    root_method_id,
    sign_trust_list,
)
from registry.services.runtime.context import Registry
from registry.services.runtime.systemkeys import TRUST_ROOT, signing_key
from registry.services.trust.directory import Directory
from registry.storage.repositories import IntegrityError, IssuerRepository, SigningKeyRepository
from registry.storage.tables import TrustListPublicationRow
from registry.storage.trust_lists import TrustListPublicationRepository

REISSUE_AFTER = timedelta(hours=1)  # re-sign unchanged content once the copy is this old
CACHE_SECONDS = 30.0  # how long a worker serves its copy before looking at the store again


@dataclass(frozen=True)
class PublishedTrustList:
    """The signed document as served, with its ETag and sequence number."""

    document: dict[str, Any]
    etag: str
    sequence: int


def _published(document: dict[str, Any], sequence: int) -> PublishedTrustList:
    etag = hashlib.sha256(canonical_json(document)).hexdigest()[:32]
    return PublishedTrustList(document, etag, sequence)


def root_key_fingerprint(registry: Registry, now: datetime) -> tuple[str, str]:
    """The root key's id and fingerprint (the key is created on first use)."""
    with registry.transaction() as session:
        key, _ = signing_key(session, registry.keystore, TRUST_ROOT, now)
    return key.kid, root_fingerprint(key.public_key)


class TrustListPublisher:
    """Builds, signs, stores and caches this registry's trust list."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._lock = Lock()
        self._cached: tuple[float, PublishedTrustList] | None = None

    def current(self, now: datetime) -> PublishedTrustList:
        """The list to serve now (from the worker's cache for up to 30 seconds)."""
        with self._lock:
            cached = self._cached
        if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        published = self.publish(now)
        with self._lock:
            self._cached = (time.monotonic(), published)
        return published

    def publish(self, now: datetime) -> PublishedTrustList:
        """Read the content, and store a new sequence or a fresh signature when due."""
        now = utc(now).replace(microsecond=0)
        with self.registry.transaction() as session:
            key, private_key = signing_key(session, self.registry.keystore, TRUST_ROOT, now)
        root = RootKey(root_method_id(self.registry.urls.base, key.kid), key.public_key)
        content = self._content(root)
        digest = content.digest
        try:
            with self.registry.transaction() as session:
                repository = TrustListPublicationRepository(session)
                latest = repository.latest()
                if latest is not None and latest.content_digest == digest:
                    if now - utc(latest.issued_at) < REISSUE_AFTER:
                        return _published(latest.document, latest.sequence)
                    document = sign_trust_list(
                        content, sequence=latest.sequence, issued=now, private_key=private_key
                    )
                    latest.document = document
                    latest.issued_at = now
                    latest.expires_at = _expiry(document)
                    session.add(latest)
                    return _published(document, latest.sequence)
                sequence = latest.sequence + 1 if latest is not None else 1
                document = sign_trust_list(
                    content, sequence=sequence, issued=now, private_key=private_key
                )
                repository.add(
                    TrustListPublicationRow(
                        sequence=sequence,
                        content_digest=digest,
                        root_kid=key.kid,
                        issued_at=now,
                        expires_at=_expiry(document),
                        document=document,
                    )
                )
                return _published(document, sequence)
        except IntegrityError:
            # Another worker stored the same sequence first: serve what it stored.
            with self.registry.reading() as session:
                stored = TrustListPublicationRepository(session).latest()
            assert stored is not None
            return _published(stored.document, stored.sequence)

    def _content(self, root: RootKey) -> TrustListContent:
        directory = Directory(self.registry)
        directory.refresh()
        with self.registry.reading() as session:
            usccs = [row.uscc for row in IssuerRepository(session).all()]
            kids = [row.kid for row in SigningKeyRepository(session).all()]
        issuers = tuple(info for uscc in usccs if (info := directory.issuer(uscc)))
        keys = tuple(key for kid in kids if (key := directory.key_by_kid(bytes.fromhex(kid))))
        regions = directory.regions()
        codes = [region.code for region in regions]
        equivalences = tuple(
            entry
            for source in codes
            for target in codes
            for entry in directory.equivalences(source, target)
        )
        return TrustListContent(
            base_url=self.registry.urls.base,
            root=root,
            regions=regions,
            issuers=issuers,
            keys=keys,
            agreements=directory.agreements(),
            equivalences=equivalences,
        )


def _expiry(document: dict[str, Any]) -> datetime:
    return parse_instant(document["expires"], "expires")


__all__ = ["PublishedTrustList", "TrustListPublisher", "root_key_fingerprint"]

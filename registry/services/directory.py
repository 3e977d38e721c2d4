"""The registry's own database as a trust and status source for verification.

Issuers and keys are few and change rarely, so they are cached in memory and re-read on
a miss; the status of a record is read live on every check.
"""

from __future__ import annotations

import time
from threading import Lock

from registry.core.records import RegistryUrls
from registry.core.trust import IssuerInfo, KeyInfo
from registry.services.context import Registry
from registry.services.keystore import public_key_of
from registry.storage.repositories import (
    IssuerRepository,
    SigningKeyRepository,
    as_utc,
    record_status,
)
from registry.storage.tables import IssuerRow, SigningKeyRow

BUREAU = "hr_bureau"
MAX_AGE = 30.0  # seconds: how long a change made by another worker may go unseen


def issuer_info(row: IssuerRow, urls: RegistryUrls) -> IssuerInfo:
    """The verifier's view of an issuer row."""
    return IssuerInfo(
        uscc=row.uscc,
        issuer_id=urls.issuer(row.uscc),
        name_zh=row.name_zh,
        name_en=row.name_en,
        region=row.region_code,
        kind=row.kind,
        record_types=frozenset(row.record_types),
    )


def method_id(urls: RegistryUrls, uscc: str, kid: str) -> str:
    """The verification method id of an issuer key: issuer id, ``#``, key id."""
    return f"{urls.issuer(uscc)}#{kid}"


class Directory:
    """Implements ``TrustSource`` and ``StatusSource`` over the registry's store."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._lock = Lock()
        self._issuers: dict[str, IssuerInfo] = {}
        self._keys: dict[str, KeyInfo] = {}
        self._bureaus: dict[str, tuple[IssuerInfo, ...]] = {}
        self._loaded_at: float | None = None

    def refresh(self) -> None:
        """Re-read issuers and keys (after one was added or changed)."""
        urls = self.registry.urls
        with self.registry.reading() as session:
            issuers = IssuerRepository(session).all()
            by_id = {row.id: row for row in issuers}
            keys = SigningKeyRepository(session).all()
        issuer_map = {row.uscc: issuer_info(row, urls) for row in issuers}
        key_map = {}
        for key_row in keys:
            owner = by_id[key_row.issuer_id]
            key_map[key_row.kid] = self._key_info(key_row, owner.uscc)
        bureaus: dict[str, list[IssuerInfo]] = {}
        for info in issuer_map.values():
            if info.kind == BUREAU:
                bureaus.setdefault(info.region, []).append(info)
        with self._lock:
            self._loaded_at = time.monotonic()
            self._issuers = issuer_map
            self._keys = key_map
            self._bureaus = {region: tuple(found) for region, found in bureaus.items()}

    def _key_info(self, row: SigningKeyRow, uscc: str) -> KeyInfo:
        return KeyInfo(
            kid=bytes.fromhex(row.kid),
            method_id=method_id(self.registry.urls, uscc, row.kid),
            issuer_uscc=uscc,
            public_key=public_key_of(row),
            valid_from=as_utc(row.valid_from) or row.valid_from,
            valid_until=as_utc(row.valid_until),
            state=row.state,
            compromised_at=as_utc(row.compromised_at),
        )

    def _stale(self) -> bool:
        """Never loaded, or loaded so long ago that another worker may have changed a key."""
        return self._loaded_at is None or time.monotonic() - self._loaded_at > MAX_AGE

    def _exists(self, *, issuer_uscc: str | None = None, kid: str | None = None) -> bool:
        """One indexed lookup, so that unknown names never cost a full reload."""
        if self._stale():
            return True
        with self.registry.reading() as session:
            if issuer_uscc is not None:
                return IssuerRepository(session).by_uscc(issuer_uscc) is not None
            return kid is not None and SigningKeyRepository(session).by_kid(kid) is not None

    def issuer(self, uscc: str) -> IssuerInfo | None:
        """The issuer with this USCC, re-reading the store once on a miss."""
        if self._stale():
            self.refresh()
        found = self._issuers.get(uscc)
        if found is None and self._exists(issuer_uscc=uscc):
            self.refresh()
            found = self._issuers.get(uscc)
        return found

    def key_by_kid(self, kid: bytes) -> KeyInfo | None:
        """The key with this COSE key id."""
        hex_kid = kid.hex()
        if self._stale():
            self.refresh()
        found = self._keys.get(hex_kid)
        if found is None and self._exists(kid=hex_kid):
            self.refresh()
            found = self._keys.get(hex_kid)
        return found

    def key_by_method(self, method: str) -> KeyInfo | None:
        """The key a proof names; the method id must be exactly the registry's."""
        _, _, fragment = method.partition("#")
        if len(fragment) != 16:
            return None
        try:
            key = self.key_by_kid(bytes.fromhex(fragment))
        except ValueError:
            return None
        if key is None or key.method_id != method:
            return None
        return key

    def bureaus_of(self, region: str) -> tuple[IssuerInfo, ...]:
        """The HR bureaus of a region."""
        if self._stale():
            self.refresh()
        return self._bureaus.get(region, ())

    def in_namespace(self, issuer_id: str) -> bool:
        """Issuer ids under this registry's base URL are claims to be one of ours."""
        return issuer_id.startswith(self.registry.urls.issuer(""))

    def status_of(self, record_id: str) -> str | None:
        """The live status; ``None`` when this registry does not hold the record."""
        return record_status(self.registry.engine, record_id)

"""The registry's own database as a trust and status source for verification.

Issuers, scopes, keys and agreements are few and change rarely, so they are cached in
memory and re-read on a miss; the status of a record is read live on every check.

How soon a change is seen: the worker that makes it refreshes at once (``refresh``).
Every other worker reads the number of the latest authority change at most once every
``VERSION_CHECK`` seconds (one indexed ``max(id)``) and reloads when it moved, so a key
compromise recorded anywhere is honoured everywhere within about a second. Whatever
bypasses the authority history is still picked up by the full reload every ``MAX_AGE``.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass
from threading import Lock

from registry.core.formats.qrcontainer import verify_url
from registry.core.records.credential import RecordFacts, RegistryUrls
from registry.core.trust.model import (
    Agreement,
    Equivalence,
    IssuerInfo,
    IssuerScope,
    KeyInfo,
    Presented,
    RecordStatus,
    RegionInfo,
)
from registry.core.verification.issued import is_issued
from registry.services.runtime.context import Registry
from registry.services.runtime.keystore import public_key_of
from registry.storage.authority import (
    AgreementRepository,
    EquivalenceRepository,
    ScopeRepository,
    latest_change,
)
from registry.storage.lifecycle import (
    StoredStatus,
    stored_document,
    stored_status,
    stored_statuses,
)
from registry.storage.repositories import (
    IssuerRepository,
    RegionRepository,
    SigningKeyRepository,
    as_utc,
)
from registry.storage.tables import (
    AgreementRow,
    EquivalenceRow,
    IssuerRow,
    IssuerScopeRow,
    SigningKeyRow,
)

BUREAU = "hr_bureau"
MAX_AGE = 30.0  # seconds: the longest a cached view is kept, whatever happens
VERSION_CHECK = 1.0  # seconds between two reads of the latest authority change
MAX_AMENDMENTS = 64  # the longest chain of versions followed to the current one


def issuer_info(
    row: IssuerRow, urls: RegistryUrls, scopes: tuple[IssuerScope, ...] = ()
) -> IssuerInfo:
    """The verifier's view of an issuer row (with its scopes, when given)."""
    return IssuerInfo(
        uscc=row.uscc,
        issuer_id=urls.issuer(row.uscc),
        name_zh=row.name_zh,
        name_en=row.name_en,
        region=row.region_code,
        kind=row.kind,
        record_types=frozenset(row.record_types),
        scopes=scopes,
        jurisdiction=tuple(row.jurisdiction or ()),
    )


def scope_info(row: IssuerScopeRow) -> IssuerScope:
    """The verifier's view of a scope row."""
    return IssuerScope(
        record_types=tuple(row.record_types),
        series=tuple(row.series),
        specialties=tuple(row.specialties),
        highest_level=row.highest_level,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        scope_id=row.id,
    )


def agreement_info(row: AgreementRow) -> Agreement:
    """The verifier's view of an agreement row."""
    return Agreement(
        agreement_id=row.agreement_id,
        name_zh=row.name_zh,
        name_en=row.name_en,
        parties=tuple(row.parties),
        record_types=tuple(row.record_types),
        series=tuple(row.series),
        levels=tuple(row.levels),
        effective_from=row.effective_from,
        effective_until=row.effective_until,
        legal_basis=row.legal_basis,
        legal_article=row.legal_article,
    )


def equivalence_info(row: EquivalenceRow) -> Equivalence:
    """The verifier's view of an equivalence row."""
    return Equivalence(
        from_region=row.from_region,
        to_region=row.to_region,
        kind=row.kind,
        source=row.source,
        target=row.target,
        label_zh=row.label_zh,
        label_en=row.label_en,
        agreement_id=row.agreement_id,
        demo=row.demo,
    )


def method_id(urls: RegistryUrls, uscc: str, kid: str) -> str:
    """The verification method id of an issuer key: issuer id, ``#``, key id."""
    return f"{urls.issuer(uscc)}#{kid}"


@dataclass(frozen=True)
class PrefetchedStatuses:
    """A status source answering some records from a snapshot read in bulk (a record
    the registry does not hold is ``None`` there too), any other from the directory."""

    known: dict[str, StoredStatus | None]
    directory: Directory

    def status_of(self, facts: RecordFacts, presented: Presented) -> RecordStatus | None:
        """The snapshot's answer for a prefetched record, else the directory's."""
        if facts.record_id not in self.known:
            return self.directory.status_of(facts, presented)
        found = self.known[facts.record_id]
        return self.directory.status_if_issued(found, facts, presented)


class Directory:
    """Implements ``TrustSource`` and ``StatusSource`` over the registry's store."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._lock = Lock()
        self._issuers: dict[str, IssuerInfo] = {}
        self._keys: dict[str, KeyInfo] = {}
        self._bureaus: dict[str, tuple[IssuerInfo, ...]] = {}
        self._regions: tuple[RegionInfo, ...] = ()
        self._agreements: tuple[Agreement, ...] = ()
        self._equivalences: dict[tuple[str, str], tuple[Equivalence, ...]] = {}
        self._loaded_at: float | None = None
        self._version = 0
        self._version_read_at = 0.0

    def refresh(self) -> None:
        """Re-read issuers, scopes, keys, regions and agreements (after a change)."""
        urls = self.registry.urls
        with self.registry.reading() as session:
            version = latest_change(session)
            issuers = IssuerRepository(session).all()
            by_id = {row.id: row for row in issuers}
            keys = SigningKeyRepository(session).all()
            scope_rows = ScopeRepository(session).all()
            regions = tuple(
                RegionInfo(row.code, row.name_zh, row.name_en)
                for row in RegionRepository(session).all()
            )
            agreements = tuple(agreement_info(row) for row in AgreementRepository(session).all())
            equivalence_rows = EquivalenceRepository(session).all()
        scopes: dict[int, list[IssuerScope]] = {}
        for scope_row in scope_rows:
            scopes.setdefault(scope_row.issuer_id, []).append(scope_info(scope_row))
        issuer_map = {
            row.uscc: issuer_info(row, urls, tuple(scopes.get(row.id or 0, ()))) for row in issuers
        }
        equivalences: dict[tuple[str, str], list[Equivalence]] = {}
        for equivalence_row in equivalence_rows:
            pair = (equivalence_row.from_region, equivalence_row.to_region)
            equivalences.setdefault(pair, []).append(equivalence_info(equivalence_row))
        key_map = {}
        for key_row in keys:
            owner = by_id[key_row.issuer_id]
            key_map[key_row.kid] = self._key_info(key_row, owner.uscc)
        bureaus: dict[str, list[IssuerInfo]] = {}
        for info in issuer_map.values():
            if info.kind == BUREAU:
                bureaus.setdefault(info.region, []).append(info)
        with self._lock:
            self._loaded_at = self._version_read_at = time.monotonic()
            self._version = version
            self._issuers = issuer_map
            self._keys = key_map
            self._bureaus = {region: tuple(found) for region, found in bureaus.items()}
            self._regions = regions
            self._agreements = agreements
            self._equivalences = {pair: tuple(found) for pair, found in equivalences.items()}

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
        """Never loaded, loaded over ``MAX_AGE`` ago, or the authority history has moved."""
        now = time.monotonic()
        if self._loaded_at is None or now - self._loaded_at > MAX_AGE:
            return True
        if now - self._version_read_at < VERSION_CHECK:
            return False
        self._version_read_at = now
        with self.registry.reading() as session:
            return latest_change(session) != self._version

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

    def regions(self) -> tuple[RegionInfo, ...]:
        """Every region, by code."""
        if self._stale():
            self.refresh()
        return self._regions

    def agreements(self) -> tuple[Agreement, ...]:
        """Every recognition agreement, in force or not."""
        if self._stale():
            self.refresh()
        return self._agreements

    def equivalences(self, from_region: str, to_region: str) -> tuple[Equivalence, ...]:
        """The equivalence entries from one region's vocabulary to another's."""
        if self._stale():
            self.refresh()
        return self._equivalences.get((from_region, to_region), ())

    def status_of(self, facts: RecordFacts, presented: Presented) -> RecordStatus | None:
        """The live status, read on every check; ``None`` when this registry did not issue
        the presented record (no record by that id, another issuer's, or not this
        signature: a forged copy)."""
        found = stored_status(self.registry.engine, facts.record_id)
        return self.status_if_issued(found, facts, presented)

    def status_if_issued(
        self, found: StoredStatus | None, facts: RecordFacts, presented: Presented
    ) -> RecordStatus | None:
        """The stored status, only when the stored record is the one presented."""
        if found is None:
            return None
        document = (
            stored_document(self.registry.engine, facts.record_id)
            if presented.source == "credential" and found.issuer_uscc == facts.issuer_uscc
            else None
        )
        if not is_issued(
            presented,
            stored_issuer=found.issuer_uscc,
            claimed_issuer=facts.issuer_uscc,
            stored_qr_payload=found.qr_payload,
            stored_document=document,
        ):
            return None
        return self._status(found)

    def statuses_of(self, record_ids: Collection[str]) -> PrefetchedStatuses:
        """The statuses of many records read at once (batch verification): a status
        source that answers those records from the snapshot and any other one live."""
        found = stored_statuses(self.registry.engine, record_ids)
        return PrefetchedStatuses(
            {record_id: found.get(record_id) for record_id in record_ids}, self
        )

    def _status(self, found: StoredStatus | None) -> RecordStatus | None:
        if found is None:
            return None
        successor, current = self._current_version(found.superseded_by)
        return RecordStatus(
            found.status,
            found.reason,
            successor,
            self.registry.urls.credential(successor) if successor else None,
            verify_url(self.registry.settings.base_url, current.qr_payload) if current else None,
        )

    def _current_version(self, successor: str | None) -> tuple[str | None, StoredStatus | None]:
        """The end of a chain of amendments (A -> B -> C gives C for A), followed for at
        most ``MAX_AMENDMENTS`` steps; a step whose record is missing ends the chain. With
        the id comes the current version's stored row, when it was read (for its QR link)."""
        for _ in range(MAX_AMENDMENTS):
            if successor is None:
                return None, None
            found = stored_status(self.registry.engine, successor)
            if found is None:
                return successor, None
            if found.superseded_by is None:
                return successor, found
            successor = found.superseded_by
        return successor, None

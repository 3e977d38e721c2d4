"""Verification use cases: QR text, credential documents and ID-number matching."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from registry.core.codes import code_list
from registry.core.errors import RegistryError, invalid, not_found
from registry.core.formats import jsonld, qrcontainer
from registry.core.formats.canonical import require_shallow
from registry.core.records import qrclaims
from registry.core.trust.model import StatusSource, TrustSource
from registry.core.trustlists.statussources import StatusChain, StatusListSource, verify_status_list
from registry.core.trustlists.trustsources import CompositeTrustSource, with_trust_list_check
from registry.core.verification.credential import own_context_of, verify_credential
from registry.core.verification.record import (
    Verification,
    VerifyRequest,
    verify_decoded_qr,
    verify_qr,
)
from registry.services.people.match_limits import count_failure, refuse_if_locked
from registry.services.people.personal_data import holder_matches, typed_number_digest
from registry.services.records.stored import resolve_record_id
from registry.services.runtime.context import Registry
from registry.services.trust.directory import Directory
from registry.services.trust.trustlist_imports import ImportedTrustLists
from registry.storage.repositories import CredentialRepository


def asking_region(region: str | None) -> str | None:
    """The asking region must be a division code from the code list (never echoed if not)."""
    if region is not None and region not in code_list("divisions"):
        raise invalid(
            "REGION_UNKNOWN",
            "查询地区不是已知的行政区划代码",
            "the asking region is not a known division code",
        )
    return region


class Verifier:
    """Verifies against the registry's own store, with its issuer and key caches, and
    against the trust lists of other registries imported here (``registry trust import``).
    """

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.directory = Directory(registry)
        self.imported = ImportedTrustLists(registry)
        self.statuses: StatusSource = self.directory

    def add_status_lists(self, documents: Sequence[object], now: datetime) -> None:
        """Answer status from these fetched status list credentials first (each checked
        against its issuer's key), then from the store."""
        trust = self._trust()
        lists = StatusListSource([verify_status_list(doc, trust, now) for doc in documents])
        self.statuses = StatusChain(lists, self.directory)

    def own_context(self) -> jsonld.OwnContext:
        """Which context URLs name this registry's own context (or an imported one's)."""
        return own_context_of(self._trust())

    def _trust(self) -> TrustSource:
        """The store alone, or the store first and then the imported lists."""
        lists = self.imported.sources()
        return CompositeTrustSource(self.directory, lists) if lists else self.directory

    @staticmethod
    def _rested_on(verification: Verification, trust: TrustSource, now: datetime) -> Verification:
        """Add the ``trust_list`` check when an imported list vouched for the issuer."""
        if not isinstance(trust, CompositeTrustSource) or verification.issuer is None:
            return verification
        trust_list = trust.trust_list_of(verification.issuer.uscc)
        return with_trust_list_check(verification, trust_list, now)

    def qr(self, text: str, *, now: datetime, region: str | None = None) -> Verification:
        """Verify a scanned QR URL, fragment or payload (a QR verifies only under a key of
        a known issuer, so there is no foreign QR to tell apart)."""
        request = VerifyRequest(now, asking_region(region))
        trust = self._trust()
        return self._rested_on(verify_qr(text, trust, self.statuses, request), trust, now)

    def decoded_qr(
        self,
        signed: qrclaims.SignedQr,
        *,
        now: datetime,
        region: str | None = None,
        statuses: StatusSource | None = None,
    ) -> Verification:
        """Verify a QR payload already decoded (batch verification decodes first, to read
        every status at once), against ``statuses`` or the verifier's own."""
        request = VerifyRequest(now, asking_region(region))
        trust = self._trust()
        verification = verify_decoded_qr(signed, trust, statuses or self.statuses, request)
        return self._rested_on(verification, trust, now)

    def credential(
        self,
        document: Any,
        *,
        now: datetime,
        region: str | None = None,
        known_issuers_only: bool = False,
    ) -> Verification:
        """Verify a credential document; with ``known_issuers_only`` (partners, pages) a
        credential whose issuer is known neither here nor in an imported trust list is
        never valid, where the VC-API only warns."""
        require_shallow(document)
        request = VerifyRequest(now, asking_region(region), known_issuers_only)
        trust = self._trust()
        verification = verify_credential(document, trust, self.statuses, request)
        return self._rested_on(verification, trust, now)

    def match(self, record: str, id_number: str, *, now: datetime) -> tuple[str, bool]:
        """Does this number belong to the record's holder? The record is named by its id,
        its e-licence identifier or a QR; the number is an ID number of any kind or the
        holder's passport number.

        Answers the record id and match or no match; the number itself is never kept. A
        record whose matching is paused (too many failed matches) is refused before any
        comparison (``MATCH_LOCKED``); a failed match is counted against the record.
        """
        digest = typed_number_digest(self.registry, id_number)
        if "#" in record or record.startswith(qrcontainer.PREFIX):
            try:
                record = qrclaims.decode_payload(record).facts.record_id
            except RegistryError:
                raise invalid("QR_INVALID", "二维码无法识别", "the QR could not be read") from None
        with self.registry.reading() as session:
            record_id = resolve_record_id(session, record)
            row = CredentialRepository(session).get(record_id)
            if row is None:
                raise not_found("RECORD_UNKNOWN", "记录不存在", "no such record")
            refuse_if_locked(session, record_id, now)
            matched = holder_matches(session, record_id, digest, row.id_number_digest)
        if not matched:
            count_failure(self.registry, record_id, now)
        return record_id, matched

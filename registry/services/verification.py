"""Verification use cases: QR text, credential documents and ID-number matching."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any

from registry.core import qrclaims, qrcontainer
from registry.core.canonical import require_shallow
from registry.core.codes import code_list
from registry.core.credential_verification import verify_credential
from registry.core.errors import RegistryError, invalid, not_found
from registry.core.identifiers import parse_resident_id
from registry.core.privacy import id_number_digest
from registry.core.verification import Verification, VerifyRequest, verify_qr
from registry.services.context import Registry
from registry.services.directory import Directory
from registry.services.records import parse_record_id
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
    """Verifies against the registry's own store, with its issuer and key caches."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.directory = Directory(registry)

    def qr(self, text: str, *, now: datetime, region: str | None = None) -> Verification:
        """Verify a scanned QR URL, fragment or payload."""
        request = VerifyRequest(now, asking_region(region))
        return verify_qr(text, self.directory, self.directory, request)

    def credential(
        self, document: Any, *, now: datetime, region: str | None = None
    ) -> Verification:
        """Verify a credential document."""
        require_shallow(document)
        request = VerifyRequest(now, asking_region(region))
        return verify_credential(document, self.directory, self.directory, request)

    def match(self, record: str, id_number: str) -> tuple[str, bool]:
        """Does this ID number belong to the record (its id, or a QR naming it)?

        Answers the record id and match or no match; the number itself is never kept.
        """
        resident_id = parse_resident_id(id_number)
        if "#" in record or record.startswith(qrcontainer.PREFIX):
            try:
                record = qrclaims.decode_payload(record).facts.record_id
            except RegistryError:
                raise invalid("QR_INVALID", "二维码无法识别", "the QR could not be read") from None
        record_id = parse_record_id(record)
        with self.registry.reading() as session:
            row = CredentialRepository(session).get(record_id)
        if row is None:
            raise not_found("RECORD_UNKNOWN", "记录不存在", "no such record")
        candidate = id_number_digest(self.registry.hash_key, resident_id.value)
        return record_id, hmac.compare_digest(candidate, row.id_number_digest)

"""Reading issued records back: the credential for its issuer, the QR for anyone it is
handed to (a QR holds only public facts)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from registry.core import qrcontainer
from registry.core.errors import forbidden, invalid, not_found
from registry.services.context import Registry
from registry.services.tokens import Principal, require_role
from registry.storage.repositories import CredentialRepository, IssuerRepository


@dataclass(frozen=True)
class StoredRecord:
    """A record as its issuer sees it."""

    record_id: str
    issuer_uscc: str
    credential: dict[str, Any]
    qr_payload: str
    qr_url: str
    status: str


def parse_record_id(value: str) -> str:
    """A record id (UUID); the GB/T 36904 alternative id comes in a later version."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise invalid("RECORD_ID_INVALID", "记录编号格式错误", "malformed record id") from None


def load_record(registry: Registry, record_id: str) -> StoredRecord:
    """A stored record by id, or ``RECORD_UNKNOWN``."""
    record_id = parse_record_id(record_id)
    with registry.reading() as session:
        row = CredentialRepository(session).get(record_id)
        if row is None:
            raise not_found("RECORD_UNKNOWN", "记录不存在", "no such record")
        issuer = IssuerRepository(session).by_id(row.issuer_id)
        uscc = issuer.uscc if issuer else ""
    url = qrcontainer.verify_url(registry.settings.base_url, row.qr_payload)
    return StoredRecord(row.id, uscc, row.document, row.qr_payload, url, row.status)


def record_for(registry: Registry, principal: Principal, record_id: str) -> StoredRecord:
    """The record, if the principal's issuer issued it (or the principal is an admin)."""
    require_role(principal, "issuer")
    record = load_record(registry, record_id)
    if principal.role != "admin" and principal.issuer_uscc != record.issuer_uscc:
        raise forbidden(
            "RECORD_NOT_YOURS",
            "只能查看本机构签发的记录",
            "only the issuing organisation may read this record",
        )
    return record

"""Reading issued records back: the credential for its issuer, the QR for anyone it is
handed to (a QR holds only public facts)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from registry.core.errors import RegistryError, forbidden, invalid, not_found
from registry.core.formats import qrcontainer
from registry.core.records import elicence
from registry.services.access.tokens import Principal, require_role
from registry.services.runtime.context import Registry
from registry.storage.personal import record_id_by_elicence_id
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
    electronic_licence_id: str | None = None


def parse_record_id(value: str) -> str:
    """A record id (UUID) or a national e-licence identifier (GB/T 36904), normalised.

    Either names a record; ``resolve_record_id`` turns the second into the first. A
    malformed e-licence identifier is refused with ``ELICENCE_ID_INVALID`` (its check
    character catches a mistyped character).
    """
    text = value.strip()
    if elicence.looks_like_elicence_id(text):
        return str(elicence.parse(text))
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise invalid(
            "RECORD_ID_INVALID",
            "记录编号格式错误（应为记录编号或电子证照标识）",
            "malformed record id (a record id or an e-licence identifier)",
        ) from None


def resolve_record_id(session: Session, value: str) -> str:
    """The record id named by a record id or an e-licence identifier, or ``RECORD_UNKNOWN``.

    For every command and endpoint that takes a record: accept both forms through here.
    """
    parsed = parse_record_id(value)
    if elicence.looks_like_elicence_id(parsed):
        found = record_id_by_elicence_id(session, parsed)
        if found is None:
            raise _unknown()
        return found
    return parsed


def _unknown() -> RegistryError:
    return not_found("RECORD_UNKNOWN", "记录不存在", "no such record")


def load_record(registry: Registry, record_id: str) -> StoredRecord:
    """A stored record by record id or e-licence identifier, or ``RECORD_UNKNOWN``."""
    with registry.reading() as session:
        row = CredentialRepository(session).get(resolve_record_id(session, record_id))
        if row is None:
            raise _unknown()
        issuer = IssuerRepository(session).by_id(row.issuer_id)
        uscc = issuer.uscc if issuer else ""
    url = (
        qrcontainer.verify_url(registry.settings.base_url, row.qr_payload) if row.qr_payload else ""
    )
    return StoredRecord(
        row.id, uscc, row.document, row.qr_payload, url, row.status, row.electronic_licence_id
    )


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


def qr_record_for(registry: Registry, principal: Principal, record_id: str) -> StoredRecord:
    """``record_for`` a record that has a QR: a generic VC-API credential has none
    (``QR_NOT_AVAILABLE``, 404), never an empty payload."""
    record = record_for(registry, principal, record_id)
    if not record.qr_payload:
        raise not_found(
            "QR_NOT_AVAILABLE",
            "该凭证是通用 VC-API 凭证，没有二维码",
            "this is a generic VC-API credential: it has no QR code",
        )
    return record

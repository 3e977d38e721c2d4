"""Finding an issuer's records for the clerks' console: by the holder's name, a
certificate number, the record id or e-licence identifier, or an ID number typed by the
clerk (matched by keyed digest: ID numbers are never listed, stored in clear or echoed).

An issuer's token finds only its own organisation's records; an admin's finds any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.core.errors import ErrorKind, RegistryError, invalid_field, require_texts
from registry.core.recordtypes import RECORD_TYPES
from registry.services.access.tokens import Principal, require_role
from registry.services.people.personal_data import typed_number_digest
from registry.services.records.stored import resolve_record_id
from registry.services.runtime.context import Registry
from registry.storage.record_search import records_containing, records_of_holder
from registry.storage.repositories import CredentialRepository, IssuerRepository, as_utc
from registry.storage.tables import CredentialRow

SEARCH_KINDS = ("name", "certificate", "id", "idNumber")
SEARCH_TEXT_MAX = 128
MAX_FOUND = 50
_CANDIDATES = 400  # rows the coarse document filter may hand back for narrowing


@dataclass(frozen=True)
class FoundRecord:
    """One record found: what a result list shows (never an ID number)."""

    record_id: str
    record_type: str
    holder_name: str
    certificate_numbers: tuple[str, ...]
    electronic_licence_id: str | None
    status: str
    issued_at: datetime


def certificate_numbers(subject: Mapping[str, Any]) -> tuple[str, ...]:
    """Every ``certificateNumber`` in a credential subject's blocks."""
    found: list[str] = []
    for value in subject.values():
        if isinstance(value, Mapping):
            number = value.get("certificateNumber")
            if isinstance(number, str) and number:
                found.append(number)
    return tuple(found)


def _found(row: CredentialRow) -> FoundRecord:
    subject = row.document.get("credentialSubject") or {}
    name = subject.get("name") if isinstance(subject, Mapping) else None
    return FoundRecord(
        row.id,
        row.record_type,
        name if isinstance(name, str) else "",
        certificate_numbers(subject) if isinstance(subject, Mapping) else (),
        row.electronic_licence_id,
        row.status,
        as_utc(row.issued_at) or row.issued_at,
    )


def _narrowed(rows: Sequence[CredentialRow], kind: str, text: str) -> list[FoundRecord]:
    wanted = text.casefold()
    found: list[FoundRecord] = []
    for row in rows:
        record = _found(row)
        if kind == "name":
            hit = wanted in record.holder_name.casefold()
        else:
            hit = any(wanted in number.casefold() for number in record.certificate_numbers)
        if hit and row.record_type in RECORD_TYPES:
            found.append(record)
    return found[:MAX_FOUND]


def find_records(
    registry: Registry, principal: Principal, kind: str, text: str
) -> list[FoundRecord]:
    """The principal's records matching ``text`` as ``kind`` (one of ``SEARCH_KINDS``),
    newest first, at most ``MAX_FOUND``. ``idNumber`` is matched by keyed digest; a
    malformed number is refused (``ID_NUMBER_INVALID``) without being echoed."""
    require_role(principal, "issuer")
    if kind not in SEARCH_KINDS:
        raise invalid_field(
            "/kind",
            "SEARCH_KIND_UNKNOWN",
            "查找方式必须是姓名、证书编号、记录编号/电子证照标识或证件号码",
            "search by name, certificate number, record id / e-licence id or ID number",
        )
    text = text.strip()
    if not text:
        raise invalid_field(
            "/text", "SEARCH_TEXT_REQUIRED", "请输入要查找的内容", "type what to look for"
        )
    require_texts(("/text", text, SEARCH_TEXT_MAX))
    digest = typed_number_digest(registry, text) if kind == "idNumber" else None
    with registry.reading() as session:
        issuer_id: int | None = None
        if principal.role != "admin":
            issuer = IssuerRepository(session).by_uscc(principal.issuer_uscc or "")
            if issuer is None or issuer.id is None:
                return []
            issuer_id = issuer.id
        if digest is not None:
            rows = records_of_holder(session, digest, issuer_id, MAX_FOUND)
            return [_found(row) for row in rows]
        if kind == "id":
            try:
                row = CredentialRepository(session).get(resolve_record_id(session, text))
            except RegistryError as error:
                if error.kind is not ErrorKind.NOT_FOUND:
                    raise
                return []
            if row is None or (issuer_id is not None and row.issuer_id != issuer_id):
                return []
            return [_found(row)]
        return _narrowed(records_containing(session, text, issuer_id, _CANDIDATES), kind, text)


__all__ = ["MAX_FOUND", "SEARCH_KINDS", "FoundRecord", "certificate_numbers", "find_records"]

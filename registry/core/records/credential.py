"""Records: the credential the registry signs, and the public facts a QR carries.

``RecordFacts`` is the allow-listed view of a record (DOMAIN.md's Q/P fields): it is the
only thing a QR payload or the public page is ever built from, so a field that is not in it
cannot leak there. Its ``details`` are the record type's public facts, built by the type's
spec (``registry.core.recordtypes``) from the public fields of its block only.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.core.errors import invalid
from registry.core.formats.timefmt import format_instant, parse_instant
from registry.core.recordtypes import RECORD_TYPES, RecordDetails, public_details, spec_of
from registry.core.recordtypes.base import SCHEMA_VERSION
from registry.core.recordtypes.title import (
    JOINT_TITLE,
    TITLE,
    TitleFacts,
    check_title_consistency,
)

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
TITLE_TYPES = (TITLE, JOINT_TITLE)
STATUS_PURPOSES = ("revocation", "suspension")


@dataclass(frozen=True)
class RegistryUrls:
    """Where the registry publishes things; every identifier it mints starts with ``base``."""

    base: str

    @property
    def context(self) -> str:
        """The project's JSON-LD context."""
        return f"{self.base}/contexts/v1"

    def issuer(self, uscc: str) -> str:
        """An issuer's id, which resolves to its controller document."""
        return f"{self.base}/issuers/{uscc}"

    def credential(self, record_id: str) -> str:
        """A record's credential id; its last segment is the record id."""
        return f"{self.base}/credentials/{record_id}"

    def schema(self, record_type: str) -> str:
        """The JSON Schema a record type's credentials follow."""
        return f"{self.base}/schemas/{record_type}/{SCHEMA_VERSION}.schema.json"

    def status_list(self, uscc: str, purpose: str = "revocation") -> str:
        """An issuer's status list credential for one purpose."""
        return f"{self.base}/status/{uscc}/{purpose}"

    def verify_page(self) -> str:
        """The public verify page; a QR URL is this plus ``#`` and the payload."""
        return f"{self.base}/v"


@dataclass(frozen=True)
class RecordFacts:
    """What the QR and the public page may show of a record, and nothing more."""

    record_id: str
    record_type: str
    issuer_uscc: str
    issued_at: datetime
    valid_from: datetime
    valid_until: datetime | None
    masked_name: str
    details: RecordDetails
    status_index: int | None = None

    @property
    def title(self) -> TitleFacts | None:
        """The title facts of a title record; ``None`` for every other type."""
        return self.details if isinstance(self.details, TitleFacts) else None


def new_record_id() -> str:
    """A fresh random record id (UUID 4, lower-case text)."""
    return str(uuid.uuid4())


def record_id_from_credential_id(credential_id: str) -> str:
    """The record id is the last path segment of the credential id."""
    candidate = credential_id.rstrip("/").rsplit("/", 1)[-1]
    try:
        return str(uuid.UUID(candidate))
    except ValueError:
        raise invalid(
            "CREDENTIAL_ID_INVALID",
            "凭证标识的末段不是有效的记录编号",
            "the last segment of the credential id is not a record id",
        ) from None


def record_type_of(document: Mapping[str, Any]) -> str | None:
    """The registry record type named in a credential's ``type``, if any."""
    types = document.get("type")
    if isinstance(types, str):
        types = [types]
    if not isinstance(types, list):
        return None
    for name in types:
        if isinstance(name, str) and name in RECORD_TYPES:
            return name
    return None


def status_entries(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The credential's status entries, whether ``credentialStatus`` is one or a list."""
    status = document.get("credentialStatus")
    if isinstance(status, Mapping):
        return [status]
    if isinstance(status, list):
        return [entry for entry in status if isinstance(entry, Mapping)]
    return []


def status_index_of(document: Mapping[str, Any]) -> int | None:
    """The status-list index of a credential (every entry the registry writes shares it)."""
    for entry in status_entries(document):
        index = str(entry.get("statusListIndex", ""))
        if index.isdigit():
            return int(index)
    return None


def issuer_uscc_from_id(issuer_id: str) -> str:
    """The USCC is the last segment of a registry issuer id."""
    return issuer_id.rstrip("/").rsplit("/", 1)[-1]


def issuer_id_of(document: Mapping[str, Any]) -> str | None:
    """The issuer id of a credential (``issuer`` may be a string or an object)."""
    issuer = document.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def facts_from_credential(
    document: Mapping[str, Any], masked_name: str, issued_at: datetime | None = None
) -> RecordFacts:
    """The public facts of a registry credential (already schema-checked).

    ``issued_at`` is the proof's creation time where known; else ``validFrom`` stands in.
    """
    record_type = record_type_of(document)
    if record_type is None:
        raise invalid(
            "RECORD_TYPE_UNKNOWN", "不是本登记系统的记录类型", "not a record type of this registry"
        )
    issuer_id = issuer_id_of(document) or ""
    subject = document["credentialSubject"]
    valid_until = document.get("validUntil")
    stated_from = document.get("validFrom")
    if stated_from is None and issued_at is None:
        raise invalid("VALID_FROM_MISSING", "缺少生效时间 validFrom", "validFrom is missing")
    valid_from = parse_instant(stated_from, "validFrom") if stated_from else issued_at
    assert valid_from is not None
    return RecordFacts(
        record_id=record_id_from_credential_id(str(document.get("id", ""))),
        record_type=record_type,
        issuer_uscc=issuer_uscc_from_id(issuer_id),
        issued_at=issued_at or valid_from,
        valid_from=valid_from,
        valid_until=parse_instant(valid_until, "validUntil") if valid_until else None,
        masked_name=masked_name,
        details=public_details(spec_of(record_type), subject),
        status_index=status_index_of(document),
    )


def build_credential(
    request: Mapping[str, Any],
    *,
    record_id: str,
    record_type: str,
    issuer_uscc: str,
    issuer_name: str,
    issued_at: datetime,
    masked_id_number: str,
    status_index: int,
    urls: RegistryUrls,
    supersedes: str | None = None,
    electronic_licence_id: str | None = None,
) -> dict[str, Any]:
    """The unsigned credential for an already validated issuance request.

    The ID number is replaced by its masked form; identifiers, schema and status entries
    are the registry's own, whatever the request said. ``supersedes`` is the credential id
    of the version an amendment replaces; ``electronic_licence_id`` the record's national
    e-licence identifier (GB/T 36904), when it has one.
    """
    subject = dict(request["credentialSubject"])
    if "idNumber" in subject:
        subject["idNumber"] = masked_id_number
    block = spec_of(record_type).subject_key
    subject[block] = dict(subject[block])
    valid_from = request.get("validFrom")
    credential: dict[str, Any] = {
        "@context": [VC_V2_CONTEXT, urls.context],
        "id": urls.credential(record_id),
        "type": ["VerifiableCredential", record_type],
        "issuer": {"id": urls.issuer(issuer_uscc), "name": issuer_name},
        "validFrom": format_instant(parse_instant(valid_from, "validFrom"))
        if valid_from
        else format_instant(issued_at),
        "credentialSchema": {"id": urls.schema(record_type), "type": "JsonSchema"},
        "credentialStatus": [
            {
                "id": f"{urls.status_list(issuer_uscc, purpose)}#{status_index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": str(status_index),
                "statusListCredential": urls.status_list(issuer_uscc, purpose),
            }
            for purpose in STATUS_PURPOSES
        ],
        "credentialSubject": subject,
    }
    if supersedes is not None:
        credential["supersedes"] = supersedes
    if electronic_licence_id is not None:
        credential["electronicLicenceId"] = electronic_licence_id
    if request.get("validUntil"):
        credential["validUntil"] = format_instant(
            parse_instant(request["validUntil"], "validUntil")
        )
    for optional in ("name", "description"):
        if optional in request:
            credential[optional] = request[optional]
    return credential


__all__ = [
    "JOINT_TITLE",
    "SCHEMA_VERSION",
    "STATUS_PURPOSES",
    "TITLE",
    "TITLE_TYPES",
    "VC_V2_CONTEXT",
    "RecordFacts",
    "RegistryUrls",
    "TitleFacts",
    "build_credential",
    "check_title_consistency",
    "facts_from_credential",
    "issuer_id_of",
    "issuer_uscc_from_id",
    "new_record_id",
    "record_id_from_credential_id",
    "record_type_of",
    "status_entries",
    "status_index_of",
]

"""Request bodies as the API takes them. Unknown fields are refused, not ignored."""

from __future__ import annotations

from typing import Any

import msgspec


class IssueOptions(msgspec.Struct, forbid_unknown_fields=True):
    """VC-API issue options; an idempotency key makes retries safe."""

    idempotencyKey: str | None = msgspec.field(default=None)  # noqa: N815


class IssueRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /credentials/issue``: a credential without proof, and options."""

    credential: dict[str, Any]
    options: IssueOptions = msgspec.field(default_factory=IssueOptions)


class VerifyCredentialRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /credentials/verify`` (VC-API)."""

    verifiableCredential: dict[str, Any]  # noqa: N815
    options: dict[str, Any] = msgspec.field(default_factory=dict)


class PartnerVerifyRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /api/v1/verify``: a QR text or a credential, the asking region and the purpose
    (用证事由) of the check."""

    purpose: str
    qr: str | None = None
    credential: dict[str, Any] | None = None
    region: str | None = None


class MatchRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /api/v1/verify/match``: does this ID number belong to the record?"""

    record: str
    idNumber: str  # noqa: N815


class ScanRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /api/v1/scan``: the public page posts the QR fragment it read."""

    payload: str


class Message(msgspec.Struct):
    """A message in Chinese and English."""

    zh: str
    en: str


class FieldError(msgspec.Struct):
    """One bad field of a request, named by its JSON pointer."""

    pointer: str
    code: str
    message: Message


class Problem(msgspec.Struct):
    """An error answer (RFC 9457 problem details) with a stable code."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    message: Message
    errors: list[FieldError] | None = None

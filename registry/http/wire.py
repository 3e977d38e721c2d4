"""Request bodies as the API takes them. Unknown fields are refused, not ignored."""

from __future__ import annotations

from typing import Any

import msgspec

from registry.http.wire_schemas import Credential, CredentialItem


class IssueOptions(msgspec.Struct, forbid_unknown_fields=True):
    """VC-API issue options; an idempotency key makes retries safe. ``credentialId``,
    ``credentialStatus`` (type and ``statusPurpose``) and ``cryptosuite`` shape a generic
    credential; ``mandatoryPointers`` is refused (no selective disclosure with eddsa)."""

    idempotencyKey: str | None = msgspec.field(default=None)  # noqa: N815
    credentialId: str | None = msgspec.field(default=None)  # noqa: N815
    mandatoryPointers: list[str] | None = msgspec.field(default=None)  # noqa: N815
    credentialStatus: dict[str, Any] | None = msgspec.field(default=None)  # noqa: N815
    cryptosuite: str | None = msgspec.field(default=None)


class IssueRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /credentials/issue``: a credential without proof, and options."""

    credential: Credential
    options: IssueOptions = msgspec.field(default_factory=IssueOptions)


class IssueBatchRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /credentials/issue/batch``: a review session's credentials (each as
    ``/credentials/issue`` takes one) under one session key."""

    sessionKey: str  # noqa: N815
    credentials: list[CredentialItem]


class VerifyCredentialRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /credentials/verify`` (VC-API)."""

    verifiableCredential: dict[str, Any]  # noqa: N815
    options: dict[str, Any] = msgspec.field(default_factory=dict)


class PresentationOptions(msgspec.Struct, forbid_unknown_fields=True):
    """The verifier's own challenge and domain, which the holder proof must repeat."""

    challenge: str | None = None
    domain: str | None = None


class VerifyPresentationRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /presentations/verify`` (VC-API)."""

    verifiablePresentation: dict[str, Any]  # noqa: N815
    options: PresentationOptions = msgspec.field(default_factory=PresentationOptions)


class PartnerVerifyRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /api/v1/verify``: a QR text or a credential, the asking region and the purpose
    (用证事由) of the check."""

    purpose: str
    qr: str | None = None
    credential: dict[str, Any] | None = None
    region: str | None = None


class MatchRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /api/v1/verify/match``: does this ID (or passport) number belong to the
    record's holder? A partner token must state the purpose (用证事由)."""

    record: str
    idNumber: str  # noqa: N815
    purpose: str | None = None


class ScanRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /api/v1/scan``: the public page posts the QR fragment it read and, when the
    employer has chosen one, the region (division code) where the record is to be used."""

    payload: str
    region: str | None = None


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


class StatusChangeRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /credentials/{id}/suspend|reinstate|revoke|cancel``: a reason code of the
    ``status-reasons`` list and an optional note (up to 500 characters)."""

    reason: str
    note: str | None = None


class AmendRequest(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /credentials/{id}/amend``: the corrected credential (as for issuing), an
    optional reason code and note, and options."""

    credential: Credential
    reason: str | None = None
    note: str | None = None
    options: IssueOptions = msgspec.field(default_factory=IssueOptions)

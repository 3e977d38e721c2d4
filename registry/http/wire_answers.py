"""The shapes of the main answers, for the OpenAPI document: an issued record and a
verification answer (built in ``services.records.answers``). Handlers build these bodies
as dictionaries; these types only describe them, so a client generator gets typed
answers. Fields an answer may grow later are left open (no ``forbid_unknown_fields``)."""

from __future__ import annotations

from typing import Any

import msgspec

from registry.http.wire import Message


class QrContent(msgspec.Struct):
    """A record's QR: the verify-page URL and the bare payload (``RC1:``...)."""

    url: str
    payload: str


class IssuedRecord(msgspec.Struct, rename="camel"):
    """``POST /credentials/issue`` and ``/amend``: the signed credential (ID number
    masked), the record's ids, its QR, and its transparency-log receipt (the ``issued``
    leaf's index, an inclusion proof and the signed tree head covering it). A generic
    VC-API credential has no e-licence id and no QR."""

    verifiable_credential: dict[str, Any]
    id: str
    electronic_licence_id: str | None = None
    qr: QrContent | None = None
    transparency: dict[str, Any] | None = None
    supersedes: str | None = None


class RecordAnswer(msgspec.Struct, rename="camel"):
    """A record read back by its issuer: the signed credential and its current status."""

    verifiable_credential: dict[str, Any]
    status: str
    id: str
    electronic_licence_id: str | None = None


class CheckResult(msgspec.Struct):
    """One check of a verification answer: its name, outcome (``passed``, ``failed``,
    ``warning``, ``unknown``), stable code and message; ``detail`` for some codes."""

    check: str
    outcome: str
    code: str
    message: Message
    detail: dict[str, Any] | None = None


class CheckProblem(msgspec.Struct):
    """VC 2.0 ProblemDetails of a check that failed or could not be made."""

    type: str
    code: str
    check: str
    title: str
    detail: str


class VerificationAnswer(msgspec.Struct, rename="camel"):
    """A verification answer (version 1): ``verified`` and every check; the record's
    public facts and its issuer only when the signature held; ``problemDetails`` when not
    verified. The partner API adds the asking region's recognition and partner facts."""

    version: str
    verified: bool
    source: str
    status: str | None
    checks: list[CheckResult]
    warnings: list[CheckResult]
    record: dict[str, Any] | None
    issuer: dict[str, Any] | None
    problem_details: list[CheckProblem] | None = None


class PresentationAnswer(msgspec.Struct, rename="camel"):
    """``POST /presentations/verify``: ``verified`` when every credential held verified
    (the holder proof already held, or none was needed); ``presentationResult`` names the
    holder and the proof's method, challenge and domain; ``credentialResults`` is one
    verification answer per credential, in order."""

    verified: bool
    presentation_result: dict[str, Any]
    credential_results: list[VerificationAnswer]


__all__ = [
    "CheckResult",
    "IssuedRecord",
    "PresentationAnswer",
    "QrContent",
    "RecordAnswer",
    "VerificationAnswer",
]

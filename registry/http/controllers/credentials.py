"""Issuers' endpoints: issue records (VC-API) and read back what they issued."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from registry.http.documentation import answered, documented
from registry.http.problems import error_item
from registry.http.security import issuer_guard, principal_of
from registry.http.wire import IssueBatchRequest, IssueRequest
from registry.http.wire_answers import IssuedRecord, RecordAnswer
from registry.render.qrimage import render_png, render_svg
from registry.services.issuance.generic import GenericOptions, issue_through_vc_api
from registry.services.issuance.review_sessions import (
    ISSUED,
    MAX_BATCH_ITEMS,
    REFUSED,
    REPLAYED,
    RowOutcome,
    issue_items,
)
from registry.services.records.stored import StoredRecord, qr_record_for, record_for
from registry.services.runtime.context import Registry
from registry.services.transparency.log import TransparencyLog

BATCH_MAX_BYTES = 8 * 1024 * 1024  # 1,000 credentials of the longest realistic records
REPLAYED_ANSWER = (
    "a retry with the same `options.idempotencyKey` and body: the record first issued "
    "(重复请求，返回首次签发的记录)"
)


ISSUE_CODES = {
    409: "IDEMPOTENCY_KEY_REUSED, ISSUE_CONFLICT, CREDENTIAL_ID_TAKEN (a generic credential "
    "with this id was already issued)",
    422: "CREDENTIAL_SCHEMA_INVALID, RECORD_TYPE_UNSUPPORTED, ID_NUMBER_INVALID, "
    "TITLE_NAME_MISMATCH and the other rules of our record types; for any credential: "
    "VC_V1_UNSUPPORTED (VC 1.1 input is refused, not upgraded), "
    "MANDATORY_POINTERS_UNSUPPORTED, STATUS_TYPE_UNSUPPORTED, STATUS_PURPOSE_UNSUPPORTED, "
    "CRYPTOSUITE_UNSUPPORTED; for a generic credential: DATA_MODEL_INVALID (errors[] names "
    "each failed data-model check: VC_TERM_UNDEFINED and the others of /credentials/verify), "
    "CONTEXT_INVALID, TYPE_INVALID, "
    "SUBJECT_INVALID, DATETIME_INVALID, ENTRY_TYPE_MISSING, LANGUAGE_VALUE_INVALID, "
    "ISSUER_OWNED_PROPERTY (proof or credentialStatus in the request), "
    "CREDENTIAL_ID_INVALID (not urn:uuid:<UUID> nor this registry's /credentials/<UUID>), "
    "CREDENTIAL_ID_CONFLICT; for our types: CREDENTIAL_ID_NOT_APPLICABLE, "
    "CRYPTOSUITE_NOT_APPLICABLE",
}
QR_404 = {404: "RECORD_UNKNOWN, QR_NOT_AVAILABLE (a generic VC-API credential has no QR)"}


class IssueController(Controller):
    """``/credentials/issue`` as the W3C VC-API names it."""

    path = "/credentials"
    tags = ["issuers"]  # noqa: RUF012

    @post(
        "/issue",
        guards=[issuer_guard],
        sync_to_thread=True,
        status_code=201,
        responses={
            **answered(201, IssuedRecord, "the record issued / 已签发"),
            **answered(200, IssuedRecord, REPLAYED_ANSWER),
            **documented(400, 401, 403, 409, 413, 422, 503, codes=ISSUE_CODES),
        },
    )
    def issue(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        data: JSONBody[IssueRequest],
    ) -> Response[dict[str, Any]]:
        """Sign and store a record for the token's issuer; 201 with the credential, its QR
        and ``transparency``: the record's leaf index in the log, a signed tree head
        covering it and the inclusion proof against that head.

        A retry with the same ``options.idempotencyKey`` and body answers 200 with the
        record first issued.
        """
        wanted = data.options
        issued = issue_through_vc_api(
            registry,
            principal_of(request),
            data.credential,
            now=datetime.now(UTC),
            options=GenericOptions(
                credential_id=wanted.credentialId,
                mandatory_pointers=wanted.mandatoryPointers,
                credential_status=wanted.credentialStatus,
                cryptosuite=wanted.cryptosuite,
                idempotency_key=wanted.idempotencyKey,
            ),
        )
        body: dict[str, Any] = {"verifiableCredential": issued.credential, "id": issued.record_id}
        if issued.qr_payload:  # a generic credential has neither QR nor e-licence id
            body["electronicLicenceId"] = issued.electronic_licence_id
            body["qr"] = {"url": issued.qr_url, "payload": issued.qr_payload}
        log: TransparencyLog = request.app.state.transparency
        receipt = log.receipt(issued.record_id, datetime.now(UTC))
        if receipt is not None:
            body["transparency"] = receipt
        return Response(body, status_code=200 if issued.replayed else 201)

    @post(
        "/issue/batch",
        guards=[issuer_guard],
        sync_to_thread=True,  # up to 1,000 issuances: keep the event loop free
        status_code=200,
        request_max_body_size=BATCH_MAX_BYTES,
        responses=documented(
            400,
            401,
            403,
            413,
            422,
            codes={
                413: f"BODY_TOO_LARGE; SESSION_TOO_LARGE (over {MAX_BATCH_ITEMS:,} credentials)",
                422: "SESSION_KEY_INVALID (批次键格式不对 / the session key's form is wrong)",
            },
        ),
    )
    def issue_batch(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        data: JSONBody[IssueBatchRequest],
    ) -> dict[str, Any]:
        """Issue a review session (评审批次): up to 1,000 credentials for the token's
        issuer, one answer per item in order (`index` from 0), each `issued`, `replayed`
        (issued by an earlier call with the same `sessionKey`: the record first issued) or
        `refused` with `error` (the status, code, message and field errors it would get
        alone). A refused item never fails the others; send the whole session again with
        the same `sessionKey` once the refused items are fixed. One signed `treeHead`
        covers every record issued, and each item carries its inclusion proof against it.
        """
        now = datetime.now(UTC)
        report = issue_items(
            registry,
            principal_of(request),
            data.credentials,
            session_key=data.sessionKey,
            now=now,
        )
        log: TransparencyLog = request.app.state.transparency
        stored = [row.record.record_id for row in report.outcomes if row.record is not None]
        head, proofs = log.receipts(stored, datetime.now(UTC))
        items = [_batch_item(row, proofs) for row in report.outcomes]
        body: dict[str, Any] = {
            "sessionKey": report.session_key,
            "issued": report.count(ISSUED),
            "replayed": report.count(REPLAYED),
            "refused": report.count(REFUSED),
            "items": items,
        }
        if head is not None:
            body["treeHead"] = head
        return body

    @get(
        "/{record_id:str}",
        guards=[issuer_guard],
        sync_to_thread=True,
        responses={
            **answered(200, RecordAnswer, "OK"),
            **documented(401, 403, 404, 422, parameters=True),
        },
    )
    def by_credential_id(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
    ) -> dict[str, Any]:
        """A credential's own id resolves here for its issuer (VC-API ``GET /credentials/{id}``)."""
        return _record_body(record_for(registry, principal_of(request), record_id))


def _batch_item(row: RowOutcome, proofs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    item: dict[str, Any] = {"index": row.number, "outcome": row.outcome}
    if row.record is not None:
        item.update(
            id=row.record.record_id,
            electronicLicenceId=row.record.electronic_licence_id,
            verifiableCredential=row.record.credential,
            qr={"url": row.record.qr_url, "payload": row.record.qr_payload},
        )
        if row.record.record_id in proofs:
            item["transparency"] = proofs[row.record.record_id]
    if row.error is not None:
        item["error"] = error_item(row.error)
    return item


def _record_body(record: StoredRecord) -> dict[str, Any]:
    return {
        "verifiableCredential": record.credential,
        "status": record.status,
        "id": record.record_id,
        "electronicLicenceId": record.electronic_licence_id,
    }


class RecordController(Controller):
    """``/api/v1/credentials/{id}``: a record and its QR, for the issuer that issued it."""

    path = "/api/v1/credentials/{record_id:str}"
    guards = [issuer_guard]  # noqa: RUF012
    tags = ["issuers"]  # noqa: RUF012

    @get(
        "",
        sync_to_thread=True,
        responses={
            **answered(200, RecordAnswer, "OK"),
            **documented(401, 403, 404, 422, parameters=True),
        },
    )
    def credential(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
    ) -> dict[str, Any]:
        """The signed credential and its current status."""
        return _record_body(record_for(registry, principal_of(request), record_id))

    @get(
        "/qr",
        sync_to_thread=True,
        responses=documented(401, 403, 404, 422, parameters=True, codes=QR_404),
    )
    def qr(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
    ) -> dict[str, str]:
        """The QR content: the verify-page URL and the bare payload."""
        record = qr_record_for(registry, principal_of(request), record_id)
        return {"url": record.qr_url, "payload": record.qr_payload}

    @get(
        "/qr.svg",
        sync_to_thread=True,
        media_type="image/svg+xml",
        responses=documented(401, 403, 404, 422, parameters=True, codes=QR_404),
    )
    def qr_svg(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
    ) -> bytes:
        """The QR code as SVG."""
        return render_svg(qr_record_for(registry, principal_of(request), record_id).qr_url)

    @get(
        "/qr.png",
        sync_to_thread=True,
        media_type="image/png",
        responses=documented(401, 403, 404, 422, parameters=True, codes=QR_404),
    )
    def qr_png(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
    ) -> bytes:
        """The QR code as PNG."""
        return render_png(qr_record_for(registry, principal_of(request), record_id).qr_url)

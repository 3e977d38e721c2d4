"""Issuers change what they issued: suspend, reinstate, revoke, cancel, amend; and read
a record's status history. Only the issuing organisation's tokens (or an admin, except for
amending, which signs) may."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from registry.http.documentation import answered, documented
from registry.http.security import issuer_guard, principal_of
from registry.http.wire import AmendRequest, StatusChangeRequest
from registry.http.wire_answers import IssuedRecord
from registry.services.issuance.issue import issue_record
from registry.services.lifecycle.changes import Amendment, change_json, change_status, history
from registry.services.runtime.context import Registry
from registry.services.transparency.log import TransparencyLog

CHANGE_CODES = {
    403: "ROLE_FORBIDDEN, RECORD_NOT_YOURS (another organisation issued the record)",
    404: "RECORD_UNKNOWN",
    409: "RECORD_ALREADY_SUSPENDED, RECORD_NOT_SUSPENDED (reinstating a record that is not "
    "suspended), RECORD_ALREADY_REVOKED, RECORD_ALREADY_CANCELLED, RECORD_ALREADY_SUPERSEDED "
    "(revoked, cancelled and superseded records never change again), "
    "STATUS_CHANGED_CONCURRENTLY; nothing is changed",
    422: "STATUS_REASON_REQUIRED, STATUS_REASON_UNKNOWN, STATUS_REASON_NOT_APPLICABLE (the "
    "reason is not meant for this action), STATUS_NOTE_REQUIRED (reason `other`), "
    "STATUS_NOTE_TOO_LONG, RECORD_ID_INVALID, ELICENCE_ID_INVALID (errors[].pointer names "
    "the field)",
}
AMEND_CODES = {
    **CHANGE_CODES,
    403: "ROLE_FORBIDDEN, TOKEN_NOT_ISSUER (an admin token cannot sign), RECORD_NOT_YOURS, "
    "ISSUER_OUT_OF_SCOPE, ISSUER_MISMATCH",
    409: "RECORD_SUSPENDED (reinstate it first), RECORD_ALREADY_REVOKED, "
    "RECORD_ALREADY_CANCELLED, RECORD_ALREADY_SUPERSEDED (amend the current version), "
    "STATUS_CHANGED_CONCURRENTLY, IDEMPOTENCY_KEY_REUSED, "
    "POSTDOC_STATE_FINAL (a record of leaving the station never returns to in station), "
    "ISSUE_CONFLICT; nothing is stored",
    422: "AMEND_TYPE_MISMATCH, AMEND_HOLDER_MISMATCH (same record type and holder required), "
    "STATUS_REASON_UNKNOWN, STATUS_REASON_NOT_APPLICABLE, CREDENTIAL_SCHEMA_INVALID, "
    "ID_NUMBER_INVALID and the other issuance codes (errors[].pointer names each bad field)",
}
_RESPONSES = documented(400, 401, 403, 404, 409, 413, 422, codes=CHANGE_CODES)


def _change(
    request: Request[Any, Any, Any],
    registry: Registry,
    record_id: str,
    action: str,
    data: StatusChangeRequest,
) -> dict[str, Any]:
    change = change_status(
        registry,
        principal_of(request),
        record_id,
        action,
        reason=data.reason,
        note=data.note,
        now=datetime.now(UTC),
    )
    return change_json(change)


class LifecycleController(Controller):
    """``/credentials/{id}/...``: status changes of a record by its issuer. The id may be
    the record id or its e-licence identifier. Each answers the change made: the new
    status, the reason with its labels, who and when."""

    path = "/credentials/{record_id:str}"
    guards = [issuer_guard]  # noqa: RUF012
    tags = ["issuers"]  # noqa: RUF012

    @post("/suspend", sync_to_thread=True, status_code=200, responses=_RESPONSES)
    def suspend(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
        data: JSONBody[StatusChangeRequest],
    ) -> dict[str, Any]:
        """Suspend (暂扣) an active record: it fails verification, and its bit is set in
        the issuer's suspension list, until it is reinstated."""
        return _change(request, registry, record_id, "suspend", data)

    @post("/reinstate", sync_to_thread=True, status_code=200, responses=_RESPONSES)
    def reinstate(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
        data: JSONBody[StatusChangeRequest],
    ) -> dict[str, Any]:
        """Reinstate a suspended record (a new history entry; the suspension stays on
        record)."""
        return _change(request, registry, record_id, "reinstate", data)

    @post("/revoke", sync_to_thread=True, status_code=200, responses=_RESPONSES)
    def revoke(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
        data: JSONBody[StatusChangeRequest],
    ) -> dict[str, Any]:
        """Revoke (撤销) an active or suspended record, for good: the revocation bit is set."""
        return _change(request, registry, record_id, "revoke", data)

    @post("/cancel", sync_to_thread=True, status_code=200, responses=_RESPONSES)
    def cancel(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
        data: JSONBody[StatusChangeRequest],
    ) -> dict[str, Any]:
        """Cancel (注销) an active or suspended record, for good (the holder's request, a
        death, a replacement certificate): the revocation bit is set."""
        return _change(request, registry, record_id, "cancel", data)

    @post(
        "/amend",
        sync_to_thread=True,
        status_code=201,
        responses={
            **answered(201, IssuedRecord, "the new version, as /credentials/issue answers"),
            **answered(200, IssuedRecord, "a retry with the same `options.idempotencyKey`"),
            **documented(400, 401, 403, 404, 409, 413, 422, 503, codes=AMEND_CODES),
        },
    )
    def amend(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
        data: JSONBody[AmendRequest],
    ) -> Response[dict[str, Any]]:
        """Issue a corrected version of the record: same type and holder, a new record id
        and status index, ``supersedes`` naming the old credential. The old record becomes
        superseded, and verifying it points to the new one (``supersededBy``), in the same
        transaction. 201 with the new version as ``/credentials/issue`` answers; a retry
        with the same ``options.idempotencyKey`` answers 200."""
        issued = issue_record(
            registry,
            principal_of(request),
            data.credential,
            now=datetime.now(UTC),
            idempotency_key=data.options.idempotencyKey,
            amends=Amendment(record_id, data.reason, data.note),
        )
        body = {
            "verifiableCredential": issued.credential,
            "id": issued.record_id,
            "electronicLicenceId": issued.electronic_licence_id,
            "qr": {"url": issued.qr_url, "payload": issued.qr_payload},
            "supersedes": issued.credential.get("supersedes"),
        }
        log: TransparencyLog = request.app.state.transparency
        receipt = log.receipt(issued.record_id, datetime.now(UTC))
        if receipt is not None:
            body["transparency"] = receipt
        return Response(body, status_code=200 if issued.replayed else 201)

    @get(
        "/history",
        sync_to_thread=True,
        responses=documented(401, 403, 404, 422, codes=CHANGE_CODES, parameters=True),
    )
    def history(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
    ) -> dict[str, Any]:
        """Every status change of the record, oldest first: action, from and to, reason,
        note, who (token) and when. Append-only."""
        found, changes = history(registry, principal_of(request), record_id)
        return {"id": found, "changes": [change_json(change) for change in changes]}

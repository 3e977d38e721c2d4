"""Changing a record's status: suspend, reinstate, revoke, cancel; and reading its history.

Only the issuing organisation (or an admin) may change a record. Each change is one
transaction: the conditional status update, a history row (who, when, from, to, why) and
a transparency-log event. Nothing is ever undone by deletion: a reinstatement is a new
history row. A refused change (409, 403, 422) writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from registry.core.errors import (
    RegistryError,
    conflict,
    forbidden,
    invalid,
    invalid_field,
    not_found,
)
from registry.core.formats.timefmt import format_instant
from registry.core.lifecycle.events import LogEvent, record_digest
from registry.core.lifecycle.status import ACTIONS, next_status, status_reason
from registry.services.access.tokens import Principal, require_role
from registry.services.records.answers import labelled
from registry.services.records.stored import resolve_record_id
from registry.services.runtime.context import Registry
from registry.services.transparency.events import append_event
from registry.storage.lifecycle import StatusChangeRepository, set_status
from registry.storage.repositories import CredentialRepository, IssuerRepository, as_utc
from registry.storage.tables import CredentialRow, IssuerRow, StatusChangeRow


@dataclass(frozen=True)
class StatusChange:
    """One recorded change of a record's status."""

    record_id: str
    action: str
    from_status: str
    to_status: str
    reason: str | None
    note: str | None
    actor: str
    at: datetime
    related_record_id: str | None = None


def actor_of(principal: Principal) -> str:
    """Who acted, as the history records it: role, token number and token name."""
    return f"{principal.role}:{principal.token_id} {principal.name}".strip()[:160]


def record_kid(document: Mapping[str, Any]) -> str | None:
    """The key id of the issuer's proof (the first proof) of a signed record."""
    proofs = document.get("proof")
    first = proofs[0] if isinstance(proofs, list) and proofs else proofs
    if not isinstance(first, Mapping):
        return None
    method = first.get("verificationMethod")
    if not isinstance(method, str) or "#" not in method:
        return None
    return method.rpartition("#")[2]


def owned_record(
    session: Session, principal: Principal, record: str
) -> tuple[CredentialRow, IssuerRow]:
    """The record and its issuer, if the principal's organisation issued it (or is admin).

    ``RECORD_UNKNOWN`` (404) or ``RECORD_NOT_YOURS`` (403) otherwise.
    """
    require_role(principal, "issuer")
    row = CredentialRepository(session).get(resolve_record_id(session, record))
    if row is None:
        raise not_found("RECORD_UNKNOWN", "记录不存在", "no such record")
    issuer = IssuerRepository(session).by_id(row.issuer_id)
    assert issuer is not None
    if principal.role != "admin" and principal.issuer_uscc != issuer.uscc:
        raise forbidden(
            "RECORD_NOT_YOURS",
            "只有签发机构可以变更该记录",
            "only the issuing organisation may change this record",
        )
    return row, issuer


def record_change(
    session: Session,
    row: CredentialRow,
    issuer: IssuerRow,
    change: StatusChange,
    principal: Principal,
    *,
    logged: Mapping[str, Any] | None = None,
) -> None:
    """Write the history row and the transparency-log event of a change already made.

    The event names the changed record; its digest is of ``logged`` (the new version, for
    an amendment) or else of the record itself.
    """
    document = row.document if logged is None else logged
    assert issuer.id is not None
    # The log event first: appending takes the log's lock (held until commit), so the
    # history row draws its id under that lock, and an issuer's change ids grow in commit
    # order. The status-list publisher keys its cache on the latest id; an id drawn
    # before the lock could commit after a higher one and never show in a cached list.
    append_event(
        session,
        LogEvent(
            ACTIONS[change.action][1],
            change.at,
            issuer.uscc,
            record_id=change.record_id,
            kid=record_kid(document),
            record_digest=record_digest(document),
        ),
    )
    StatusChangeRepository(session).add(
        StatusChangeRow(
            record_id=change.record_id,
            issuer_id=issuer.id,
            action=change.action,
            from_status=change.from_status,
            to_status=change.to_status,
            reason=change.reason,
            note=change.note,
            related_record_id=change.related_record_id,
            token_id=principal.token_id or None,
            actor=change.actor,
            at=change.at,
        )
    )


def change_status(
    registry: Registry,
    principal: Principal,
    record: str,
    action: str,
    *,
    reason: str | None,
    note: str | None = None,
    now: datetime,
) -> StatusChange:
    """Suspend, reinstate, revoke or cancel a record (``action``), with a reason code."""
    if action not in ("suspend", "reinstate", "revoke", "cancel"):
        raise invalid("STATUS_ACTION_UNKNOWN", "未知的状态操作", "unknown status action")
    with registry.transaction() as session:
        row, issuer = owned_record(session, principal, record)
        why = status_reason(action, reason, note)
        target = next_status(row.status, action)
        if not set_status(session, row.id, expected=row.status, status=target, reason=why.code):
            raise _raced()
        change = StatusChange(
            row.id, action, row.status, target, why.code, why.note, actor_of(principal), now
        )
        record_change(session, row, issuer, change, principal)
    return change


@dataclass(frozen=True)
class Amendment:
    """A request to issue a new version of ``record`` that supersedes it.

    Issuance (``issue_record(..., amends=...)``) calls ``open`` inside its transaction
    before it signs, and ``close`` once the new version is stored: the new version and the
    old one's status change commit together, or neither does.
    """

    record: str  # record id or e-licence identifier of the version being replaced
    reason: str | None = None
    note: str | None = None

    def open(
        self, session: Session, principal: Principal, record_type: str, holder_digest: str
    ) -> Predecessor:
        """Check the old version may be superseded by this request; 409/403/422 if not."""
        row, issuer = owned_record(session, principal, self.record)
        next_status(row.status, "amend")
        if row.record_type != record_type:
            raise invalid_field(
                "/credential/type",
                "AMEND_TYPE_MISMATCH",
                "修订版本的记录类型必须与原记录相同",
                "an amended version must be of the same record type",
            )
        if row.id_number_digest != holder_digest:
            raise invalid_field(
                "/credential/credentialSubject",
                "AMEND_HOLDER_MISMATCH",
                "修订版本的持证人（证件号码）必须与原记录相同",
                "an amended version must name the same holder (ID number)",
            )
        why = None
        if self.reason or self.note:  # optional, but a note needs a reason
            why = status_reason("amend", self.reason, self.note, "")
        credential_id = str(row.document.get("id") or "")
        if why is None:
            return Predecessor(row, issuer, credential_id, None, None)
        return Predecessor(row, issuer, credential_id, why.code, why.note)


@dataclass(frozen=True)
class Predecessor:
    """The version an amendment replaces, checked and ready to be marked superseded."""

    row: CredentialRow
    issuer: IssuerRow
    credential_id: str
    reason: str | None
    note: str | None

    def close(
        self,
        session: Session,
        principal: Principal,
        successor: str,
        signed: Mapping[str, Any],
        now: datetime,
    ) -> None:
        """Mark the old version superseded by ``successor``, with history and log event."""
        row = self.row
        if not set_status(
            session,
            row.id,
            expected=row.status,
            status="superseded",
            reason=self.reason,
            superseded_by=successor,
        ):
            raise _raced()
        change = StatusChange(
            row.id,
            "amend",
            row.status,
            "superseded",
            self.reason,
            self.note,
            actor_of(principal),
            now,
            successor,
        )
        record_change(session, row, self.issuer, change, principal, logged=signed)


def _raced() -> RegistryError:
    return conflict(
        "STATUS_CHANGED_CONCURRENTLY",
        "记录状态刚被另一请求变更，请刷新后重试",
        "the record's status was just changed by another request: reload and retry",
    )


def history(
    registry: Registry, principal: Principal, record: str
) -> tuple[str, list[StatusChange]]:
    """The record's id (``record`` may be its e-licence id) and every status change of it,
    oldest first (its issuer or an admin only)."""
    with registry.reading() as session:
        row, _ = owned_record(session, principal, record)
        rows = StatusChangeRepository(session).of_record(row.id)
    return row.id, [
        StatusChange(
            r.record_id,
            r.action,
            r.from_status,
            r.to_status,
            r.reason,
            r.note,
            r.actor,
            as_utc(r.at) or r.at,
            r.related_record_id,
        )
        for r in rows
    ]


def change_json(change: StatusChange) -> dict[str, Any]:
    """A change as the API and the CLI show it (reason with its labels)."""
    body: dict[str, Any] = {
        "id": change.record_id,
        "action": change.action,
        "from": change.from_status,
        "status": change.to_status,
        "reason": labelled("status-reasons", change.reason) if change.reason else None,
        "note": change.note,
        "actor": change.actor,
        "at": format_instant(change.at),
    }
    if change.related_record_id:
        body["relatedRecord"] = change.related_record_id
    return body


__all__ = [
    "Amendment",
    "Predecessor",
    "StatusChange",
    "actor_of",
    "change_json",
    "change_status",
    "history",
    "owned_record",
    "record_change",
]

"""The record access log (PIPL art. 23): every partner check of a record states its purpose
(用证事由) and is logged in the store with the client, the asking region, the answer and
the time; checks on the public page are logged too, as the public page. Holders read the
log of their own records through their access link (``services.people.holder``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from registry.core.errors import invalid, require_texts
from registry.core.people.privacy import redact_identifiers
from registry.services.access.tokens import Principal
from registry.services.runtime.context import Registry
from registry.storage.personal import RecordAccessRepository, log_access_committed
from registry.storage.repositories import as_utc

MAX_PURPOSE = 200
PUBLIC = "public"
VERIFY, MATCH = "verify", "match"
HOLDER_LOG_LIMIT = 500


@dataclass(frozen=True)
class Caller:
    """Who checks a record: a partner's (or an admin's) token, or the public page."""

    token_id: int | None
    role: str
    name: str
    region: str | None

    @classmethod
    def of(cls, principal: Principal | None) -> Caller:
        """The caller behind a principal; ``None`` is the anonymous public page."""
        if principal is None:
            return cls(None, PUBLIC, "公开核验页 / public verify page", None)
        return cls(principal.token_id or None, principal.role, principal.name, principal.region)

    @property
    def is_public(self) -> bool:
        """Whether this is the anonymous public page (no token)."""
        return self.role == PUBLIC


def stated_purpose(purpose: str | None, *, required: bool) -> str:
    """The purpose of a check as it will be stored: required of every token holder, at most
    200 characters, with anything shaped like an ID or passport number masked."""
    text = " ".join((purpose or "").split())
    if (required and not text) or len(text) > MAX_PURPOSE:
        raise invalid(
            "PURPOSE_REQUIRED",
            "必须说明用证事由（200 字以内）",
            "a purpose (up to 200 characters) is required",
        )
    require_texts(("/purpose", text, MAX_PURPOSE))  # a control character (NUL: PostgreSQL)
    return redact_identifiers(text)


def log_check(
    registry: Registry,
    caller: Caller,
    record_id: str,
    *,
    action: str,
    purpose: str,
    outcome: str,
    region: str | None,
    now: datetime,
) -> bool:
    """Log one check of a record of this registry; a record it does not hold (a forged or
    foreign one) has no holder to tell, so nothing is logged. Returns whether it was.

    The row is committed before the caller answers: a check answered is a check logged.
    """
    return log_access_committed(
        registry.engine,
        {
            "record_id": record_id,
            "token_id": caller.token_id,
            "client_name": caller.name[:128],
            "client_role": caller.role,
            "region_code": region,
            "action": action,
            "purpose": purpose,
            "outcome": outcome,
            "created_at": now,
        },
    )


@dataclass(frozen=True)
class AccessEntry:
    """One logged check as its holder may see it (no token id, no personal number)."""

    at: datetime
    client_name: str
    client_role: str
    region: str | None
    action: str
    purpose: str
    outcome: str


def access_entries(session: Session, record_id: str) -> list[AccessEntry]:
    """The latest checks of a record, newest first."""
    return [
        AccessEntry(
            as_utc(row.created_at) or row.created_at,
            row.client_name,
            row.client_role,
            row.region_code,
            row.action,
            row.purpose,
            row.outcome,
        )
        for row in RecordAccessRepository(session).of_record(record_id, HOLDER_LOG_LIMIT)
    ]


__all__ = [
    "MATCH",
    "PUBLIC",
    "VERIFY",
    "AccessEntry",
    "Caller",
    "access_entries",
    "log_check",
    "stated_purpose",
]

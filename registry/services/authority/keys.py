"""Issuer keys over time: create, rotate, retire, mark compromised. Nothing is deleted.

- Rotation: a new key signs from now on; the old key's window ends now and is kept
  forever, so what it signed keeps verifying.
- Retirement ends signing, not verifying.
- Compromise, as of a time: what the key signed from then on fails the key check; what it
  signed before still verifies, with a warning.

Each change is recorded in the authority history and appended to the transparency log in
the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from registry.core.errors import conflict, invalid, not_found
from registry.core.formats.timefmt import checked_instant
from registry.core.lifecycle.events import LogEvent
from registry.core.verification.record import CLOCK_SKEW
from registry.services.runtime.context import Registry
from registry.services.transparency.events import append_event
from registry.services.transparency.history import key_digest, record_change
from registry.storage.repositories import IssuerRepository, SigningKeyRepository, as_utc
from registry.storage.tables import IssuerRow, SigningKeyRow

ACTIVE, RETIRED, COMPROMISED = "active", "retired", "compromised"


@dataclass(frozen=True)
class KeyView:
    """What may be shown of a key: never its private part."""

    issuer_uscc: str
    kid: str
    state: str
    valid_from: datetime
    valid_until: datetime | None
    compromised_at: datetime | None
    public_multikey: str


def _view(row: SigningKeyRow, uscc: str) -> KeyView:
    return KeyView(
        uscc,
        row.kid,
        row.state,
        as_utc(row.valid_from) or row.valid_from,
        as_utc(row.valid_until),
        as_utc(row.compromised_at),
        row.public_multikey,
    )


def _issuer(session: Session, uscc: str) -> IssuerRow:
    row = IssuerRepository(session).by_uscc(uscc)
    if row is None or row.id is None:
        raise not_found("ISSUER_UNKNOWN", "签发机构未登记", "no such issuer")
    return row


def _key(session: Session, kid: str) -> tuple[SigningKeyRow, IssuerRow]:
    row = SigningKeyRepository(session).by_kid(kid.strip().lower())
    if row is None:
        raise not_found("KEY_UNKNOWN", "签名密钥不存在", "no such key")
    owner = IssuerRepository(session).by_id(row.issuer_id)
    assert owner is not None
    return row, owner


def _key_event(kind: str, now: datetime, uscc: str, row: SigningKeyRow) -> LogEvent:
    """A key event whose leaf commits to the whole public key, not only its kid."""
    return LogEvent(kind, now, uscc, kid=row.kid, record_digest=key_digest(row.public_multikey))


def _new_key(
    registry: Registry, session: Session, issuer: IssuerRow, actor: str, now: datetime
) -> SigningKeyRow:
    assert issuer.id is not None
    row = SigningKeyRepository(session).add(registry.keystore.new_key_row(issuer.id, now))
    record_change(session, actor=actor, subject="key", ref=row.kid, action="created", at=now)
    append_event(session, _key_event("key_created", now, issuer.uscc, row))
    return row


def generate_key(registry: Registry, *, actor: str, uscc: str, now: datetime) -> KeyView:
    """A new key for an issuer; it signs from now on (older active keys stay active)."""
    with registry.transaction() as session:
        issuer = _issuer(session, uscc)
        return _view(_new_key(registry, session, issuer, actor, now), issuer.uscc)


def rotate_key(registry: Registry, *, actor: str, uscc: str, now: datetime) -> KeyView:
    """A new key signs from now on; every older active key is retired as of now."""
    with registry.transaction() as session:
        issuer = _issuer(session, uscc)
        assert issuer.id is not None
        old = [r for r in SigningKeyRepository(session).for_issuer(issuer.id) if r.state == ACTIVE]
        new = _new_key(registry, session, issuer, actor, now)
        for row in old:
            row.state, row.valid_until = RETIRED, now
            session.add(row)
            record_change(
                session,
                actor=actor,
                subject="key",
                ref=row.kid,
                action="rotated",
                at=now,
                detail={"successor": new.kid},
            )
            append_event(session, _key_event("key_rotated", now, issuer.uscc, row))
        return _view(new, issuer.uscc)


def retire_key(registry: Registry, *, actor: str, kid: str, now: datetime) -> KeyView:
    """The key stops signing now; what it signed keeps verifying."""
    with registry.transaction() as session:
        row, issuer = _key(session, kid)
        if row.state != ACTIVE:
            raise conflict(
                "KEY_NOT_ACTIVE",
                "该密钥已退役或已标记泄露",
                "the key is already retired or compromised",
            )
        row.state, row.valid_until = RETIRED, now
        session.add(row)
        record_change(session, actor=actor, subject="key", ref=row.kid, action="retired", at=now)
        append_event(session, _key_event("key_retired", now, issuer.uscc, row))
        return _view(row, issuer.uscc)


def compromise_key(
    registry: Registry, *, actor: str, kid: str, at: datetime | None, now: datetime
) -> KeyView:
    """Mark a key compromised as of ``at`` (default now); it stops signing at once.

    The time may move earlier on a second report, never later.
    """
    when = checked_instant(at or now, "at")  # UTC: SQLite keeps no offset
    if when > now + CLOCK_SKEW:
        raise invalid(
            "KEY_COMPROMISE_IN_FUTURE",
            "泄露时间不能晚于当前时间",
            "the time of compromise cannot be in the future",
        )
    with registry.transaction() as session:
        row, issuer = _key(session, kid)
        earlier = as_utc(row.compromised_at)
        if earlier is not None and earlier <= when:
            raise conflict(
                "KEY_ALREADY_COMPROMISED",
                "该密钥已在此时间或更早被标记泄露",
                "the key is already marked compromised at or before this time",
            )
        valid_until = as_utc(row.valid_until)
        row.state, row.compromised_at = COMPROMISED, when
        if valid_until is None or valid_until > now:
            row.valid_until = now
        session.add(row)
        record_change(
            session,
            actor=actor,
            subject="key",
            ref=row.kid,
            action="compromised",
            at=now,
            detail={"compromisedAt": when.isoformat()},
        )
        append_event(session, _key_event("key_compromised", now, issuer.uscc, row))
        return _view(row, issuer.uscc)


def list_keys(registry: Registry, uscc: str | None = None) -> list[KeyView]:
    """Every key (or one issuer's), oldest first, with its window and state."""
    with registry.reading() as session:
        issuers = {row.id: row.uscc for row in IssuerRepository(session).all()}
        if uscc is not None:
            issuer = _issuer(session, uscc)
            assert issuer.id is not None
            rows = SigningKeyRepository(session).for_issuer(issuer.id)
        else:
            rows = SigningKeyRepository(session).all()
        return [_view(row, issuers.get(row.issuer_id, "?")) for row in rows]


__all__ = [
    "KeyView",
    "compromise_key",
    "generate_key",
    "list_keys",
    "retire_key",
    "rotate_key",
]

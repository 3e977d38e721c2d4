"""The issuance transaction's last step, shared by every kind of record: draw a status
index, store the signed record under it (drawing again when a concurrent writer took the
index), replay an idempotent request another writer stored first, and append the record's
"issued" leaf to the transparency log in the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from registry.core.errors import conflict
from registry.core.formats import qrcontainer
from registry.core.lifecycle.events import LogEvent, record_digest
from registry.services.issuance.status_index import draw_status_index
from registry.services.people.personal_data import SubjectNumbers, sealed_rows, store_numbers
from registry.services.runtime.context import Registry
from registry.services.transparency.events import append_event, append_events, hold_log_lock
from registry.storage.personal import PersonalNumberRepository
from registry.storage.repositories import CredentialRepository
from registry.storage.tables import CredentialRow, IssuerRow, PersonalNumberRow

INDEX_ATTEMPTS = 8
_PENDING_LEAVES = "registry.issued_leaves"  # the key of a chunk's leaves in ``Session.info``
_PENDING_NUMBERS = "registry.sealed_numbers"  # and of its records' sealed numbers
_NEW_KEYS = "registry.new_idempotency_keys"  # keys known to be unused, in ``Session.info``


@dataclass(frozen=True)
class IssuedRecord:
    """A stored record: its signed credential and its QR payload."""

    record_id: str
    credential: dict[str, Any]
    qr_payload: str
    qr_url: str
    replayed: bool = False
    electronic_licence_id: str | None = None

    @classmethod
    def of(cls, row: CredentialRow, base_url: str, *, replayed: bool = False) -> IssuedRecord:
        """The answer for a stored row: its QR's verify URL (none for a generic credential,
        which has no QR), and whether an earlier request stored it (a replay)."""
        url = qrcontainer.verify_url(base_url, row.qr_payload) if row.qr_payload else ""
        return cls(
            row.id,
            row.document,
            row.qr_payload,
            url,
            replayed=replayed,
            electronic_licence_id=row.electronic_licence_id,
        )


def replay_issued(
    registry: Registry, session: Session, issuer_id: int, key: str, digest: str
) -> IssuedRecord | None:
    """The record an issuer already stored under this idempotency key, if any; a key
    reused for a different request (another digest) is refused."""
    new_keys: set[str] | None = session.info.get(_NEW_KEYS)
    if new_keys is not None and key in new_keys:
        new_keys.discard(key)  # known unused a moment ago; after a clash, read again
        return None
    earlier = CredentialRepository(session).by_idempotency_key(issuer_id, key)
    if earlier is None:
        return None
    if earlier.request_digest != digest:
        raise conflict(
            "IDEMPOTENCY_KEY_REUSED",
            "幂等键已用于另一份请求",
            "the idempotency key was used for a different request",
        )
    return IssuedRecord.of(earlier, registry.settings.base_url, replayed=True)


def store_issued(
    registry: Registry,
    session: Session,
    issuer: IssuerRow,
    kid: str,
    draw: Callable[[int], CredentialRow],
    *,
    idempotency_key: str | None,
    digest: str,
    on_clash: Callable[[], None] | None = None,
) -> CredentialRow | IssuedRecord:
    """Store the row ``draw(index)`` signs for a freshly drawn status index, and its
    "issued" log leaf signed by ``kid``; answer the stored row.

    When a unique value is taken (a concurrent writer drew the same index, or stored the
    same idempotency key first), the record that writer stored under the key is replayed
    if there is one; otherwise ``on_clash()`` may refuse, and a new index is drawn, up to
    ``INDEX_ATTEMPTS`` times (then ``ISSUE_CONFLICT``).
    """
    assert issuer.id is not None
    records = CredentialRepository(session)
    for _ in range(INDEX_ATTEMPTS):
        row = draw(draw_status_index(session, issuer.id))
        if records.add_unless_taken(row):
            event = LogEvent(
                "issued",
                row.issued_at,
                issuer.uscc,
                record_id=row.id,
                kid=kid,
                record_digest=record_digest(row.document),
            )
            pending: list[LogEvent] | None = session.info.get(_PENDING_LEAVES)
            if pending is None:
                append_event(session, event)
            else:
                pending.append(event)
            return row
        if idempotency_key:  # a concurrent request with this key won: replay it
            earlier = replay_issued(registry, session, issuer.id, idempotency_key, digest)
            if earlier is not None:
                return earlier
        if on_clash is not None:
            on_clash()
    raise conflict(
        "ISSUE_CONFLICT",
        "签发冲突（状态索引或幂等键），请重试",
        "issuance clashed repeatedly: retry",
    )


def expect_new_keys(session: Session, issuer_uscc: str, keys: Sequence[str]) -> None:
    """Read at once which of these idempotency keys the issuer's records already hold (a
    chunk of review-session rows), so the first replay check of each unused one needs no
    query of its own. A record another writer stores under one of them meanwhile still
    clashes on the unique key when this one is stored, and is replayed then."""
    taken = CredentialRepository(session).idempotency_keys_taken(issuer_uscc, keys)
    session.info[_NEW_KEYS] = set(keys) - taken


def store_subject_numbers(
    session: Session, registry: Registry, record_id: str, numbers: SubjectNumbers
) -> None:
    """Store a new record's sealed numbers now, or with its chunk's (``leaves_at_end``)."""
    pending: list[PersonalNumberRow] | None = session.info.get(_PENDING_NUMBERS)
    if pending is None:
        store_numbers(session, registry, record_id, numbers)
    else:
        pending.extend(sealed_rows(registry, record_id, numbers))


@contextmanager
def leaves_at_end(session: Session) -> Iterator[None]:
    """Records stored in ``session`` within this block have their "issued" leaves appended
    and their sealed numbers stored when it ends, in the order they were stored, with one
    batched write each (a review session's chunk of rows): the same rows, in the same
    transaction, as one write per record. The log's lock is taken first, as the first
    record's leaf would take it; a block left by an exception writes nothing more (its
    transaction is rolled back)."""
    hold_log_lock(session)
    leaves: list[LogEvent] = []
    numbers: list[PersonalNumberRow] = []
    session.info[_PENDING_LEAVES] = leaves
    session.info[_PENDING_NUMBERS] = numbers
    try:
        yield
    finally:
        del session.info[_PENDING_LEAVES]
        del session.info[_PENDING_NUMBERS]
    PersonalNumberRepository(session).add_all(numbers)
    append_events(session, leaves)


__all__ = [
    "INDEX_ATTEMPTS",
    "IssuedRecord",
    "expect_new_keys",
    "leaves_at_end",
    "replay_issued",
    "store_issued",
    "store_subject_numbers",
]

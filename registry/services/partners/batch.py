"""Batch verification for partners: up to 1,000 QR payloads or credentials in one call.

One answer per item, in order. An item that is not a QR text or ``{qr}`` /
``{credential}`` gets its own format failure; one bad item never fails the others. The
purpose is stated once for the batch and every check of a record this registry holds is
logged for its holder, in one transaction (as ``access_log.log_check`` does one by one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.core.errors import RegistryError, invalid, too_large
from registry.core.records import qrclaims
from registry.core.trust.model import StatusSource
from registry.core.verification.record import Verification, format_failure
from registry.services.access.tokens import Principal, require_role
from registry.services.partners.checks import partner_region
from registry.services.people.access_log import VERIFY, Caller, stated_purpose
from registry.services.records.answers import answer
from registry.services.verification.verifier import Verifier
from registry.storage.records_bulk import existing_records, insert_rows
from registry.storage.tables import RecordAccessRow

MAX_BATCH = 1000


def batch_too_large(count: int) -> RegistryError:
    """The refusal of a batch over the limit (413 ``BATCH_TOO_LARGE``)."""
    return too_large(
        "BATCH_TOO_LARGE",
        f"一次最多核验 {MAX_BATCH} 项（本次 {count} 项）",
        f"at most {MAX_BATCH} items per batch ({count} given)",
    )


def _item_error() -> RegistryError:
    return invalid(
        "BATCH_ITEM_INVALID",
        "批量项须为二维码文本，或只含 qr 或 credential 之一的对象",
        "an item must be a QR text, or an object with exactly one of qr or credential",
    )


@dataclass(frozen=True)
class _Item:
    """A batch item read: a decoded QR, a credential, or why it is neither."""

    source: str  # 'qr' | 'credential'
    signed: qrclaims.SignedQr | None = None
    credential: Any = None
    error: RegistryError | None = None


def _read(item: Any) -> _Item:
    """Decode a QR item up front (its record id lets the batch read statuses at once)."""
    text = item if isinstance(item, str) else None
    if isinstance(item, Mapping) and len(item) == 1:
        if isinstance(item.get("qr"), str):
            text = item["qr"]
        elif "credential" in item:
            return _Item("credential", credential=item["credential"])
    if text is None:
        return _Item("credential" if isinstance(item, Mapping) else "qr", error=_item_error())
    try:
        return _Item("qr", signed=qrclaims.decode_payload(text))
    except RegistryError as error:
        return _Item("qr", error=error)


def verify_items(
    verifier: Verifier, items: Sequence[Any], *, now: datetime, region: str | None
) -> list[Verification]:
    """Verify each item; a malformed one becomes a format failure of its own.

    QR items are decoded first and their statuses read in one query when the verifier
    answers status from its own store; each is then checked exactly as a single one.
    """
    read = [_read(item) for item in items]
    statuses: StatusSource = verifier.statuses
    if statuses is verifier.directory:
        ids = {entry.signed.facts.record_id for entry in read if entry.signed is not None}
        statuses = verifier.directory.statuses_of(ids)
    found: list[Verification] = []
    for entry in read:
        try:
            if entry.error is not None:
                raise entry.error
            if entry.signed is not None:
                found.append(
                    verifier.decoded_qr(entry.signed, now=now, region=region, statuses=statuses)
                )
            else:
                found.append(
                    verifier.credential(
                        entry.credential, now=now, region=region, known_issuers_only=True
                    )
                )
        except RegistryError as error:
            found.append(format_failure(entry.source, error))
    return found


@dataclass(frozen=True)
class BatchAnswer:
    """The answers of a batch, in order, and how many verified."""

    region: str | None
    purpose: str
    answers: list[dict[str, Any]]

    @property
    def verified(self) -> int:
        """How many items verified."""
        return sum(1 for body in self.answers if body["verified"])

    def body(self) -> dict[str, Any]:
        """The wire form."""
        return {
            "version": "1",
            "region": self.region,
            "count": len(self.answers),
            "verified": self.verified,
            "results": self.answers,
        }


def verify_batch(
    verifier: Verifier,
    principal: Principal,
    items: Sequence[Any],
    *,
    purpose: str,
    region: str | None,
    now: datetime,
) -> BatchAnswer:
    """Verify every item for the asking region: a partner token's own (naming another is
    ``REGION_MISMATCH``); an admin may name one."""
    require_role(principal, "partner")
    if len(items) > MAX_BATCH:
        raise batch_too_large(len(items))
    stated = stated_purpose(purpose, required=True)
    asking = partner_region(principal, region)
    answers: list[dict[str, Any]] = []
    checked: list[tuple[str, str]] = []
    for index, verification in enumerate(verify_items(verifier, items, now=now, region=asking)):
        body = answer(verification)
        body["index"] = index
        answers.append(body)
        if verification.facts is not None and verification.record_held:
            outcome = "valid" if verification.verified else "not_valid"
            checked.append((verification.facts.record_id, outcome))
    _log_checks(verifier, Caller.of(principal), checked, purpose=stated, region=asking, now=now)
    return BatchAnswer(asking, stated, answers)


def _log_checks(
    verifier: Verifier,
    caller: Caller,
    checked: list[tuple[str, str]],
    *,
    purpose: str,
    region: str | None,
    now: datetime,
) -> None:
    """Log each check of a record this registry holds (others have no holder to tell)."""
    if not checked:
        return
    with verifier.registry.transaction() as session:
        held = existing_records(session, {record_id for record_id, _ in checked})
        rows = [
            {
                "record_id": record_id,
                "token_id": caller.token_id,
                "client_name": caller.name[:128],
                "client_role": caller.role,
                "region_code": region,
                "action": VERIFY,
                "purpose": purpose,
                "outcome": outcome,
                "created_at": now,
            }
            for record_id, outcome in checked
            if record_id in held
        ]
        insert_rows(session, RecordAccessRow, rows)


__all__ = ["MAX_BATCH", "BatchAnswer", "batch_too_large", "verify_batch", "verify_items"]

"""Status sources for verifiers away from the registry: fetched status list credentials.

A ``StatusListSource`` holds issuers' BitstringStatusListCredentials fetched earlier (from
``/status/<USCC>/revocation`` and ``/suspension``). Each list is checked before use: its
proof against the issuer's key from the trust source, the key's window, the list's own
validity period; its bits are decoded once. A record's status is then read from its
issuer's lists at its status index. Revoked, cancelled and superseded records all set
the revocation bit, so a list can only say "revoked, cancelled or superseded"; the
registry's own answer names which. Without both lists of an issuer a record that is not
flagged reads as "could not check", never as active.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from registry.core.checks import Outcome
from registry.core.errors import invalid, not_found
from registry.core.formats import dataintegrity
from registry.core.formats.statuslist import StatusList
from registry.core.formats.timefmt import parse_instant
from registry.core.records.credential import RecordFacts, issuer_id_of
from registry.core.trust.model import (
    Presented,
    RecordStatus,
    StatusSource,
    TrustSource,
    issuer_named,
)
from registry.core.verification.record import CLOCK_SKEW, key_window_check

PURPOSES = ("revocation", "suspension")
_LIST_TYPE = "BitstringStatusListCredential"


@dataclass(frozen=True)
class VerifiedList:
    """A checked status list: whose, for what, from when, and its bits."""

    issuer_uscc: str
    purpose: str
    valid_from: datetime
    bits: StatusList


def _subject(document: Mapping[str, Any]) -> Mapping[str, Any]:
    types = document.get("type")
    subject = document.get("credentialSubject")
    if (
        not isinstance(types, list)
        or _LIST_TYPE not in types
        or not isinstance(subject, Mapping)
        or subject.get("type") != "BitstringStatusList"
        or subject.get("statusPurpose") not in PURPOSES
        or not isinstance(subject.get("encodedList"), str)
        or subject.get("statusSize", 1) != 1
    ):
        raise invalid(
            "STATUS_LIST_INVALID",
            "不是撤销或暂扣用途的状态列表凭证",
            "not a revocation or suspension BitstringStatusListCredential",
        )
    return subject


def verify_status_list(document: object, trust: TrustSource, now: datetime) -> VerifiedList:
    """Check a fetched status list credential; ``RegistryError`` says why it is refused."""
    if not isinstance(document, Mapping):
        raise invalid("STATUS_LIST_INVALID", "状态列表不是 JSON 对象", "the list is not an object")
    subject = _subject(document)
    issuer = issuer_named(trust, issuer_id_of(document) or "")
    if issuer is None:
        raise not_found(
            "STATUS_LIST_ISSUER_UNKNOWN",
            "状态列表的签发机构不在信任来源中",
            "the list's issuer is not known to the trust source",
        )
    keys: dict[str, Any] = {}

    def resolve(method: str) -> Ed25519PublicKey:
        key = trust.key_by_method(method)
        if key is None or key.issuer_uscc != issuer.uscc:
            raise not_found("KEY_UNKNOWN", "签名密钥未知", "signing key unknown")
        keys[method] = key
        return key.public_key

    results = dataintegrity.verify_proofs(document, resolve)
    if len(results) != 1 or not results[0].ok or results[0].created is None:
        raise invalid(
            "STATUS_LIST_SIGNATURE_INVALID",
            "状态列表的签名无效或不是签发机构所签",
            "the list's proof is invalid or not by its issuer",
        )
    signed_at = parse_instant(results[0].created, "created")
    window = key_window_check(keys[results[0].verification_method], signed_at)
    if window.outcome == Outcome.FAILED:
        raise invalid(window.code, window.message_zh, window.message_en)
    valid_from = parse_instant(document.get("validFrom", results[0].created), "validFrom")
    valid_until = document.get("validUntil")
    if now + CLOCK_SKEW < valid_from or (
        valid_until is not None and now - CLOCK_SKEW > parse_instant(valid_until, "validUntil")
    ):
        raise invalid(
            "STATUS_LIST_EXPIRED",
            "状态列表不在有效期内，请重新获取",
            "the status list is outside its validity period: fetch it again",
        )
    bits = StatusList.decode(str(subject["encodedList"]))
    return VerifiedList(issuer.uscc, str(subject["statusPurpose"]), valid_from, bits)


class StatusListSource:
    """Implements ``StatusSource`` over verified status lists, keyed by issuer and purpose.

    The newest list of an issuer and purpose wins when several are given.
    """

    def __init__(self, lists: Sequence[VerifiedList] = ()) -> None:
        self._lists: dict[tuple[str, str], VerifiedList] = {}
        for found in lists:
            self.add(found)

    def add(self, found: VerifiedList) -> None:
        """Hold one more list (kept if newer than the one held for its issuer and purpose)."""
        key = (found.issuer_uscc, found.purpose)
        held = self._lists.get(key)
        if held is None or held.valid_from <= found.valid_from:
            self._lists[key] = found

    def _bit(self, purpose: str, facts: RecordFacts) -> tuple[int, VerifiedList] | None:
        found = self._lists.get((facts.issuer_uscc, purpose))
        index = facts.status_index
        if found is None or index is None or not 0 <= index < found.bits.entries:
            return None
        return found.bits.get(index), found

    def status_of(self, facts: RecordFacts, presented: Presented) -> RecordStatus | None:
        """Revoked if the revocation bit is set, suspended if the suspension bit is, active
        only when both lists are held and neither bit is set; else ``None``."""
        revocation = self._bit("revocation", facts)
        suspension = self._bit("suspension", facts)
        if revocation is not None and revocation[0]:
            return RecordStatus("revoked", by_list=True, listed_at=revocation[1].valid_from)
        if suspension is not None and suspension[0]:
            return RecordStatus("suspended", by_list=True, listed_at=suspension[1].valid_from)
        if revocation is None or suspension is None:
            return None
        oldest = min(revocation[1].valid_from, suspension[1].valid_from)
        return RecordStatus("active", by_list=True, listed_at=oldest)


class StatusChain:
    """Asks each source in turn; the first that knows the record answers."""

    def __init__(self, *sources: StatusSource) -> None:
        self.sources = sources

    def status_of(self, facts: RecordFacts, presented: Presented) -> RecordStatus | None:
        """The first answer that is not ``None``."""
        for source in self.sources:
            found = source.status_of(facts, presented)
            if found is not None:
                return found
        return None


__all__ = ["StatusChain", "StatusListSource", "VerifiedList", "verify_status_list"]

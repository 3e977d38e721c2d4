"""A partner's audit of a registry's transparency log, over its public HTTP API.

Each run: fetch the log keys and the latest signed tree head; check the signature against
a pinned key (pinned on first use, or named with ``pin``); check that the head extends the
head seen last time (an RFC 9162 consistency proof), so a rewritten history (fork) or a
shrunk log (rollback) is caught; check the inclusion of given records; fetch the entries
appended since the last run (all of them on the first run) and check each against the
signed head, so a new leaf deleted or edited behind the log's back is caught. Optionally
(``entries``) fetch every entry, check each leaf hash and recompute the root, and
(``deep``) check every entry's inclusion proof too, which exercises every stored subtree
hash.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from registry.core.errors import RegistryError, invalid
from registry.core.formats import merkle
from registry.core.formats.multikey import public_key_from_multikey
from registry.core.formats.timefmt import format_instant
from registry.core.formats.treehead import (
    TreeHead,
    decode_bytes,
    decode_hash,
    malformed_data,
    read_tree_head,
)
from registry.services.transparency.audit_report import AuditReport, Finding
from registry.services.transparency.audit_state import AuditState, Fetch, RegistryUnreachableError

PAGE = 1000


class _StopError(Exception):
    """A failure after which the run cannot go on."""


@dataclass
class Audit:
    """One audit run against the registry at ``url`` (its base URL)."""

    url: str
    state: AuditState
    fetch: Fetch
    report: AuditReport = field(init=False)
    _previous_head: TreeHead | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")
        self.report = AuditReport(self.url)

    # --- plumbing ----------------------------------------------------------------------

    def _note(self, outcome: str, code: str, **detail: Any) -> None:
        self.report.findings.append(Finding(outcome, code, detail))

    def _fail(self, code: str, **detail: Any) -> _StopError:
        self._note("failed", code, **detail)
        return _StopError(code)

    def _get(self, path: str, **query: Any) -> tuple[int, Any]:
        url = f"{self.url}{path}"
        if query:
            url += "?" + urlencode({k: v for k, v in query.items() if v is not None})
        return self.fetch(url)

    def _json(self, what: str, path: str, **query: Any) -> Mapping[str, Any]:
        """A 200 JSON object, or: a failure when the registry answers with a ``LOG_`` code
        (it says its log is inconsistent or lacks what was seen before) or something that
        is not an answer to the question; ``RegistryUnreachableError`` for a server error."""
        status, body = self._get(path, **query)
        return self._answer(what, status, body)

    def _answer(self, what: str, status: int, body: object) -> Mapping[str, Any]:
        if status == 200 and isinstance(body, Mapping):
            return body
        code = body.get("code") if isinstance(body, Mapping) else None
        code = code if isinstance(code, str) else ""
        if status >= 500 and not code.startswith("LOG_"):
            raise RegistryUnreachableError(f"HTTP {status} {code} for {what}".replace("  ", " "))
        raise self._fail("LOG_ANSWER_INVALID", what=what, reason=f"HTTP {status} {code}".strip())

    # --- the run -----------------------------------------------------------------------

    def run(
        self,
        *,
        pin: str | None = None,
        records: Sequence[str] = (),
        entries: bool = False,
        deep: bool = False,
        now: datetime | None = None,
    ) -> AuditReport:
        """Audit once; on success the state holds the new head (the caller saves it).

        Raises ``RegistryError`` (``AUDIT_STATE_INVALID``) when the state's own head does
        not verify with its pinned keys, and ``RegistryUnreachableError`` when the registry
        cannot be reached or has no log at this address.
        """
        self._previous_head = self._stored_head()
        try:
            published = self._published_keys()
            trusted = self._pins(published, pin)
            head = self._head(trusted)
            if pin is None and not self.state.pinned:
                self.state.pinned = {head.kid: published[head.kid]}
                self._note("info", "KEY_PINNED", kid=head.kid)
            self._check_history(head)
            for record in records:
                self._check_record(record, head)
            if entries or deep:
                self._check_entries(head, deep)
            else:
                self._check_new_entries(head)
        except _StopError:
            return self.report
        except RegistryError as error:  # malformed data inside an answer
            self._note("failed", "LOG_ANSWER_INVALID", what=error.code, reason=error.message_en)
            return self.report
        if self.report.ok:
            self._remember(head, now or datetime.now(UTC))
        return self.report

    def _published_keys(self) -> dict[str, str]:
        status, answer = self._get("/log/keys")
        if status == 404:
            raise RegistryUnreachableError("no transparency log at this address (HTTP 404)")
        body = self._answer("/log/keys", status, answer)
        methods = body.get("verificationMethod")
        if not isinstance(methods, list):
            raise self._fail("LOG_ANSWER_INVALID", what="/log/keys", reason="no keys")
        keys: dict[str, str] = {}
        for method in methods:
            if isinstance(method, Mapping) and isinstance(method.get("id"), str):
                key = method.get("publicKeyMultibase")
                if isinstance(key, str) and "#" in method["id"]:
                    keys[method["id"].rsplit("#", 1)[1]] = key
        return keys

    def _pins(self, published: Mapping[str, str], pin: str | None) -> dict[str, Ed25519PublicKey]:
        if pin is not None and pin not in self.state.pinned:
            if pin not in published:
                raise self._fail("PINNED_KEY_NOT_PUBLISHED", kid=pin)
            self.state.pinned[pin] = published[pin]
            self._note("info", "KEY_PIN_ADDED", kid=pin)
        pinned = self.state.pinned or published  # first use: trust what is published now
        return {kid: public_key_from_multikey(key) for kid, key in pinned.items()}

    def _head(self, trusted: Mapping[str, Ed25519PublicKey]) -> TreeHead:
        document = self._json("/log/head", "/log/head")
        try:
            head = read_tree_head(document, trusted)
        except RegistryError as error:
            raise self._fail("HEAD_INVALID", reason=f"{error.code}: {error.message_en}") from None
        log = str(document.get("log"))
        if self.state.log is not None and log != self.state.log:
            raise self._fail("LOG_IDENTITY_CHANGED", before=self.state.log, after=log)
        self.report.head = head
        stamp = format_instant(head.timestamp)
        self._note("passed", "HEAD_VALID", size=head.size, kid=head.kid, timestamp=stamp)
        return head

    def _stored_head(self) -> TreeHead | None:
        """The head kept in the state, checked again against the pinned keys."""
        if self.state.head is None:
            return None
        try:
            trusted = {k: public_key_from_multikey(v) for k, v in self.state.pinned.items()}
            return read_tree_head(self.state.head, trusted)
        except RegistryError as error:
            raise invalid(
                "AUDIT_STATE_INVALID",
                f"审计状态文件中的树头无法用固定的密钥验证（{error.code}）",
                f"the head kept in the audit state does not verify with the pinned keys "
                f"({error.code})",
            ) from None

    def _check_history(self, head: TreeHead) -> None:
        previous = self._previous_head
        if previous is None:
            self._note("info", "FIRST_HEAD", size=head.size)
            return
        seen = format_instant(previous.timestamp)
        if head.size == previous.size:
            if head.root != previous.root:
                raise self._fail("LOG_FORK", before=previous.size, seen=seen)
            self._note("passed", "LOG_UNCHANGED")
        elif head.size > previous.size:
            body = self._json(
                "/log/proof/consistency",
                "/log/proof/consistency",
                first=previous.size,
                second=head.size,
            )
            if not self._consistent(body, previous, head):
                raise self._fail("LOG_FORK", before=previous.size, seen=seen)
            self._note("passed", "LOG_CONSISTENT", before=previous.size)
        else:
            status, body = self._get(
                "/log/proof/consistency", first=head.size, second=previous.size
            )
            if status == 404:
                raise self._fail("LOG_ROLLBACK", before=previous.size, size=head.size)
            if status != 200 or not self._consistent(body, head, previous):
                raise self._fail("LOG_FORK", before=previous.size, seen=seen)
            self._note("info", "HEAD_STALE", size=head.size, before=previous.size)

    def _consistent(self, body: object, older: TreeHead, newer: TreeHead) -> bool:
        proof = body.get("proof") if isinstance(body, Mapping) else None
        if not isinstance(proof, list):
            return False
        hashes = [decode_hash(value, "proof") for value in proof]
        return merkle.verify_consistency(older.size, newer.size, older.root, newer.root, hashes)

    def _check_record(self, record: str, head: TreeHead) -> None:
        status, body = (
            self._get("/log/proof/inclusion", record=record, size=head.size)
            if head.size
            else (404, None)
        )
        if status == 404:
            raise self._fail("RECORD_NOT_IN_LOG", record=record)
        if status != 200 or not isinstance(body, Mapping):
            raise self._fail("LOG_ANSWER_INVALID", what=f"record {record}", reason=f"HTTP {status}")
        found = body.get("entries")
        if not isinstance(found, list) or not found:
            raise self._fail("RECORD_NOT_IN_LOG", record=record)
        for entry in found:
            index, leaf, path_hashes = _entry_parts(entry, with_path=True)
            if _leaf_record(leaf) != record:
                raise self._fail("LEAF_NOT_FOR_RECORD", index=index, record=record)
            if not merkle.verify_inclusion(
                merkle.leaf_hash(leaf), index, head.size, path_hashes, head.root
            ):
                raise self._fail("INCLUSION_PROOF_INVALID", index=index)
        self._note("passed", "RECORD_INCLUDED", record=record, count=len(found), size=head.size)

    def _check_new_entries(self, head: TreeHead) -> None:
        """Fetch the entries appended since the head seen last time (the whole log on the
        first run) and check each against the signed head: on the first run by
        recomputing the root, afterwards by each new entry's inclusion proof."""
        previous = self._previous_head
        if previous is None:
            self._check_entries(head, deep=False)
        elif head.size > previous.size:
            self._check_entries(head, deep=False, start=previous.size)

    def _check_entries(self, head: TreeHead, deep: bool, start: int = 0) -> None:
        """Fetch entries ``[start, head.size)``, check each leaf hash and then either
        recompute the root (from 0) or check each inclusion proof (``deep``, or from a
        later ``start``, where the root cannot be recomputed)."""
        proofs = deep or start > 0
        frontier = merkle.Frontier()
        expected = start
        while expected < head.size:
            first = expected
            end = min(first + PAGE, head.size)
            body = self._json(
                "/log/entries",
                "/log/entries",
                start=first,
                end=end,
                size=head.size if proofs else None,
            )
            listed = body.get("entries")
            if not isinstance(listed, list):
                raise self._fail("LOG_ANSWER_INVALID", what="/log/entries", reason="no entries")
            for entry in listed:
                index, leaf, path = _entry_parts(entry, with_path=proofs)
                if index != expected:
                    raise self._fail("ENTRY_MISSING", index=expected)
                digest = merkle.leaf_hash(leaf)
                if decode_hash(entry.get("leafHash"), "leafHash") != digest:
                    raise self._fail("LEAF_HASH_MISMATCH", index=index)
                if proofs and not merkle.verify_inclusion(
                    digest, index, head.size, path, head.root
                ):
                    raise self._fail("INCLUSION_PROOF_INVALID", index=index)
                if not start:
                    frontier.append(digest)
                expected += 1
            if expected == first or expected > end:  # no progress, or more than asked
                raise self._fail("ENTRY_MISSING", index=expected)
        if start:
            self._note("passed", "NEW_ENTRIES_VERIFIED", start=start, last=head.size - 1)
            return
        if frontier.root() != head.root:
            raise self._fail("ENTRIES_ROOT_MISMATCH", size=head.size)
        self._note("passed", "ENTRIES_VERIFIED", size=head.size)
        if deep:
            self._note("passed", "ENTRY_PROOFS_VERIFIED", size=head.size)

    def _remember(self, head: TreeHead, now: datetime) -> None:
        previous = self._previous_head
        self.state.log = str(head.document.get("log"))
        if previous is None or head.size >= previous.size:
            self.state.head = dict(head.document)
        self.state.history.append(
            {
                "treeSize": head.size,
                "rootHash": head.document.get("rootHash"),
                "timestamp": format_instant(head.timestamp),
                "kid": head.kid,
                "checkedAt": format_instant(now),
            }
        )


def _entry_parts(entry: object, *, with_path: bool) -> tuple[int, bytes, list[bytes]]:
    """Index, leaf bytes and inclusion path of one listed entry (``TREE_DATA_MALFORMED``)."""
    if not isinstance(entry, Mapping):
        raise malformed_data("entry")
    index = entry.get("index")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise malformed_data("index")
    leaf = decode_bytes(entry.get("leaf"), "leaf")
    path: list[bytes] = []
    if with_path:
        raw = entry.get("path")
        if not isinstance(raw, list):
            raise malformed_data("path")
        path = [decode_hash(value, "path") for value in raw]
    return index, leaf, path


def _leaf_record(leaf: bytes) -> str | None:
    try:
        body = json.loads(leaf)
    except ValueError:
        return None
    record = body.get("record") if isinstance(body, dict) else None
    return record if isinstance(record, str) else None


__all__ = ["Audit"]

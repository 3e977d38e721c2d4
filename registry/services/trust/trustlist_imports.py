"""Importing other registries' trust lists, and using them to verify their records.

An import verifies the list's signature with the root key inside it and requires that
key's fingerprint to equal the pin the operator gives. It refuses an expired list and a
rollback: a sequence lower than the one already imported from that registry, or the same
sequence with other content. Running workers see an import within 30 seconds. Each import
that stores something is kept in the authority history (subject ``trust_list``, the list's
base URL) in the same transaction; a base URL longer than that history's reference (64
characters) is refused.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from threading import Lock
from typing import Any

from registry.core.checks import Outcome
from registry.core.errors import RegistryError, conflict, invalid, require_texts
from registry.core.formats.timefmt import format_instant, utc
from registry.core.trustlists.trustlist import TrustList, freshness_check, verify_trust_list
from registry.core.trustlists.trustsources import TrustListSource
from registry.services.runtime.context import Registry
from registry.services.transparency.history import record_change
from registry.storage.repositories import IntegrityError
from registry.storage.tables import ImportedTrustListRow
from registry.storage.trust_lists import ImportedTrustListRepository

MAX_AGE = 30.0  # seconds: how long an import by another process may go unseen
BASE_URL_MAX = 64  # the authority history's reference column (the list's own takes 255)
log = logging.getLogger("registry.trustlists")
_REPLACED = (
    "root_fingerprint",
    "sequence",
    "content_digest",
    "issued_at",
    "expires_at",
    "imported_at",
    "document",
)


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: ``imported`` (new registry), ``updated`` or ``unchanged``."""

    action: str
    trust_list: TrustList


@dataclass(frozen=True)
class ImportedList:
    """An imported list as stored, for ``registry trust list``."""

    base_url: str
    fingerprint: str
    sequence: int
    issued: datetime
    expires: datetime
    imported_at: datetime


def _check_rollback(stored: ImportedTrustListRow, trust_list: TrustList) -> bool:
    """Raise on a rollback; ``True`` when the list is newer than the stored one."""
    if trust_list.sequence < stored.sequence:
        raise invalid(
            "TRUST_LIST_ROLLBACK",
            f"该登记系统的信任列表已导入序号 {stored.sequence}，拒绝更旧的序号 "
            f"{trust_list.sequence}",
            f"sequence {stored.sequence} of this registry's trust list is already imported: "
            f"the older sequence {trust_list.sequence} is refused",
        )
    if trust_list.sequence == stored.sequence:
        if trust_list.content.digest != stored.content_digest:
            raise invalid(
                "TRUST_LIST_SEQUENCE_REUSED",
                "同一序号的信任列表内容与已导入的不同，拒绝导入",
                "a list with the same sequence but different content is already imported: refused",
            )
        return trust_list.issued > utc(stored.issued_at)
    return True


def nested(one: str, other: str) -> bool:
    """Does one base URL lie inside the other (so that their identifiers could collide)?"""
    return one == other or one.startswith(f"{other}/") or other.startswith(f"{one}/")


def _refuse_overlap(registry: Registry, base_url: str) -> None:
    """A registry's identifiers must not fall inside this one's, or another imported one's."""
    with registry.reading() as session:
        others = [row.base_url for row in ImportedTrustListRepository(session).all()]
    clash = [
        url for url in (registry.urls.base, *others) if url != base_url and nested(url, base_url)
    ]
    if clash:
        raise invalid(
            "TRUST_LIST_NAMESPACE_CLASH",
            "该信任列表的基础网址与本登记系统或已导入的登记系统相互嵌套，其标识会混淆，拒绝导入",
            "the list's base URL lies inside (or around) this registry's or an imported "
            "registry's base URL, so their identifiers could be confused: refused",
        )


def import_trust_list(
    registry: Registry, document: Any, *, actor: str, pin: str, now: datetime
) -> ImportOutcome:
    """Verify another registry's list against the pin and store it (see module notes)."""
    trust_list = verify_trust_list(document, pin=pin)
    if trust_list.base_url == registry.urls.base:
        raise invalid(
            "TRUST_LIST_IS_OWN",
            "这是本登记系统自己的信任列表，无需导入",
            "this is this registry's own trust list: nothing to import",
        )
    require_texts(("/registry/baseUrl", trust_list.base_url, BASE_URL_MAX))
    _refuse_overlap(registry, trust_list.base_url)
    freshness = freshness_check(trust_list, now)
    if freshness.outcome == Outcome.FAILED:
        raise invalid(freshness.code, freshness.message_zh, freshness.message_en)
    try:
        with registry.transaction() as session:
            repository = ImportedTrustListRepository(session)
            stored = repository.by_base_url(trust_list.base_url)
            if stored is not None and not _check_rollback(stored, trust_list):
                return ImportOutcome("unchanged", trust_list)
            fresh = ImportedTrustListRow(
                base_url=trust_list.base_url,
                root_fingerprint=trust_list.fingerprint,
                sequence=trust_list.sequence,
                content_digest=trust_list.content.digest,
                issued_at=trust_list.issued,
                expires_at=trust_list.expires,
                imported_at=now,
                document=dict(document),
            )
            if stored is not None:
                for name in _REPLACED:
                    setattr(stored, name, getattr(fresh, name))
            repository.add(stored or fresh)
            record_change(
                session,
                actor=actor,
                subject="trust_list",
                ref=trust_list.base_url,
                action="updated" if stored is not None else "imported",
                at=now,
                detail={
                    "sequence": trust_list.sequence,
                    "fingerprint": trust_list.fingerprint,
                    "contentDigest": trust_list.content.digest,
                    "issued": format_instant(trust_list.issued),
                    "expires": format_instant(trust_list.expires),
                },
            )
    except IntegrityError:
        raise conflict(
            "TRUST_LIST_IMPORT_CONFLICT",
            "另一导入同时进行，请重试",
            "another import of this registry's list ran at the same time: try again",
        ) from None
    return ImportOutcome("updated" if stored is not None else "imported", trust_list)


def imported_lists(registry: Registry) -> list[ImportedList]:
    """Every imported list, as stored."""
    with registry.reading() as session:
        rows = ImportedTrustListRepository(session).all()
    return [
        ImportedList(
            row.base_url,
            row.root_fingerprint,
            row.sequence,
            utc(row.issued_at),
            utc(row.expires_at),
            utc(row.imported_at),
        )
        for row in rows
    ]


class ImportedTrustLists:
    """The imported lists as trust sources, re-read every 30 seconds.

    Each stored list is verified again (signature and pin) when first loaded; a list that
    no longer verifies is left out and logged, never trusted.
    """

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._lock = Lock()
        self._sources: tuple[TrustListSource, ...] = ()
        self._by_version: dict[tuple[str, int, str], TrustListSource] = {}
        self._loaded_at: float | None = None

    def sources(self) -> tuple[TrustListSource, ...]:
        """The current imported lists, newest import last."""
        if self._loaded_at is None or time.monotonic() - self._loaded_at > MAX_AGE:
            self.refresh()
        return self._sources

    def refresh(self) -> None:
        """Re-read the imported lists now."""
        with self.registry.reading() as session:
            rows = ImportedTrustListRepository(session).all()
        loaded: list[TrustListSource] = []
        versions: dict[tuple[str, int, str], TrustListSource] = {}
        for row in rows:
            version = (row.base_url, row.sequence, row.document.get("issued", ""))
            source = self._by_version.get(version) or self._load(row)
            if source is not None:
                loaded.append(source)
                versions[version] = source
        with self._lock:
            self._sources = tuple(loaded)
            self._by_version = versions
            self._loaded_at = time.monotonic()

    def _load(self, row: ImportedTrustListRow) -> TrustListSource | None:
        if nested(row.base_url, self.registry.urls.base):
            log.warning("imported trust list left out: %s (namespace clash)", row.base_url)
            return None
        try:
            return TrustListSource(verify_trust_list(row.document, pin=row.root_fingerprint))
        except RegistryError as error:
            log.warning("imported trust list left out: %s (%s)", row.base_url, error.code)
            return None


__all__ = [
    "ImportOutcome",
    "ImportedList",
    "ImportedTrustLists",
    "import_trust_list",
    "imported_lists",
]

"""Trust sources built from trust lists, and their composition with the registry's own.

A ``TrustListSource`` answers every ``TrustSource`` lookup from one verified trust list,
with no database: what an offline verifier holds. A ``CompositeTrustSource`` puts the
registry's own source first and imported lists after it. Each answer comes whole from one
source: an issuer is taken from the first source that lists it, and a key only from the
source that owns the key's issuer, so a list can never lend its keys to an issuer that
another source (the registry's own, above all) already names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from registry.core.records.credential import RecordFacts
from registry.core.trust.model import (
    Agreement,
    Equivalence,
    IssuerInfo,
    KeyInfo,
    Presented,
    RecordStatus,
    RegionInfo,
    TrustSource,
)
from registry.core.trustlists.trustlist import TrustList, freshness_check
from registry.core.verification.record import Verification, ordered_checks

BUREAU = "hr_bureau"


class TrustListSource:
    """Implements ``TrustSource`` over one verified trust list."""

    def __init__(self, trust_list: TrustList) -> None:
        self.trust_list = trust_list
        content = trust_list.content
        self._issuers = {issuer.uscc: issuer for issuer in content.issuers}
        self._keys = {key.kid: key for key in content.keys}
        self._methods = {key.method_id: key for key in content.keys}
        bureaus: dict[str, list[IssuerInfo]] = {}
        for issuer in content.issuers:
            if issuer.kind == BUREAU:
                bureaus.setdefault(issuer.region, []).append(issuer)
        self._bureaus = {region: tuple(found) for region, found in bureaus.items()}
        tables: dict[tuple[str, str], list[Equivalence]] = {}
        for entry in content.equivalences:
            tables.setdefault((entry.from_region, entry.to_region), []).append(entry)
        self._equivalences = {pair: tuple(found) for pair, found in tables.items()}
        self._namespace = f"{content.base_url}/"

    def issuer(self, uscc: str) -> IssuerInfo | None:
        """The listed issuer with this USCC."""
        return self._issuers.get(uscc)

    def key_by_kid(self, kid: bytes) -> KeyInfo | None:
        """The listed key with this COSE key id."""
        return self._keys.get(kid)

    def key_by_method(self, method_id: str) -> KeyInfo | None:
        """The listed key with exactly this verification method id."""
        return self._methods.get(method_id)

    def bureaus_of(self, region: str) -> tuple[IssuerInfo, ...]:
        """The listed HR bureaus of a region."""
        return self._bureaus.get(region, ())

    def in_namespace(self, issuer_id: str) -> bool:
        """Issuer ids under the listing registry's base URL claim to be its issuers."""
        return issuer_id.startswith(self._namespace)

    def regions(self) -> tuple[RegionInfo, ...]:
        """The regions the list names."""
        return self.trust_list.content.regions

    def agreements(self) -> tuple[Agreement, ...]:
        """The recognition agreements the list carries."""
        return self.trust_list.content.agreements

    def equivalences(self, from_region: str, to_region: str) -> tuple[Equivalence, ...]:
        """The list's equivalence entries from one region's terms to another's."""
        return self._equivalences.get((from_region, to_region), ())


class CompositeTrustSource:
    """The registry's own trust source first, then imported trust lists.

    Recognition rules (agreements, equivalences) are the primary source's alone: the
    registry applies its own rules to every record, wherever it was issued.
    """

    def __init__(self, primary: TrustSource, lists: Sequence[TrustListSource]) -> None:
        self.primary = primary
        self.lists = tuple(lists)
        self._sources: tuple[TrustSource, ...] = (primary, *self.lists)

    def origin(self, uscc: str) -> TrustSource | None:
        """The first source that lists this issuer, or ``None``."""
        for source in self._sources:
            if source.issuer(uscc) is not None:
                return source
        return None

    def trust_list_of(self, uscc: str) -> TrustList | None:
        """The imported trust list that vouches for this issuer (``None`` when local)."""
        source = self.origin(uscc)
        return source.trust_list if isinstance(source, TrustListSource) else None

    def issuer(self, uscc: str) -> IssuerInfo | None:
        """The issuer as the first source listing it describes it."""
        source = self.origin(uscc)
        return source.issuer(uscc) if source is not None else None

    def _owned(self, source: TrustSource, key: KeyInfo | None) -> KeyInfo | None:
        if key is None or self.origin(key.issuer_uscc) is not source:
            return None
        return key

    def key_by_kid(self, kid: bytes) -> KeyInfo | None:
        """A key, only from the source that owns its issuer."""
        for source in self._sources:
            key = self._owned(source, source.key_by_kid(kid))
            if key is not None:
                return key
        return None

    def key_by_method(self, method_id: str) -> KeyInfo | None:
        """A key a proof names, only from the source that owns its issuer."""
        for source in self._sources:
            key = self._owned(source, source.key_by_method(method_id))
            if key is not None:
                return key
        return None

    def bureaus_of(self, region: str) -> tuple[IssuerInfo, ...]:
        """The bureaus of a region from the first source that has any."""
        for source in self._sources:
            found = source.bureaus_of(region)
            if found:
                return found
        return ()

    def in_namespace(self, issuer_id: str) -> bool:
        """Does any source claim this issuer id?"""
        return any(source.in_namespace(issuer_id) for source in self._sources)

    def regions(self) -> tuple[RegionInfo, ...]:
        """The primary source's regions, then regions only imported lists name."""
        found = {region.code: region for region in self.primary.regions()}
        for source in self.lists:
            for region in source.regions():
                found.setdefault(region.code, region)
        return tuple(found.values())

    def agreements(self) -> tuple[Agreement, ...]:
        """The registry's own agreements."""
        return self.primary.agreements()

    def equivalences(self, from_region: str, to_region: str) -> tuple[Equivalence, ...]:
        """The registry's own equivalence tables."""
        return self.primary.equivalences(from_region, to_region)


class NoStatusSource:
    """A ``StatusSource`` that knows no status: every record is "could not check"."""

    def status_of(self, facts: RecordFacts, presented: Presented) -> RecordStatus | None:
        """Always ``None``."""
        return None


def with_trust_list_check(
    verification: Verification, trust_list: TrustList | None, now: datetime
) -> Verification:
    """The answer with the ``trust_list`` check of the list it rested on, if any."""
    if trust_list is None:
        return verification
    checks = [*verification.checks, freshness_check(trust_list, now)]
    return replace(verification, checks=tuple(ordered_checks(checks)))


__all__ = [
    "CompositeTrustSource",
    "NoStatusSource",
    "TrustListSource",
    "with_trust_list_check",
]

"""What issuance needs to know of its issuer (the issuer row, its signing key, its dated
scopes), kept across transactions while the authority generation stays put.

Every write to issuers, keys and scopes bumps the generation in its own transaction
(``storage.authority_generation``), so an issuance reads one integer where it read the
issuer, its key and its scopes: a key retired or a scope ended by any worker is seen by
the next issuance of every worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Engine
from sqlmodel import Session

from registry.storage.authority import ScopeRepository
from registry.storage.authority_generation import authority_generation
from registry.storage.repositories import IssuerRepository
from registry.storage.tables import IssuerRow, IssuerScopeRow, SigningKeyRow


@dataclass(frozen=True)
class IssuerFacts:
    """An issuer, its current signing key (if any) and its scopes, as read at a generation.
    The rows are detached and shared: read them, never change them."""

    generation: int
    issuer: IssuerRow
    key: SigningKeyRow | None
    scopes: tuple[IssuerScopeRow, ...]


_KNOWN: WeakKeyDictionary[Engine, dict[str, IssuerFacts]] = WeakKeyDictionary()


def issuer_facts(engine: Engine, session: Session, uscc: str) -> IssuerFacts | None:
    """The facts of the issuer with this USCC as ``session``'s transaction may rely on
    (``None`` for an unknown issuer): the ones kept for ``engine``'s store when the
    generation has not moved since, else read again.

    The generation is read before the facts: a change committed in between makes the
    facts newer than their generation, so they are read again next time, never kept stale.
    """
    generation = authority_generation(session)
    known = _KNOWN.get(engine)
    if known is None:
        known = _KNOWN.setdefault(engine, {})
    found = known.get(uscc)
    if found is not None and found.generation == generation:
        return found
    issuer, key = IssuerRepository(session).with_signing_key(uscc)
    if issuer is None or issuer.id is None:
        return None
    facts = IssuerFacts(
        generation, issuer, key, tuple(ScopeRepository(session).for_issuer(issuer.id))
    )
    known[uscc] = facts
    return facts


__all__ = ["IssuerFacts", "issuer_facts"]

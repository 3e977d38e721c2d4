"""Repositories of issuer authority and recognition: scopes, agreements, equivalences and
the append-only history of changes to them (and to issuers and keys)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, bindparam, func
from sqlmodel import Session, col, select

from registry.core.formats.ranges import fits_integer_column
from registry.storage.tables import (
    AgreementRow,
    AuthorityChangeRow,
    EquivalenceRow,
    IssuerScopeRow,
)

_SCOPE: Table = IssuerScopeRow.__table__  # type: ignore[attr-defined]
_SCOPES_OF = (  # built once: every issuance runs it
    _SCOPE.select().where(_SCOPE.c.issuer_id == bindparam("issuer_id")).order_by(_SCOPE.c.id)
)


class ScopeRepository:
    """Issuer scopes; none is ever deleted."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, scope_id: int) -> IssuerScopeRow | None:
        """The scope with this number (none past the column's range)."""
        if not fits_integer_column(scope_id):
            return None
        return self.session.get(IssuerScopeRow, scope_id)

    def for_issuer(self, issuer_id: int) -> Sequence[IssuerScopeRow]:
        """An issuer's scopes, oldest first, read for checking (detached from the session).

        Every issuance asks this, so it is one Core query: loading ORM objects cost a record
        more than the query itself."""
        result = self.session.connection().execute(_SCOPES_OF, {"issuer_id": issuer_id})
        return [IssuerScopeRow.model_construct(**row) for row in result.mappings()]

    def all(self) -> Sequence[IssuerScopeRow]:
        """Every scope, oldest first."""
        return self.session.exec(select(IssuerScopeRow).order_by(col(IssuerScopeRow.id))).all()

    def add(self, row: IssuerScopeRow) -> IssuerScopeRow:
        """Store a new scope."""
        self.session.add(row)
        self.session.flush()
        return row


class AgreementRepository:
    """Recognition agreements."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_agreement_id(self, agreement_id: str) -> AgreementRow | None:
        """The agreement with this identifier."""
        query = select(AgreementRow).where(AgreementRow.agreement_id == agreement_id)
        return self.session.exec(query).first()

    def all(self) -> Sequence[AgreementRow]:
        """Every agreement, oldest first."""
        return self.session.exec(select(AgreementRow).order_by(col(AgreementRow.id))).all()

    def add(self, row: AgreementRow) -> AgreementRow:
        """Store a new agreement."""
        self.session.add(row)
        self.session.flush()
        return row


class EquivalenceRepository:
    """Equivalence tables between regions' vocabularies."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def find(
        self, from_region: str, to_region: str, kind: str, source: str
    ) -> EquivalenceRow | None:
        """The entry for one source term, if any."""
        query = select(EquivalenceRow).where(
            EquivalenceRow.from_region == from_region,
            EquivalenceRow.to_region == to_region,
            EquivalenceRow.kind == kind,
            EquivalenceRow.source == source,
        )
        return self.session.exec(query).first()

    def all(self) -> Sequence[EquivalenceRow]:
        """Every entry, oldest first."""
        return self.session.exec(select(EquivalenceRow).order_by(col(EquivalenceRow.id))).all()

    def add(self, row: EquivalenceRow) -> EquivalenceRow:
        """Store a new entry."""
        self.session.add(row)
        self.session.flush()
        return row


class AuthorityChangeRepository:
    """The history of authority changes: appended to, never rewritten."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: AuthorityChangeRow) -> AuthorityChangeRow:
        """Record one change."""
        self.session.add(row)
        self.session.flush()
        return row

    def about(self, subject: str, subject_ref: str) -> Sequence[AuthorityChangeRow]:
        """The changes to one thing, oldest first."""
        query = (
            select(AuthorityChangeRow)
            .where(
                AuthorityChangeRow.subject == subject,
                AuthorityChangeRow.subject_ref == subject_ref,
            )
            .order_by(col(AuthorityChangeRow.id))
        )
        return self.session.exec(query).all()

    def all(self) -> Sequence[AuthorityChangeRow]:
        """Every change, oldest first."""
        query = select(AuthorityChangeRow).order_by(col(AuthorityChangeRow.id))
        return self.session.exec(query).all()


def latest_change(session: Session) -> int:
    """The number of the latest recorded authority change (0 when none): a cheap version."""
    found = session.exec(select(func.max(AuthorityChangeRow.id))).one()
    return int(found or 0)

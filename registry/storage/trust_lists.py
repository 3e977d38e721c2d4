"""Repositories of trust lists: the sequences this registry published, and the lists of
other registries it imported."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from registry.storage.tables import ImportedTrustListRow, TrustListPublicationRow


class TrustListPublicationRepository:
    """The trust lists this registry published, one row per sequence number."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def latest(self) -> TrustListPublicationRow | None:
        """The publication with the highest sequence number."""
        query = (
            select(TrustListPublicationRow)
            .order_by(col(TrustListPublicationRow.sequence).desc())
            .limit(1)
        )
        return self.session.exec(query).first()

    def add(self, row: TrustListPublicationRow) -> TrustListPublicationRow:
        """Store a new sequence (a clash with another writer raises ``IntegrityError``)."""
        self.session.add(row)
        self.session.flush()
        return row


class ImportedTrustListRepository:
    """Trust lists of other registries, one per base URL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_base_url(self, base_url: str) -> ImportedTrustListRow | None:
        """The list imported from the registry at this base URL."""
        query = select(ImportedTrustListRow).where(ImportedTrustListRow.base_url == base_url)
        return self.session.exec(query).first()

    def all(self) -> Sequence[ImportedTrustListRow]:
        """Every imported list, oldest import first."""
        query = select(ImportedTrustListRow).order_by(col(ImportedTrustListRow.id))
        return self.session.exec(query).all()

    def add(self, row: ImportedTrustListRow) -> ImportedTrustListRow:
        """Store a list (new or replacing the stored one of the same registry)."""
        self.session.add(row)
        self.session.flush()
        return row


__all__ = ["ImportedTrustListRepository", "TrustListPublicationRepository"]

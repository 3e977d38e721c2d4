"""Repository of qualification-equivalence catalogues: catalogues, their versions and items.

Versions are only ever added; nothing here updates or deletes a version or an item.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table
from sqlalchemy import insert as sa_insert
from sqlmodel import Session, col, select

from registry.core.qualifications.catalogues import CatalogueItem
from registry.storage.tables import CatalogueItemRow, CatalogueRow, CatalogueVersionRow

_ITEM: Table = CatalogueItemRow.__table__  # type: ignore[attr-defined]


def item_of(row: CatalogueItemRow) -> CatalogueItem:
    """A stored item as the domain knows it."""
    return CatalogueItem(
        item=row.item,
        foreign_qualification=row.foreign_qualification,
        awarding_body=row.awarding_body,
        country=row.country,
        series=row.mapped_series,
        level=row.mapped_level,
        specialty=row.mapped_specialty,
        industry=row.industry,
    )


class CatalogueRepository:
    """Catalogues, versions and items."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, catalogue_id: str) -> CatalogueRow | None:
        """The catalogue with this id."""
        return self.session.get(CatalogueRow, catalogue_id)

    def add(self, row: CatalogueRow) -> CatalogueRow:
        """Store a new catalogue."""
        self.session.add(row)
        self.session.flush()
        return row

    def all(self) -> Sequence[CatalogueRow]:
        """Every catalogue, by id."""
        return self.session.exec(select(CatalogueRow).order_by(col(CatalogueRow.id))).all()

    def versions(self) -> Sequence[CatalogueVersionRow]:
        """Every version of every catalogue, in the order they were imported."""
        query = select(CatalogueVersionRow).order_by(col(CatalogueVersionRow.id))
        return self.session.exec(query).all()

    def version(self, catalogue_id: str, version: str) -> CatalogueVersionRow | None:
        """One version of a catalogue."""
        query = select(CatalogueVersionRow).where(
            CatalogueVersionRow.catalogue_id == catalogue_id,
            CatalogueVersionRow.version == version,
        )
        return self.session.exec(query).first()

    def add_version(
        self, row: CatalogueVersionRow, items: Sequence[CatalogueItem]
    ) -> CatalogueVersionRow:
        """Store a new version and all its items (one multi-row INSERT)."""
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        values = [
            {
                "version_id": row.id,
                "position": position,
                "item": item.item,
                "foreign_qualification": item.foreign_qualification,
                "awarding_body": item.awarding_body,
                "country": item.country,
                "mapped_series": item.series,
                "mapped_level": item.level,
                "mapped_specialty": item.specialty,
                "industry": item.industry,
            }
            for position, item in enumerate(items, start=1)
        ]
        if values:
            self.session.connection().execute(sa_insert(_ITEM), values)
        return row

    def items(self, version_id: int) -> list[CatalogueItem]:
        """The items of a version, in the order of the imported file."""
        query = (
            select(CatalogueItemRow)
            .where(CatalogueItemRow.version_id == version_id)
            .order_by(col(CatalogueItemRow.position))
        )
        return [item_of(row) for row in self.session.exec(query).all()]

    def item(self, version_id: int, item: str) -> CatalogueItem | None:
        """One item of a version, by its item number."""
        query = select(CatalogueItemRow).where(
            CatalogueItemRow.version_id == version_id, CatalogueItemRow.item == item
        )
        found = self.session.exec(query).first()
        return item_of(found) if found is not None else None


__all__ = ["CatalogueRepository", "item_of"]

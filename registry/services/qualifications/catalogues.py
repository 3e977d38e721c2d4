"""Qualification-equivalence catalogues: import a CSV or XLSX file as a new version, and
read catalogues back.

A file is read whole, every row checked (``core.qualifications.catalogues``), and stored in one
transaction, or refused with every problem and nothing stored. An existing version is
never changed: importing the same version again is a conflict.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from registry.core.errors import (
    FieldProblem,
    RegistryError,
    conflict,
    invalid,
    not_found,
)
from registry.core.qualifications.catalogues import (
    MAX_ROWS,
    CatalogueItem,
    TableRow,
    catalogue_items,
    require_catalogue_id,
    require_version,
)
from registry.services.access.tokens import Principal, require_role
from registry.services.runtime import spreadsheets
from registry.services.runtime.context import Registry
from registry.storage.catalogues import CatalogueRepository
from registry.storage.repositories import as_utc
from registry.storage.tables import CatalogueRow, CatalogueVersionRow

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_COLUMNS = 32
MAX_LINES = 4 * MAX_ROWS  # blank lines included: a file longer than this is refused
PROGRESS_EVERY = 500
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportedVersion:
    """What an import stored."""

    catalogue: str
    version: str
    name_zh: str
    name_en: str
    item_count: int
    source_digest: str
    imported_at: datetime


@dataclass(frozen=True)
class CatalogueVersion:
    """A stored version with its items."""

    catalogue: str
    version: str
    name_zh: str
    name_en: str
    source_digest: str
    imported_at: datetime
    items: tuple[CatalogueItem, ...]


@dataclass(frozen=True)
class CatalogueSummary:
    """A catalogue and the versions it has, oldest first."""

    catalogue: str
    name_zh: str
    name_en: str
    versions: tuple[ImportedVersion, ...]


_unreadable = spreadsheets.unreadable_file(
    "CATALOGUE_FILE_UNREADABLE", "目录文件", "catalogue file"
)


def file_too_large() -> RegistryError:
    """The error for a catalogue file over ``MAX_FILE_BYTES``."""
    return spreadsheets.file_too_large(
        "CATALOGUE_FILE_TOO_LARGE", "目录文件", "catalogue file", MAX_FILE_BYTES
    )


def _too_many_rows() -> RegistryError:
    return invalid(
        "CATALOGUE_TOO_LARGE",
        f"目录条目不能超过 {MAX_ROWS} 条",
        f"a catalogue version holds at most {MAX_ROWS} items",
    )


def read_table(
    data: bytes, filename: str, progress: Progress | None = None
) -> tuple[list[str], list[TableRow]]:
    """The header and the rows of a CSV (UTF-8, BOM tolerated) or XLSX (first sheet) file.

    ``progress`` is told the number of rows read every ``PROGRESS_EVERY`` rows and at the end.
    """
    if len(data) > MAX_FILE_BYTES:
        raise file_too_large()
    source = spreadsheets.table_rows(data, filename, _unreadable, max_columns=MAX_COLUMNS)
    header: list[str] | None = None
    rows: list[TableRow] = []
    number = filled = 0
    for number, cells in enumerate(source, start=1):
        if number > MAX_LINES:
            raise _too_many_rows()
        if header is None:
            header = [cell.strip() for cell in cells[:MAX_COLUMNS]]
        elif any(cell.strip() for cell in cells):
            filled += 1
            if filled > MAX_ROWS:
                raise _too_many_rows()
            rows.append(TableRow(number, tuple(cells[:MAX_COLUMNS])))
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number)
    if progress is not None:
        progress(number)
    if header is None:
        raise invalid(
            "CATALOGUE_EMPTY", "目录文件没有任何条目", "the catalogue file holds no items"
        )
    return header, rows


def _names(
    existing: CatalogueRow | None, name_zh: str | None, name_en: str | None
) -> tuple[str, str]:
    zh = (name_zh or "").strip() or (existing.name_zh if existing else "")
    en = (name_en or "").strip() or (existing.name_en if existing else "")
    problems = []
    for pointer, value, limit in (("/nameZh", zh, 128), ("/nameEn", en, 256)):
        if not value or len(value) > limit:
            problems.append(
                FieldProblem(
                    pointer,
                    "CATALOGUE_NAME_REQUIRED",
                    f"新目录须给出名称（至多 {limit} 个字符）",
                    f"a new catalogue needs a name (at most {limit} characters)",
                )
            )
    if problems:
        raise invalid(
            "CATALOGUE_NAME_REQUIRED",
            "新目录须给出中英文名称",
            "a new catalogue needs a Chinese and an English name",
            tuple(problems),
        )
    return zh, en


def import_catalogue_version(
    registry: Registry,
    catalogue_id: str,
    version: str,
    data: bytes,
    *,
    source_name: str,
    imported_by: str,
    now: datetime,
    name_zh: str | None = None,
    name_en: str | None = None,
    progress: Progress | None = None,
) -> ImportedVersion:
    """Import a file as a new version of a catalogue (created on its first version)."""
    require_catalogue_id(catalogue_id)
    require_version(version)
    header, rows = read_table(data, source_name, progress)
    items = catalogue_items(header, rows)
    digest = hashlib.sha256(data).hexdigest()
    with registry.transaction() as session:
        catalogues = CatalogueRepository(session)
        if catalogues.version(catalogue_id, version) is not None:
            raise conflict(
                "CATALOGUE_VERSION_EXISTS",
                "该目录版本已存在，已导入的版本不能修改；请使用新的版本号",
                "this catalogue version exists and cannot be changed: use a new version",
            )
        catalogue = catalogues.get(catalogue_id)
        zh, en = _names(catalogue, name_zh, name_en)
        if catalogue is None:
            catalogue = catalogues.add(
                CatalogueRow(id=catalogue_id, name_zh=zh, name_en=en, created_at=now)
            )
        elif (catalogue.name_zh, catalogue.name_en) != (zh, en):
            catalogue.name_zh, catalogue.name_en = zh, en
            session.add(catalogue)
        catalogues.add_version(
            CatalogueVersionRow(
                catalogue_id=catalogue_id,
                version=version,
                name_zh=zh,
                name_en=en,
                item_count=len(items),
                source_name=source_name[-255:],
                source_digest=digest,
                imported_by=imported_by[:160],
                imported_at=now,
            ),
            items,
        )
    return ImportedVersion(catalogue_id, version, zh, en, len(items), digest, now)


def import_by_principal(
    registry: Registry,
    principal: Principal,
    catalogue_id: str,
    version: str,
    data: bytes,
    *,
    source_name: str,
    now: datetime,
    name_zh: str | None = None,
    name_en: str | None = None,
) -> ImportedVersion:
    """An administrator's import through the API."""
    require_role(principal, "admin")
    return import_catalogue_version(
        registry,
        catalogue_id,
        version,
        data,
        source_name=source_name,
        imported_by=f"token {principal.token_id} {principal.name}",
        now=now,
        name_zh=name_zh,
        name_en=name_en,
    )


def _imported(row: CatalogueVersionRow) -> ImportedVersion:
    imported_at = as_utc(row.imported_at)
    assert imported_at is not None
    return ImportedVersion(
        row.catalogue_id,
        row.version,
        row.name_zh,
        row.name_en,
        row.item_count,
        row.source_digest,
        imported_at,
    )


def list_catalogues(registry: Registry) -> list[CatalogueSummary]:
    """Every catalogue with its versions."""
    with registry.reading() as session:
        catalogues = CatalogueRepository(session)
        versions: dict[str, list[ImportedVersion]] = {}
        for row in catalogues.versions():
            versions.setdefault(row.catalogue_id, []).append(_imported(row))
        return [
            CatalogueSummary(row.id, row.name_zh, row.name_en, tuple(versions.get(row.id, ())))
            for row in catalogues.all()
        ]


def catalogue_version(registry: Registry, catalogue_id: str, version: str) -> CatalogueVersion:
    """One version of a catalogue with all its items."""
    with registry.reading() as session:
        catalogues = CatalogueRepository(session)
        row = catalogues.version(catalogue_id, version)
        if row is None or row.id is None:
            raise not_found(
                "CATALOGUE_VERSION_UNKNOWN", "没有该目录或版本", "no such catalogue or version"
            )
        summary = _imported(row)
        return CatalogueVersion(
            catalogue=row.catalogue_id,
            version=row.version,
            name_zh=row.name_zh,
            name_en=row.name_en,
            source_digest=row.source_digest,
            imported_at=summary.imported_at,
            items=tuple(catalogues.items(row.id)),
        )


__all__ = [
    "MAX_FILE_BYTES",
    "CatalogueSummary",
    "CatalogueVersion",
    "ImportedVersion",
    "catalogue_version",
    "file_too_large",
    "import_by_principal",
    "import_catalogue_version",
    "list_catalogues",
    "read_table",
]

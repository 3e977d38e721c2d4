"""Qualification-equivalence catalogues: administrators import versions, anyone reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from registry.core.formats.timefmt import format_instant
from registry.core.qualifications.catalogues import CatalogueItem
from registry.http.documentation import documented
from registry.http.security import admin_guard, principal_of
from registry.services.qualifications.catalogues import (
    MAX_FILE_BYTES,
    ImportedVersion,
    catalogue_version,
    import_by_principal,
    list_catalogues,
)
from registry.services.records.answers import labelled
from registry.services.runtime.context import Registry

UPLOAD_OVERHEAD = 64 * 1024  # multipart boundaries and the form fields beside the file
IMPORT_CODES = {
    409: "CATALOGUE_VERSION_EXISTS (a stored version is never replaced: use a new version)",
    413: f"BODY_TOO_LARGE, CATALOGUE_FILE_TOO_LARGE (over {MAX_FILE_BYTES // 2**20} MB)",
    422: "CATALOGUE_ROWS_INVALID (errors[].pointer is /rows/<row>/<column>, the header being "
    "row 1: CATALOGUE_COLUMN_UNKNOWN, CATALOGUE_COLUMN_MISSING, CATALOGUE_COLUMN_REPEATED, "
    "CATALOGUE_CELL_MISSING, CATALOGUE_CELL_INVALID, CATALOGUE_ITEM_INVALID, "
    "CATALOGUE_ITEM_DUPLICATE, CATALOGUE_SPECIALTY_SERIES_MISMATCH, CODE_UNKNOWN), "
    "CATALOGUE_EMPTY, CATALOGUE_TOO_LARGE, CATALOGUE_FILE_UNREADABLE, CATALOGUE_ID_INVALID, "
    "CATALOGUE_VERSION_INVALID, CATALOGUE_NAME_REQUIRED",
}


@dataclass
class CatalogueUpload:
    """``POST /api/v1/catalogues/{catalogue}/versions`` (multipart/form-data): the file
    (CSV in UTF-8 or XLSX), the new version's label and, for a new catalogue, its names."""

    file: UploadFile
    version: str
    nameZh: str | None = None  # noqa: N815
    nameEn: str | None = None  # noqa: N815


def _version_json(version: ImportedVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "name": {"zh": version.name_zh, "en": version.name_en},
        "itemCount": version.item_count,
        "sourceDigest": version.source_digest,
        "importedAt": format_instant(version.imported_at),
    }


def _item_json(item: CatalogueItem) -> dict[str, Any]:
    return {
        "item": item.item,
        "foreignQualification": item.foreign_qualification,
        "awardingBody": item.awarding_body,
        "country": item.country,
        "mappedSeries": labelled("title-series", item.series),
        "mappedLevel": labelled("title-levels", item.level),
        "mappedSpecialty": labelled("specialties", item.specialty) if item.specialty else None,
        "industry": labelled("industries", item.industry),
    }


class CatalogueController(Controller):
    """``/api/v1/catalogues``: the versioned catalogues equivalence records name."""

    path = "/api/v1/catalogues"
    tags = ["catalogues"]  # noqa: RUF012

    @post(
        "/{catalogue:str}/versions",
        guards=[admin_guard],
        sync_to_thread=True,
        status_code=201,
        request_max_body_size=MAX_FILE_BYTES + UPLOAD_OVERHEAD,
        responses=documented(400, 401, 403, 409, 413, 422, codes=IMPORT_CODES),
    )
    def import_version(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        catalogue: FromPath[str],
        data: Annotated[CatalogueUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[dict[str, Any]]:
        """Import a CSV or XLSX file as a new version (admin token); a file with any bad row
        is refused whole, each problem pointing at ``/rows/<row>/<column>``."""
        content = data.file.file.read(MAX_FILE_BYTES + 1)
        imported = import_by_principal(
            registry,
            principal_of(request),
            catalogue,
            data.version.strip(),
            content,
            source_name=data.file.filename or "upload",
            now=datetime.now(UTC),
            name_zh=data.nameZh,
            name_en=data.nameEn,
        )
        return Response(
            {"catalogue": imported.catalogue, **_version_json(imported)}, status_code=201
        )

    @get("", sync_to_thread=True)
    def catalogues(self, registry: NamedDependency[Registry]) -> dict[str, Any]:
        """Every catalogue with its versions (public)."""
        return {
            "catalogues": [
                {
                    "id": summary.catalogue,
                    "name": {"zh": summary.name_zh, "en": summary.name_en},
                    "versions": [_version_json(version) for version in summary.versions],
                }
                for summary in list_catalogues(registry)
            ]
        }

    @get(
        "/{catalogue:str}/versions/{version:str}",
        sync_to_thread=True,
        responses=documented(404, codes={404: "CATALOGUE_VERSION_UNKNOWN"}, parameters=True),
    )
    def version(
        self,
        registry: NamedDependency[Registry],
        catalogue: FromPath[str],
        version: FromPath[str],
    ) -> dict[str, Any]:
        """One version of a catalogue with every item (public)."""
        found = catalogue_version(registry, catalogue, version)
        return {
            "catalogue": found.catalogue,
            "version": found.version,
            "name": {"zh": found.name_zh, "en": found.name_en},
            "sourceDigest": found.source_digest,
            "importedAt": format_instant(found.imported_at),
            "items": [_item_json(item) for item in found.items],
        }

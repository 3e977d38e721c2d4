"""The issuance rule of equivalence records that needs the store: the record must name an
item of a stored catalogue version, and map it to the series, level and specialty the item
maps it to. Registered in ``services.issuance.record_rules``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from registry.core.errors import FieldProblem, RegistryError, invalid
from registry.core.recordtypes.equivalence import POINTER as EQUIVALENCE_POINTER
from registry.core.recordtypes.equivalence import SUBJECT_KEY as EQUIVALENCE_KEY
from registry.services.runtime.context import Registry
from registry.storage.catalogues import CatalogueRepository
from registry.storage.tables import CredentialRow, IssuerRow


def check_equivalence_item(
    session: Session,
    registry: Registry,
    issuer: IssuerRow,
    credential: Mapping[str, Any],
    amending: CredentialRow | None,
) -> None:
    """An equivalence record must name an item of a stored catalogue version and map it
    exactly as the item does (an issuance rule of ``services.issuance.record_rules``)."""
    block = credential["credentialSubject"][EQUIVALENCE_KEY]
    catalogues = CatalogueRepository(session)
    if catalogues.get(str(block["catalogue"])) is None:
        raise _refused(
            "catalogue",
            "CATALOGUE_UNKNOWN",
            "比照认定目录未登记",
            "no such catalogue is registered",
        )
    version = catalogues.version(str(block["catalogue"]), str(block["catalogueVersion"]))
    if version is None or version.id is None:
        raise _refused(
            "catalogueVersion",
            "CATALOGUE_VERSION_UNKNOWN",
            "该目录没有这个版本",
            "the catalogue has no such version",
        )
    item = catalogues.item(version.id, str(block["item"]))
    if item is None:
        raise _refused(
            "item",
            "CATALOGUE_ITEM_UNKNOWN",
            f"目录 {version.catalogue_id} 第 {version.version} 版中没有该条目",
            f"catalogue {version.catalogue_id} version {version.version} has no such item",
        )
    problems = tuple(
        FieldProblem(
            f"{EQUIVALENCE_POINTER}/{name}",
            "EQUIVALENCE_MAPPING_MISMATCH",
            f"与目录条目不一致：条目为“{expected or '（无）'}”",
            f"differs from the catalogue item, which says {expected or 'none'!r}",
        )
        for name, stated, expected in (
            ("mappedSeries", block.get("mappedSeries"), item.series),
            ("mappedLevel", block.get("mappedLevel"), item.level),
            ("mappedSpecialty", block.get("mappedSpecialty"), item.specialty),
        )
        if stated != expected
    )
    if problems:
        raise invalid(
            "EQUIVALENCE_MAPPING_MISMATCH",
            "对应的职称系列、级别或专业与目录条目不一致",
            "the mapped series, level or specialty differ from the catalogue item",
            problems,
        )


def _refused(field: str, code: str, zh: str, en: str) -> RegistryError:
    pointer = f"{EQUIVALENCE_POINTER}/{field}"
    return invalid(code, zh, en, (FieldProblem(pointer, code, zh, en),))


__all__ = ["check_equivalence_item"]

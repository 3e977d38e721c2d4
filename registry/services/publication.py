"""Public documents: the issuer list, issuer controller documents, schemas, context and
code lists, so that identifiers and schemas named in credentials resolve here."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from registry.core.codes import code_list
from registry.core.errors import not_found
from registry.core.resources import schemas_dir
from registry.core.timefmt import format_instant
from registry.services.context import Registry
from registry.services.directory import method_id
from registry.storage.repositories import IssuerRepository, SigningKeyRepository, as_utc
from registry.storage.tables import IssuerRow, SigningKeyRow

SCHEMA_FILE = re.compile(r"v[0-9]{1,3}\.schema\.json")
CID_CONTEXT = "https://www.w3.org/ns/cid/v1"
CODE_LISTS = (
    "record-types",
    "title-series",
    "title-levels",
    "title-names",
    "specialties",
    "obtained-by",
    "divisions",
)


def _method(registry: Registry, issuer: IssuerRow, key: SigningKeyRow) -> dict[str, Any]:
    method: dict[str, Any] = {
        "id": method_id(registry.urls, issuer.uscc, key.kid),
        "type": "Multikey",
        "controller": registry.urls.issuer(issuer.uscc),
        "publicKeyMultibase": key.public_multikey,
        "state": key.state,
        "validFrom": format_instant(as_utc(key.valid_from) or key.valid_from),
    }
    if key.valid_until is not None:
        method["validUntil"] = format_instant(as_utc(key.valid_until) or key.valid_until)
    return method


def issuer_list(registry: Registry) -> list[dict[str, Any]]:
    """Every issuer with its id, names, region and keys."""
    with registry.reading() as session:
        keys = SigningKeyRepository(session)
        result = []
        for row in IssuerRepository(session).all():
            assert row.id is not None
            result.append(
                {
                    "id": registry.urls.issuer(row.uscc),
                    "uscc": row.uscc,
                    "name": {"zh": row.name_zh, "en": row.name_en},
                    "region": row.region_code,
                    "kind": row.kind,
                    "recordTypes": list(row.record_types),
                    "keys": [_method(registry, row, key) for key in keys.for_issuer(row.id)],
                }
            )
        return result


def controller_document(registry: Registry, uscc: str) -> dict[str, Any]:
    """An issuer's controller document: its Multikey verification methods."""
    with registry.reading() as session:
        row = IssuerRepository(session).by_uscc(uscc)
        if row is None or row.id is None:
            raise not_found("ISSUER_UNKNOWN", "签发机构未登记", "no such issuer")
        methods = [
            _method(registry, row, key) for key in SigningKeyRepository(session).for_issuer(row.id)
        ]
    active = [m["id"] for m in methods if m["state"] == "active"]
    return {
        "@context": [CID_CONTEXT],
        "id": registry.urls.issuer(uscc),
        "name": {"zh": row.name_zh, "en": row.name_en},
        "verificationMethod": methods,
        "assertionMethod": active,
    }


def schema_file(record_type: str, version_file: str) -> dict[str, Any]:
    """A published JSON Schema, by record type and file name (``v1.schema.json``)."""
    if record_type not in code_list("record-types") or not SCHEMA_FILE.fullmatch(version_file):
        raise not_found("SCHEMA_UNKNOWN", "模式不存在", "no such schema")
    path = schemas_dir() / record_type / version_file
    if not path.is_file():
        raise not_found("SCHEMA_UNKNOWN", "模式不存在", "no such schema")
    return _json(str(path))


def context_document() -> dict[str, Any]:
    """The project's JSON-LD context."""
    return _json(str(schemas_dir() / "context" / "v1.jsonld"))


def code_lists() -> dict[str, Any]:
    """Every code list with Chinese and English labels."""
    return {name: _json(str(schemas_dir() / "codes" / f"{name}.json")) for name in CODE_LISTS}


@cache
def _json(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    return document

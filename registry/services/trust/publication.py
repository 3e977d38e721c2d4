"""Public documents: the issuer list, issuer controller documents, schemas, context and
code lists, so that identifiers and schemas named in credentials resolve here."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from typing import Any

from registry.core.codes import CODE_LIST_NAMES, code_list
from registry.core.errors import not_found
from registry.core.formats.jsonld import CID_V1_CONTEXT
from registry.core.formats.timefmt import format_instant
from registry.core.recordtypes import RECORD_TYPES, field_labels
from registry.core.resources import schemas_dir
from registry.services.runtime.context import Registry
from registry.services.trust.directory import method_id
from registry.storage.repositories import IssuerRepository, SigningKeyRepository, as_utc
from registry.storage.tables import IssuerRow, SigningKeyRow

SCHEMA_FILE = re.compile(r"v[0-9]{1,3}\.schema\.json")
_XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
# The terms of a controller document that the CID context does not define: the issuer's
# name in two languages and each key's state and validity. Embedded rather than added to
# the registry's own context, which credentials share: their contexts protect ``name`` and
# define ``validFrom``/``validUntil`` for credentials.
CONTROLLER_TERMS: dict[str, Any] = {
    "name": {"@id": "https://schema.org/name", "@container": "@language"},
    "state": "https://w3id.org/yrd-talent#keyState",
    "validFrom": {"@id": "https://w3id.org/yrd-talent#keyValidFrom", "@type": _XSD_DATETIME},
    "validUntil": {"@id": "https://w3id.org/yrd-talent#keyValidUntil", "@type": _XSD_DATETIME},
}
DOCUMENT_SCHEMAS = ("trust-list",)  # schemas of documents that are not records
CODE_LISTS = CODE_LIST_NAMES  # every list a credential or an answer uses is published


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
        "@context": [CID_V1_CONTEXT, copy.deepcopy(CONTROLLER_TERMS)],
        "id": registry.urls.issuer(uscc),
        "name": {"zh": row.name_zh, "en": row.name_en},
        "verificationMethod": methods,
        "assertionMethod": active,
    }


def schema_file(record_type: str, version_file: str) -> dict[str, Any]:
    """A published JSON Schema, by record type (or document, such as ``trust-list``) and
    file name (``v1.schema.json``)."""
    known = record_type in code_list("record-types") or record_type in DOCUMENT_SCHEMAS
    if not known or not SCHEMA_FILE.fullmatch(version_file):
        raise not_found("SCHEMA_UNKNOWN", "模式不存在", "no such schema")
    path = schemas_dir() / record_type / version_file
    if not path.is_file():
        raise not_found("SCHEMA_UNKNOWN", "模式不存在", "no such schema")
    return _json(str(path))


def schema_index(registry: Registry) -> list[dict[str, Any]]:
    """Every record type with its schema, the key of its block in ``credentialSubject``
    and which of its fields are public (QR and page) and which partner-only."""
    index = []
    for spec in RECORD_TYPES.values():
        entry = code_list("record-types").by_code(spec.name)
        index.append(
            {
                "type": spec.name,
                "name": {"zh": entry.zh, "en": entry.en},
                "version": spec.schema_version,
                "schema": registry.urls.schema(spec.name),
                "subjectKey": spec.subject_key,
                "publicFields": list(spec.public_fields),
                "partnerFields": [*spec.holder_partner_fields, *spec.partner_fields],
                "labels": field_labels(spec),
            }
        )
    return index


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

"""The record types the registry issues, one module each, and the registry of their specs.

Each type module defines a frozen facts dataclass (a ``RecordDetails``: the type's public
facts, codes not labels) and a ``RecordTypeSpec`` (see ``base``): its credential type name,
the ``credentialSubject`` key of its block, which block fields are public (Q/P) and which
partner-only (A), labels, code lists, QR encode/decode and a pure consistency check.

To add a type:

1. write ``schemas/<Type>/v1.schema.json`` (with a complete issuance request in
   ``examples``), its entry in ``schemas/codes/record-types.json`` and any new code lists
   (listed in ``registry.core.codes.CODE_LIST_NAMES``), and its terms in
   ``schemas/context/v1.jsonld``;
2. write ``registry/core/recordtypes/<module>.py``: the facts dataclass, ``read``/``write``
   of the public block fields, QR ``encode``/``decode`` using record-map keys from
   ``FIRST_TYPE_KEY`` (16) upward (keys 0, 1 and 8 are the common type, masked name and
   status index; 2-10 belong to titles), ``check``, and the spec;
3. add the spec to ``RECORD_TYPES`` below (one line);
4. rules that need the database go in ``registry/services/issuance/record_rules.py``.

Nothing else needs to change: issuance, the QR, answers, the verify page and the partner
API are driven by the spec.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from registry.core.codes import Code, code_list
from registry.core.errors import invalid
from registry.core.recordtypes.base import (
    FIRST_TYPE_KEY,
    HOLDER_LABELS,
    SCHEMA_VERSION,
    RecordDetails,
    RecordTypeSpec,
    labelled,
)
from registry.core.recordtypes.continuing_education import CONTINUING_EDUCATION_SPEC
from registry.core.recordtypes.equivalence import QUALIFICATION_EQUIVALENCE_SPEC
from registry.core.recordtypes.postdoc import POSTDOC_SPEC
from registry.core.recordtypes.recommendation import RECOMMENDATION_SPEC
from registry.core.recordtypes.residence import RESIDENCE_SPEC
from registry.core.recordtypes.title import JOINT_TITLE_SPEC, TITLE_SPEC
from registry.core.recordtypes.vocational import VOCATIONAL_QUALIFICATION_SPEC

RECORD_TYPES: dict[str, RecordTypeSpec[Any]] = {
    spec.name: spec
    for spec in (
        TITLE_SPEC,
        JOINT_TITLE_SPEC,
        RESIDENCE_SPEC,
        RECOMMENDATION_SPEC,
        POSTDOC_SPEC,
        VOCATIONAL_QUALIFICATION_SPEC,
        CONTINUING_EDUCATION_SPEC,
        QUALIFICATION_EQUIVALENCE_SPEC,
    )
}


def spec_of(record_type: str) -> RecordTypeSpec[Any]:
    """The spec of a record type; ``RECORD_TYPE_UNKNOWN`` if the registry has none."""
    spec = RECORD_TYPES.get(record_type)
    if spec is None:
        raise invalid(
            "RECORD_TYPE_UNKNOWN", "不是本登记系统的记录类型", "not a record type of this registry"
        )
    return spec


def public_details(spec: RecordTypeSpec[Any], subject: Mapping[str, Any]) -> RecordDetails:
    """The public facts of a (schema-valid) credential subject.

    Only the block's public fields are handed to the type's ``read``: the allow-list.
    """
    block = subject[spec.subject_key]
    allowed = {name: block[name] for name in spec.public_fields if name in block}
    details: RecordDetails = spec.read(allowed)
    return details


def _expand(spec: RecordTypeSpec[Any], name: str, value: Any) -> Any:
    list_name = spec.code_fields.get(name)
    if list_name is None:
        return value
    if isinstance(value, list):
        return [labelled(list_name, str(code)) for code in value]
    return labelled(list_name, str(value))


def public_view(spec: RecordTypeSpec[Any], details: RecordDetails) -> dict[str, Any]:
    """The public facts as answers show them: codes expanded to zh/en labels."""
    written = spec.write(details)
    view: dict[str, Any] = {}
    for name in spec.public_fields:
        if name not in written:
            continue
        value = written[name]
        list_name = spec.code_fields.get(name)
        if list_name is None:
            view[name] = value
            continue
        codes = code_list(list_name)
        if isinstance(value, list):
            view[name] = [_entry_view(codes.by_code(str(code))) for code in value]
        else:
            view[name] = _entry_view(codes.by_code(str(value)))
    return view


def _entry_view(entry: Code) -> dict[str, str]:
    """A code with its labels, as ``labelled`` gives it."""
    return {"code": entry.code, "zh": entry.zh, "en": entry.en}


def partner_view(spec: RecordTypeSpec[Any], subject: Mapping[str, Any]) -> dict[str, Any]:
    """What the partner API adds from the stored credential: the block's partner (A)
    fields and the holder's partner fields, codes expanded. The stored credential carries
    numbers only in masked form, and ``idNumber`` is never listed."""
    block = subject.get(spec.subject_key) or {}
    body: dict[str, Any] = {
        name: _expand(spec, name, subject[name])
        for name in spec.holder_partner_fields
        if name in subject and name != "idNumber"
    }
    body[spec.subject_key] = {
        name: _expand(spec, name, block[name]) for name in spec.partner_fields if name in block
    }
    return body


def field_labels(spec: RecordTypeSpec[Any]) -> dict[str, dict[str, str]]:
    """The zh/en label of each public and partner field and of the holder's fields."""
    labels = {**HOLDER_LABELS, **spec.labels}
    return {name: {"zh": zh, "en": en} for name, (zh, en) in labels.items()}


def public_labels(spec: RecordTypeSpec[Any], fields: Iterable[str]) -> dict[str, dict[str, str]]:
    """``field_labels`` of these fields only (those a public view shows), each a new dict."""
    shown: dict[str, dict[str, str]] = {}
    for name in fields:
        zh, en = spec.labels[name] if name in spec.labels else HOLDER_LABELS[name]
        shown[name] = {"zh": zh, "en": en}
    return shown


__all__ = [
    "FIRST_TYPE_KEY",
    "RECORD_TYPES",
    "SCHEMA_VERSION",
    "RecordDetails",
    "RecordTypeSpec",
    "field_labels",
    "partner_view",
    "public_details",
    "public_labels",
    "public_view",
    "spec_of",
]

"""Each record type's JSON Schema, published as an OpenAPI component, so that a client
generator or a fuzzer can build a valid issuance request from the API description alone.

A credential field of a request body is annotated ``Credential``: the body is still
decoded as a JSON object, and the OpenAPI document describes it as one of the record
types' schemas (``schemas/<Type>/v1.schema.json``, with their examples). Each schema's
``$defs`` become components of their own (``<Type>_<name>``) and every ``$ref`` points
inside the document, so nothing outside it is needed to read it.
"""

from __future__ import annotations

import copy
from dataclasses import fields
from functools import cache
from typing import Annotated, Any

import msgspec
from litestar.openapi.spec import Reference, Schema
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition

from registry.core.records.schemas import schema_document
from registry.core.recordtypes import RECORD_TYPES

COMPONENTS = "#/components/schemas/"
CREDENTIAL_REQUEST = "CredentialRequest"
# JSON Schema keywords that locate a schema rather than describe it: an embedded schema
# takes its place in the OpenAPI document, so it keeps neither.
DROPPED = ("$schema", "$id", "$defs")


class _CredentialMarker:
    """What marks a request field as a credential of one of the record types."""


CREDENTIAL_MARKER = _CredentialMarker()
Credential = Annotated[dict[str, Any], CREDENTIAL_MARKER]
"""A credential without proof, as an issuance request carries it (a JSON object)."""
CredentialItem = Annotated[Any, CREDENTIAL_MARKER]
"""An item of a batch: documented as a credential, decoded as any JSON value, so that a
malformed item is refused on its own and never fails the others."""


def _rewritten(node: Any, prefix: str) -> Any:
    """The schema with each local ``#/$defs/<name>`` reference pointing at its component."""
    if isinstance(node, dict):
        return {
            key: (
                COMPONENTS + prefix + value.removeprefix("#/$defs/")
                if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/")
                else _rewritten(value, prefix)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewritten(value, prefix) for value in node]
    return node


@cache
def credential_components() -> dict[str, dict[str, Any]]:
    """Every component the record types need, by name: each type's schema (its
    ``examples`` kept) and its definitions, and ``CredentialRequest``, one of them."""
    found: dict[str, dict[str, Any]] = {}
    for record_type in RECORD_TYPES:
        document = copy.deepcopy(schema_document(record_type))
        prefix = f"{record_type}_"
        for name, definition in document.get("$defs", {}).items():
            found[prefix + name] = _rewritten(definition, prefix)
        found[record_type] = _rewritten(
            {key: value for key, value in document.items() if key not in DROPPED}, prefix
        )
    found[CREDENTIAL_REQUEST] = {
        "title": "CredentialRequest",
        "description": "A credential without proof, of one of the record types (each type's "
        "JSON Schema, as GET /api/v1/schemas lists them; 其类型的 JSON Schema).",
        "oneOf": [{"$ref": COMPONENTS + record_type} for record_type in RECORD_TYPES],
    }
    return found


def _schema_keys() -> dict[str, str]:
    """Litestar's ``Schema`` attribute for each JSON Schema keyword."""
    return {item.metadata.get("alias", item.name): item.name for item in fields(Schema)}


def _fill(schema: Schema, document: dict[str, Any]) -> None:
    keys = _schema_keys()
    for keyword, value in document.items():
        setattr(schema, keys[keyword], value)  # nested values stay plain JSON


class _Component:
    """A stand-in type naming one component in Litestar's schema registry."""


def _component_field(name: str) -> FieldDefinition:
    stand_in = type(name, (_Component,), {"__module__": __name__, "__qualname__": name})
    return FieldDefinition.from_annotation(stand_in)


@cache
def _component_fields() -> dict[str, FieldDefinition]:
    return {name: _component_field(name) for name in credential_components()}


class CredentialSchemas(OpenAPISchemaPlugin):
    """Describes every ``Credential`` field as a reference to ``CredentialRequest`` and
    registers the record types' schemas as components the first time one is met."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        """A field annotated ``Credential``."""
        return any(item is CREDENTIAL_MARKER for item in field_definition.metadata)

    def to_openapi_schema(
        self,
        field_definition: FieldDefinition,
        schema_creator: Any,
    ) -> Schema:
        """The field's schema: one of the record types (registered as components)."""
        registry = schema_creator.schema_registry
        for name, document in credential_components().items():
            field = _component_fields()[name]
            if registry.get_reference_for_field_definition(field) is None:
                _fill(registry.get_schema_for_field_definition(field), document)
        return Schema(all_of=[Reference(COMPONENTS + CREDENTIAL_REQUEST)])


class ClosedStructs(OpenAPISchemaPlugin):
    """A request body that refuses unknown fields (``forbid_unknown_fields``) says so in
    the document (``additionalProperties: false``), so a generator never adds one."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        """A msgspec Struct type that forbids unknown fields."""
        annotation = field_definition.annotation
        return (
            isinstance(annotation, type)
            and issubclass(annotation, msgspec.Struct)
            and bool(annotation.__struct_config__.forbid_unknown_fields)
        )

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        """Litestar's own schema of the Struct, closed."""
        builtin = next(
            plugin
            for plugin in schema_creator.plugins
            if not isinstance(plugin, ClosedStructs | CredentialSchemas)
            and (
                plugin.is_plugin_supported_field(field_definition)
                if hasattr(plugin, "is_plugin_supported_field")
                else plugin.is_plugin_supported_type(field_definition.annotation)
            )
        )
        schema: Schema = builtin.to_openapi_schema(field_definition, schema_creator)
        schema.additional_properties = False
        return schema


__all__ = [
    "CREDENTIAL_REQUEST",
    "ClosedStructs",
    "Credential",
    "CredentialItem",
    "CredentialSchemas",
    "credential_components",
]

"""JSON Schema validation of credentials, answering each failure with its JSON pointer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from registry.core.errors import FieldProblem, invalid
from registry.core.resources import schemas_dir

SCHEMA_FILE = "v1.schema.json"


@cache
def schema_document(record_type: str) -> dict[str, Any]:
    """The JSON Schema of a record type, as published."""
    path = schemas_dir() / record_type / SCHEMA_FILE
    if not path.is_file():
        raise invalid(
            "SCHEMA_UNKNOWN", "没有该记录类型的模式", "no schema is known for this record type"
        )
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


@cache
def _validator(record_type: str) -> Draft202012Validator:
    return Draft202012Validator(schema_document(record_type), format_checker=FormatChecker())


def _pointer(path: Any) -> str:
    parts = [str(part).replace("~", "~0").replace("/", "~1") for part in path]
    return "/" + "/".join(parts) if parts else ""


def schema_problems(record_type: str, document: Mapping[str, Any]) -> tuple[FieldProblem, ...]:
    """Every place where ``document`` breaks its type's schema (empty when valid).

    Messages name the field and the rule, never the value: a bad ID number must not be
    echoed back.
    """
    problems = []
    for error in sorted(_validator(record_type).iter_errors(document), key=lambda e: list(e.path)):
        pointer = _pointer(error.absolute_path)
        rule = str(error.validator)
        if rule == "additionalProperties":
            extra = sorted(
                set(error.instance) - set(error.schema.get("properties", {}))
                if isinstance(error.instance, Mapping)
                else []
            )
            for name in extra:
                problems.append(
                    FieldProblem(
                        f"{pointer}/{name}",
                        "FIELD_UNKNOWN",
                        "不允许的字段",
                        "field not allowed",
                    )
                )
            continue
        if rule == "required":
            missing = [n for n in error.validator_value if n not in error.instance]
            for name in missing:
                problems.append(
                    FieldProblem(
                        f"{pointer}/{name}",
                        "FIELD_MISSING",
                        "缺少必填字段",
                        "required field missing",
                    )
                )
            continue
        problems.append(
            FieldProblem(
                pointer,
                "FIELD_INVALID",
                f"字段值不符合规则 {rule}",
                f"field value breaks the '{rule}' rule",
            )
        )
    return tuple(problems)


def require_schema(record_type: str, document: Mapping[str, Any]) -> None:
    """Raise ``CREDENTIAL_SCHEMA_INVALID`` with every field problem, or return."""
    problems = schema_problems(record_type, document)
    if problems:
        raise invalid(
            "CREDENTIAL_SCHEMA_INVALID",
            "凭证内容不符合其类型的模式",
            "the credential does not match its type's schema",
            problems,
        )

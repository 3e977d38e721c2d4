"""JSON Schema validation of credentials, answering each failure with its JSON pointer."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker

from registry.core.errors import FieldProblem, invalid
from registry.core.resources import schemas_dir

SCHEMA_FILE = "v1.schema.json"
MAX_ALLOWED_SHOWN = 40  # allowed values a refusal lists before "… and N more"
EXPECTED_FORMS: Mapping[str, tuple[str, str]] = {
    "date": ("日期 YYYY-MM-DD（如 2026-11-20）", "a date YYYY-MM-DD (such as 2026-11-20)"),
    "date-time": (
        "带时区的时间（如 2026-11-20T00:00:00+08:00）",
        "a date and time with its offset (such as 2026-11-20T00:00:00+08:00)",
    ),
}


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


@cache
def _fast_validator(record_type: str) -> jsonschema_rs.Draft202012Validator:
    """The same schema compiled by ``jsonschema-rs``, formats asserted: only ever asked
    whether a document is valid (about a hundred times faster than ``jsonschema``)."""
    return jsonschema_rs.Draft202012Validator(schema_document(record_type), validate_formats=True)


_JSON_LEAVES = (str, int, float, bool, type(None))


def _plain_json(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` is made of JSON's own types only (``jsonschema-rs`` reads a
    tuple as an array, where ``jsonschema`` refuses it)."""
    stack: list[Any] = [document]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            if not all(type(key) is str for key in item):
                return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind not in _JSON_LEAVES:
            return False
    return True


def _surely_valid(record_type: str, document: Mapping[str, Any]) -> bool:
    """Whether ``jsonschema-rs`` finds ``document`` valid. On plain JSON it is at least as
    strict as ``jsonschema`` with these schemas (it asserts ``date-time`` too; its ECMA-262
    patterns read ``\\d`` and ``\\w`` as ASCII, and ``$`` never matches before a final
    newline), so a document it accepts has no problem to report; anything else goes to
    ``jsonschema``, which names the problems (``tests/core/test_schema_agreement.py``
    holds the two to this)."""
    if not _plain_json(document):
        return False
    try:
        return bool(_fast_validator(record_type).is_valid(document))
    except (ValueError, TypeError, OverflowError):
        return False


def _pointer(path: Any) -> str:
    parts = [str(part).replace("~", "~0").replace("/", "~1") for part in path]
    return "/" + "/".join(parts) if parts else ""


def schema_problems(record_type: str, document: Mapping[str, Any]) -> tuple[FieldProblem, ...]:
    """Every place where ``document`` breaks its type's schema (empty when valid).

    Messages name the field and the rule, never the value: a bad ID number must not be
    echoed back.
    """
    if _surely_valid(record_type, document):
        return ()
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
        problem = _rule_problem(pointer, rule, error.validator_value, error.schema)
        if problem not in problems:  # a date breaks its format and its pattern: say it once
            problems.append(problem)
    return tuple(problems)


def allowed_values(values: Sequence[Any], limit: int = MAX_ALLOWED_SHOWN) -> tuple[str, str]:
    """The allowed values of a code-list field, as a refusal lists them (the first
    ``limit`` and how many more, the full lists being at ``/api/v1/codes``)."""
    shown = [str(value) for value in values[:limit]]
    more = len(values) - len(shown)
    zh, en = "、".join(shown), ", ".join(shown)
    if more > 0:
        zh += f" 等（另有 {more} 项，完整代码表见 /api/v1/codes）"
        en += f", … ({more} more; every code list is at /api/v1/codes)"
    return zh, en


def _rule_problem(pointer: str, rule: str, value: Any, node: Any) -> FieldProblem:
    """A broken rule, saying what is allowed where the rule can tell it (never what was
    given: an ID number must not be echoed back)."""
    if rule == "enum" and isinstance(value, Sequence) and not isinstance(value, str):
        zh, en = allowed_values(value)
        return FieldProblem(
            pointer,
            "FIELD_INVALID",
            f"不是允许的值；允许：{zh}",
            f"not an allowed value; allowed: {en}",
        )
    form = node.get("format") if isinstance(node, Mapping) else None
    if rule in ("format", "pattern") and form in EXPECTED_FORMS:
        zh, en = EXPECTED_FORMS[str(form)]
        return FieldProblem(
            pointer, "FIELD_INVALID", f"格式不对，应为 {zh}", f"wrong form: expected {en}"
        )
    return FieldProblem(
        pointer,
        "FIELD_INVALID",
        f"字段值不符合规则 {rule}",
        f"field value breaks the '{rule}' rule",
    )


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

"""RFC 8785 JSON Canonicalization Scheme (JCS), the byte form that proofs sign.

Two parties that hold the same JSON value get the same bytes, whatever key order or
number spelling their documents used.

Most values the registry signs (credentials, proofs, trust lists) hold only strings,
safe integers, booleans and nulls under ASCII keys. For those, JCS and Python's own C
JSON encoder (sorted keys, no spaces, no ASCII escaping) write the same bytes: both
escape only ``"``, ``\\`` and control characters, in the same spellings, and ASCII keys
sort the same by UTF-16 code units as by code points. Such values take that encoder;
anything else (a float, a non-ASCII key, a lone surrogate, an unknown type) goes to the
``rfc8785`` reference implementation. A test compares the two on random documents.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import rfc8785

from registry.core.errors import RegistryError, malformed

_SAFE_INTEGER = 2**53 - 1
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
)


class _ReferenceNeededError(Exception):
    """The value holds something only the reference implementation may write."""


def json_copy(value: object) -> Any:
    """A deep copy of a JSON value as plain dicts and lists (mappings and tuples included):
    ``copy.deepcopy`` without its memo, several times faster on a credential."""
    if isinstance(value, Mapping):
        return {key: json_copy(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_copy(item) for item in value]
    return value


def _simple(value: object) -> Any:
    """``value`` as plain dicts and lists, or ``_ReferenceNeededError`` if the fast encoder
    could write it differently from JCS."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if kind is int:
        if -_SAFE_INTEGER <= value <= _SAFE_INTEGER:  # type: ignore[operator]
            return value
        raise _ReferenceNeededError
    if isinstance(value, Mapping):
        plain = {}
        for key, item in value.items():
            if type(key) is not str or not key.isascii():
                raise _ReferenceNeededError
            plain[key] = _simple(item)
        return plain
    if kind is list or kind is tuple:
        return [_simple(item) for item in value]  # type: ignore[attr-defined]
    raise _ReferenceNeededError


def _fast(value: object) -> bytes | None:
    """The JCS bytes through the C encoder, or None where only the reference may say."""
    try:
        return _ENCODER.encode(_simple(value)).encode("utf-8")
    except (_ReferenceNeededError, UnicodeEncodeError):  # lone surrogates fail the encode
        return None


def reference_canonical_json(value: object) -> bytes:
    """The JCS bytes written by the ``rfc8785`` reference implementation alone."""
    return bytes(rfc8785.dumps(json_copy(value)))


def canonical_json(value: object) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value.

    Values JCS cannot represent (NaN, infinities, integers beyond ±(2**53 − 1), non-string
    keys, lone surrogates, non-JSON types) raise ``JSON_NOT_CANONICALIZABLE``.
    """
    try:
        fast = _fast(value)
        return fast if fast is not None else reference_canonical_json(value)
    except (rfc8785.CanonicalizationError, RecursionError) as error:
        raise malformed(
            "JSON_NOT_CANONICALIZABLE",
            "该 JSON 值无法按 RFC 8785 规范化（如 NaN、非字符串键或超出 2^53 的整数）",
            "The JSON value cannot be canonicalised under RFC 8785 "
            "(for example NaN, a non-string key or an integer beyond 2^53)",
        ) from error


MAX_JSON_DEPTH = 32


def require_shallow(value: object, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` (checked without recursion).

    Canonicalisation and schema validation recurse; a hostile document must not reach them.
    """
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                raise too_deep()
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def too_deep() -> RegistryError:
    """The error for JSON nested past the limit."""
    return malformed(
        "JSON_TOO_DEEP",
        f"JSON 嵌套超过 {MAX_JSON_DEPTH} 层",
        f"the JSON is nested deeper than {MAX_JSON_DEPTH} levels",
    )

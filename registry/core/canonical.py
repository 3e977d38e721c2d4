"""RFC 8785 JSON Canonicalization Scheme (JCS), the byte form that proofs sign.

Two parties that hold the same JSON value get the same bytes, whatever key order or
number spelling their documents used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import rfc8785

from registry.core.errors import RegistryError, malformed


def _plain(value: object) -> Any:
    """Turn mappings and tuples that ``rfc8785`` does not take into dicts and lists."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def canonical_json(value: object) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value.

    Values JCS cannot represent (NaN, infinities, integers beyond ±(2**53 − 1), non-string
    keys, lone surrogates, non-JSON types) raise ``JSON_NOT_CANONICALIZABLE``.
    """
    try:
        return bytes(rfc8785.dumps(_plain(value)))
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

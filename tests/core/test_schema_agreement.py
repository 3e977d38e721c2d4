"""The compiled validity check (``jsonschema-rs``) never accepts what ``jsonschema`` refuses:
every demo request of every record type, and thousands of damaged copies of them, get the
same problems with the fast check as without it."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

import registry.core.records.schemas as schemas
from registry.core.records.credential import record_type_of
from registry.demo.data import DEMO_RECORDS

REQUESTS = [record.issuance_request() for record in DEMO_RECORDS]
# values that break a pattern, a format, a type or an enum in one implementation or both
DAMAGE: tuple[Any, ...] = (
    "",
    "x",
    "１２３",  # full-width digits: \d in Python's re, not in ECMA-262
    "١٢٣",
    "2026-02-30",
    "2026-11-20T00:00:00",
    "2026-11-20T00:00:00+08:00",
    0,
    -1,
    1.5,
    2**70,
    True,
    None,
    [],
    {},
    ("a",),
)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        yield path
        for key, child in value.items():
            yield from _leaves(child, (*path, key))
    elif isinstance(value, list):
        yield path
        for index, child in enumerate(value):
            yield from _leaves(child, (*path, index))
    else:
        yield path


def _set(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    damaged = copy.deepcopy(document)
    node = damaged
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return damaged


def _damaged(document: dict[str, Any]) -> Iterator[Any]:
    yield document
    for path in _leaves(document):
        if not path:
            continue
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        current = parent[path[-1]]
        if isinstance(parent, dict):
            trimmed = _set(document, path, None)
            node = trimmed
            for part in path[:-1]:
                node = node[part]
            del node[path[-1]]
            yield trimmed
        if isinstance(current, str):
            yield _set(document, path, current + "\n")
            yield _set(document, path, current.upper())
            yield _set(document, path, current * 3)
        if isinstance(current, dict):
            yield _set(document, path, {**current, "unexpected": 1})
        if isinstance(current, list):
            yield _set(document, path, tuple(current))
        for value in DAMAGE:
            yield _set(document, path, value)


@pytest.mark.parametrize("number", range(len(REQUESTS)))
def test_the_fast_check_agrees_with_jsonschema(number: int, monkeypatch):
    document = REQUESTS[number]
    record_type = record_type_of(document)
    assert record_type is not None
    cases = list(_damaged(document))
    fast = [schemas.schema_problems(record_type, case) for case in cases]
    accepted = sum(1 for case in cases if schemas._surely_valid(record_type, case))
    monkeypatch.setattr(schemas, "_surely_valid", lambda *_: False)
    slow = [schemas.schema_problems(record_type, case) for case in cases]
    assert fast == slow
    assert 0 < accepted < len(cases)  # both answers were exercised
    assert schemas.schema_problems(record_type, document) == ()


def test_a_tuple_is_not_taken_for_an_array():
    """``jsonschema-rs`` reads a tuple as an array; ``jsonschema`` refuses it, and so does
    the fast check."""
    document = REQUESTS[0]
    record_type = record_type_of(document)
    assert record_type is not None
    damaged = {**document, "type": tuple(document["type"])}
    assert not schemas._surely_valid(record_type, damaged)
    assert schemas.schema_problems(record_type, damaged) != ()

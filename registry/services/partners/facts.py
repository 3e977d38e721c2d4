"""The partner-only (A) facts of a record, read from the credential the registry holds.

Only the partner API adds them to an answer, and only for a record whose QR or credential
has just verified as authentic. The stored credential carries every number masked, and
``idNumber`` is never listed: a partner matches ID numbers, it does not read them.

A stored credential never changes once issued (an amendment is a new record, a status
change touches only the status columns), and code lists are files read once, so the facts
of a record are computed once per process and kept in a small LRU cache: nothing can make
a cached entry wrong, so it needs no invalidation. Only found records are cached.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from threading import Lock
from typing import Any

from registry.core.records.credential import RecordFacts
from registry.core.recordtypes import RECORD_TYPES, field_labels, partner_view
from registry.services.runtime.context import Registry
from registry.storage.lifecycle import stored_typed_document

CACHED_RECORDS = 2048
_cache: OrderedDict[tuple[str, str, str, str], dict[str, Any]] = OrderedDict()
_cache_lock = Lock()


def partner_facts(registry: Registry, facts: RecordFacts) -> dict[str, Any] | None:
    """The record type's partner fields and the holder's, codes expanded, with labels;
    ``None`` when this registry does not hold the record (as issued by that issuer)."""
    key = (
        registry.settings.database_url,
        facts.record_id,
        facts.record_type,
        facts.issuer_uscc,
    )
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
    if found is None:
        found = _read_partner_facts(registry, facts)
        if found is None:
            return None
        with _cache_lock:
            _cache[key] = found
            while len(_cache) > CACHED_RECORDS:
                _cache.popitem(last=False)
    copied: dict[str, Any] = _copied(found)  # the caller's answer may change; the cache not
    return copied


def _copied(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts and lists copied, strings and numbers shared);
    ``copy.deepcopy`` walked its memo for each of the ~40 objects, costing a check ~50 µs."""
    kind = type(value)
    if kind is dict:
        return {key: _copied(item) for key, item in value.items()}
    if kind is list:
        return [_copied(item) for item in value]
    if kind in (str, int, float, bool) or value is None:
        return value
    return copy.deepcopy(value)


def _read_partner_facts(registry: Registry, facts: RecordFacts) -> dict[str, Any] | None:
    spec = RECORD_TYPES.get(facts.record_type)
    if spec is None:
        return None
    stored = stored_typed_document(registry.engine, facts.record_id)
    if stored is None:
        return None
    record_type, issuer_uscc, document = stored
    if record_type != facts.record_type or issuer_uscc != facts.issuer_uscc:
        return None
    subject = document.get("credentialSubject") or {}
    view = partner_view(spec, subject)
    labels = field_labels(spec)
    shown = set(view) | set(view[spec.subject_key])
    return {
        "detailsKey": spec.subject_key,
        **view,
        "labels": {name: labels[name] for name in sorted(shown) if name in labels},
    }


__all__ = ["partner_facts"]

"""A stored record's facts as the clerks' console lists them: each field of the holder and
of the type's block with its Chinese and English label. Personal numbers are left out
(the stored credential holds them masked; the console shows not even that)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from registry.core.records.credential import record_type_of
from registry.core.recordtypes import RECORD_TYPES, field_labels

_NOT_SHOWN = ("idNumber", "passport", "passportNumber", "idNumbers")


@dataclass(frozen=True)
class Fact:
    """One labelled field of a record."""

    label_zh: str
    label_en: str
    value: str


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(_text(item) for item in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def record_facts(document: Mapping[str, Any]) -> list[Fact]:
    """The holder's name and the type block's fields, labelled, in the document's order."""
    record_type = record_type_of(document)
    spec = RECORD_TYPES.get(record_type or "")
    subject = document.get("credentialSubject")
    if spec is None or not isinstance(subject, Mapping):
        return []
    labels = field_labels(spec)
    facts: list[Fact] = []
    fields = [(name, subject[name]) for name in ("name", "nationality") if name in subject]
    block = subject.get(spec.subject_key)
    if isinstance(block, Mapping):
        fields += list(block.items())
    for name, value in fields:
        if name in _NOT_SHOWN or value in (None, "", []):
            continue
        label = labels.get(name, {"zh": name, "en": name})
        facts.append(Fact(label["zh"], label["en"], _text(value)))
    return facts


__all__ = ["Fact", "record_facts"]

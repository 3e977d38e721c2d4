"""Code lists: the values credentials carry, their QR numbers and their labels.

Each list lives in ``schemas/codes/<name>.json`` and is loaded once. A credential carries
``code`` (the official Chinese term, or the 6-digit division code); a QR payload carries the
small integer ``qr``, which is never reused; pages show the ``zh`` and ``en`` labels.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from registry.core.errors import invalid, not_found
from registry.core.resources import schemas_dir

CODE_LIST_NAMES = (
    "title-series",
    "title-levels",
    "specialties",
    "title-names",
    "obtained-by",
    "divisions",
    "record-types",
    "permit-categories",
    "permit-roles",
    "family-relations",
    "recommendation-purposes",
    "postdoc-stations",
    "postdoc-states",
    "vocational-qualifications",
    "qualification-kinds",
    "qualification-levels",
    "qualification-specialties",
    "qualification-authorities",
    "ce-kinds",
    "industries",
    "status-reasons",
)
_ENTRY_KEYS = frozenset({"code", "qr", "zh", "en"})


@dataclass(frozen=True)
class Code:
    """One entry of a code list; ``extra`` holds list-specific facts (series, level, rank…)."""

    code: str
    qr: int
    zh: str
    en: str
    extra: Mapping[str, str] = field(default_factory=dict, hash=False)


class CodeList:
    """A named, versioned list of codes, looked up by code or by QR number."""

    def __init__(
        self, name: str, version: int, title_zh: str, title_en: str, entries: tuple[Code, ...]
    ) -> None:
        self.name = name
        self.version = version
        self.title_zh = title_zh
        self.title_en = title_en
        self.entries = entries
        self._by_code = {entry.code: entry for entry in entries}
        self._by_qr = {entry.qr: entry for entry in entries}
        if len(self._by_code) != len(entries) or len(self._by_qr) != len(entries):
            raise ValueError(f"code list {name} repeats a code or a QR number")

    def by_code(self, code: str) -> Code:
        """The entry for a credential value; ``CODE_UNKNOWN`` if the list lacks it."""
        entry = self._by_code.get(code)
        if entry is None:
            raise invalid(
                "CODE_UNKNOWN",
                f"代码表 {self.name} 中没有代码 {code!r}",
                f"code {code!r} is not in the code list {self.name}",
            )
        return entry

    def find_qr(self, number: int) -> Code | None:
        """The entry for a QR number, or ``None`` (``by_qr`` without the refusal)."""
        return self._by_qr.get(number)

    def by_qr(self, number: int) -> Code:
        """The entry for a QR number; ``CODE_UNKNOWN`` if the list lacks it."""
        entry = self._by_qr.get(number)
        if entry is None:
            raise invalid(
                "CODE_UNKNOWN",
                f"代码表 {self.name} 中没有二维码编号 {number!r}",
                f"QR number {number!r} is not in the code list {self.name}",
            )
        return entry

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code, in list order (the order schema enums follow)."""
        return tuple(entry.code for entry in self.entries)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Code]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"CodeList({self.name!r}, version={self.version}, entries={len(self.entries)})"


def _entry(raw: Mapping[str, Any]) -> Code:
    extra = {key: str(value) for key, value in raw.items() if key not in _ENTRY_KEYS}
    return Code(
        code=str(raw["code"]),
        qr=int(raw["qr"]),
        zh=str(raw["zh"]),
        en=str(raw["en"]),
        extra=MappingProxyType(extra),
    )


@cache
def code_list(name: str) -> CodeList:
    """The code list called ``name`` (one of ``CODE_LIST_NAMES``), read once and cached."""
    if name not in CODE_LIST_NAMES:
        raise not_found("CODE_LIST_UNKNOWN", "没有该代码表", f"there is no code list {name!r}")
    path = schemas_dir() / "codes" / f"{name}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    return CodeList(
        name=document["name"],
        version=int(document["version"]),
        title_zh=document["title"]["zh"],
        title_en=document["title"]["en"],
        entries=tuple(_entry(raw) for raw in document["entries"]),
    )

"""The personal numbers inside a record's subject: found, checked, masked.

A record's ``credentialSubject`` may name people by number: the holder's ID number, a
foreign holder's passport, dependants' numbers. They are found by field name anywhere in
the subject:

- ``idNumber`` (a string): an ID number of any ``IdKind`` (GB 11643 check);
- ``passportNumber`` (a string): a passport; its issuing country, if any, is the sibling
  ``passportCountry`` (ISO 3166-1 alpha-3);
- ``passport`` (an object): ``number`` is the passport, ``issuingCountry`` its country.

The holder's own numbers are those at the top of the subject (``/idNumber``,
``/passportNumber``, ``/passport/number``); any deeper one (a dependant's) is not the
holder's. The signed credential carries only masked forms; the registry keeps each number
sealed (``sealing``) and as a keyed digest for matching.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from registry.core.errors import FieldProblem, RegistryError, invalid
from registry.core.formats.canonical import json_copy
from registry.core.people.identifiers import parse_resident_id
from registry.core.people.passports import parse_passport
from registry.core.people.privacy import mask_id_number, mask_passport_number

PASSPORT = "passport"
_HOLDER_POINTERS = ("/idNumber", "/passportNumber", "/passport/number")


@dataclass(frozen=True, repr=False)
class PersonalNumber:
    """One checked number found in a subject, with where it was (a JSON pointer)."""

    pointer: str
    kind: str  # an IdKind value, or "passport"
    value: str
    country: str | None = None

    def __repr__(self) -> str:
        return (
            f"PersonalNumber(pointer={self.pointer!r}, kind={self.kind!r}, masked={self.masked!r})"
        )

    @property
    def holder(self) -> bool:
        """Whether this is the holder's own number (not a dependant's)."""
        return self.pointer in _HOLDER_POINTERS

    @property
    def masked(self) -> str:
        """The form a credential, a page or a partner may carry."""
        if self.kind == PASSPORT:
            return mask_passport_number(self.value)
        return mask_id_number(self.value)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _walk(node: Any, pointer: str) -> Iterator[tuple[str, str, str, Mapping[str, Any]]]:
    """(pointer, field kind, value, parent) of every number-bearing field under ``node``."""
    if isinstance(node, Mapping):
        for name, value in node.items():
            here = f"{pointer}/{_escape(str(name))}"
            if name == "idNumber" and isinstance(value, str):
                yield here, "id", value, node
            elif name == "passportNumber" and isinstance(value, str):
                yield here, PASSPORT, value, node
            elif name == "passport" and isinstance(value, Mapping):
                number = value.get("number")
                if isinstance(number, str):
                    yield f"{here}/number", "passport-object", number, value
            else:
                yield from _walk(value, here)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{pointer}/{index}")


def _read_one(kind: str, value: str, parent: Mapping[str, Any], today: date | None) -> Any:
    if kind == "id":
        return parse_resident_id(value, today=today)
    country = parent.get("passportCountry" if kind == PASSPORT else "issuingCountry")
    return parse_passport(value, country if isinstance(country, str) else None)


def read_personal_numbers(
    subject: Mapping[str, Any], *, today: date | None = None, prefix: str = ""
) -> tuple[PersonalNumber, ...]:
    """Every personal number in ``subject``, checked; all bad ones are reported together,
    each by its pointer (``prefix`` + the pointer inside the subject), never by value."""
    found: list[PersonalNumber] = []
    problems: list[FieldProblem] = []
    for pointer, kind, value, parent in _walk(subject, ""):
        try:
            parsed = _read_one(kind, value, parent, today)
        except RegistryError as error:
            problems.append(
                FieldProblem(prefix + pointer, error.code, error.message_zh, error.message_en)
            )
            continue
        if kind == "id":
            found.append(PersonalNumber(pointer, parsed.kind.value, parsed.value))
        else:
            found.append(PersonalNumber(pointer, PASSPORT, parsed.number, parsed.country))
    if problems:
        first = problems[0]
        raise invalid(first.code, first.message_zh, first.message_en, tuple(problems))
    return tuple(found)


def _set(document: Any, pointer: str, value: str) -> None:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    node = document
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[parts[-1]] = value


def masked_subject(
    subject: Mapping[str, Any], numbers: tuple[PersonalNumber, ...]
) -> dict[str, Any]:
    """A copy of ``subject`` with each number replaced by its masked form."""
    masked: dict[str, Any] = json_copy(subject)
    for number in numbers:
        _set(masked, number.pointer, number.masked)
    return masked


def holder_number(numbers: tuple[PersonalNumber, ...]) -> PersonalNumber | None:
    """The number that identifies the holder: the ID number, else the passport."""
    holders = [n for n in numbers if n.holder]
    holders.sort(key=lambda n: _HOLDER_POINTERS.index(n.pointer))
    return holders[0] if holders else None


__all__ = [
    "PASSPORT",
    "PersonalNumber",
    "holder_number",
    "masked_subject",
    "read_personal_numbers",
]

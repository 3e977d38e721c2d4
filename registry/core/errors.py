"""One error tree for the whole registry.

Every error carries a stable machine code and a message in Chinese and English. The
``kind`` says what sort of failure it is; the HTTP ring maps kinds to status codes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class ErrorKind(enum.Enum):
    """What sort of failure an error is, independent of any transport."""

    MALFORMED = "malformed"  # the input cannot be parsed at all
    INVALID = "invalid"  # parsed, but its content is wrong
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    TOO_LARGE = "too_large"
    UNAVAILABLE = "unavailable"
    LIMITED = "limited"  # too many attempts: try again later


@dataclass(frozen=True)
class FieldProblem:
    """One bad field, named by its JSON pointer (RFC 6901)."""

    pointer: str
    code: str
    message_zh: str
    message_en: str


@dataclass
class RegistryError(Exception):
    """Base of every error the registry raises on purpose."""

    code: str
    message_zh: str
    message_en: str
    kind: ErrorKind = ErrorKind.INVALID
    problems: tuple[FieldProblem, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        super().__init__(f"{self.code}: {self.message_en}")

    def __str__(self) -> str:
        return f"{self.code}: {self.message_zh} / {self.message_en}"


def malformed(code: str, zh: str, en: str) -> RegistryError:
    """An input that cannot be parsed (bad JSON, bad encoding, truncated data)."""
    return RegistryError(code, zh, en, ErrorKind.MALFORMED)


def invalid(code: str, zh: str, en: str, problems: tuple[FieldProblem, ...] = ()) -> RegistryError:
    """An input that parses but whose content is not acceptable."""
    return RegistryError(code, zh, en, ErrorKind.INVALID, problems)


def invalid_field(pointer: str, code: str, zh: str, en: str) -> RegistryError:
    """An invalid input that names the one field at fault by its JSON pointer."""
    return invalid(code, zh, en, (FieldProblem(pointer, code, zh, en),))


def not_found(code: str, zh: str, en: str) -> RegistryError:
    """Something named by the caller does not exist."""
    return RegistryError(code, zh, en, ErrorKind.NOT_FOUND)


def forbidden(code: str, zh: str, en: str) -> RegistryError:
    """The caller is known but may not do this."""
    return RegistryError(code, zh, en, ErrorKind.FORBIDDEN)


def unauthenticated(code: str, zh: str, en: str) -> RegistryError:
    """The caller did not prove who they are."""
    return RegistryError(code, zh, en, ErrorKind.UNAUTHENTICATED)


def conflict(code: str, zh: str, en: str) -> RegistryError:
    """The request clashes with what is already stored."""
    return RegistryError(code, zh, en, ErrorKind.CONFLICT)


def too_large(code: str, zh: str, en: str) -> RegistryError:
    """The input is over a size limit."""
    return RegistryError(code, zh, en, ErrorKind.TOO_LARGE)


FIELD_TOO_LONG = "FIELD_TOO_LONG"
FIELD_CONTROL_CHARACTER = "FIELD_CONTROL_CHARACTER"


def has_control_character(text: str) -> bool:
    """Whether ``text`` holds a control character other than tab, line feed or carriage
    return (NUL above all: PostgreSQL cannot store it in a text column)."""
    return any((ord(char) < 0x20 and char not in "\t\n\r") or ord(char) == 0x7F for char in text)


def require_texts(*fields: tuple[str, str | None, int]) -> None:
    """Refuse (422) every text longer than the column that keeps it (``FIELD_TOO_LONG``)
    or holding a control character (``FIELD_CONTROL_CHARACTER``).

    Each field is ``(pointer, value, limit)``; ``None`` passes. Every bad field is
    reported at once, named by its pointer (with its limit); the value is never echoed.
    """
    problems: list[FieldProblem] = []
    for pointer, value, limit in fields:
        if value and len(value) > limit:
            problems.append(
                FieldProblem(
                    pointer,
                    FIELD_TOO_LONG,
                    f"不能超过 {limit} 个字符",
                    f"at most {limit} characters",
                )
            )
        elif value and has_control_character(value):
            problems.append(
                FieldProblem(
                    pointer,
                    FIELD_CONTROL_CHARACTER,
                    "不能含控制字符",
                    "must not contain control characters",
                )
            )
    if not problems:
        return
    if all(problem.code == FIELD_CONTROL_CHARACTER for problem in problems):
        zh, en = "字段含控制字符", "a field holds a control character"
        raise invalid(FIELD_CONTROL_CHARACTER, zh, en, tuple(problems))
    zh = "；".join(f"{p.pointer} {p.message_zh}" for p in problems)
    en = "; ".join(f"{p.pointer}: {p.message_en}" for p in problems)
    raise invalid(FIELD_TOO_LONG, f"字段有误：{zh}", f"bad fields: {en}", tuple(problems))

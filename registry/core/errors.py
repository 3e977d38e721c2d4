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

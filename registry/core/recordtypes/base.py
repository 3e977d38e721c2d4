"""What every record type declares (``RecordTypeSpec``) and the small pieces its QR claims
and public views are built from.

A spec never sees a whole credential when it builds public facts: ``public_details`` hands
its ``read`` only the fields of the type's block that the spec lists as public (DOMAIN.md's
Q/P fields). A field that is not listed cannot reach a QR code or a public page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

from registry.core.codes import code_list
from registry.core.errors import FieldProblem, RegistryError, invalid, malformed

SCHEMA_VERSION = "v1"
FIRST_TYPE_KEY = 16  # record-map keys of types other than titles start here
_EPOCH = date(1970, 1, 1)
_MAX_TEXT = 128


HOLDER_LABELS: dict[str, tuple[str, str]] = {
    "name": ("姓名", "Name"),
    "nationality": ("国籍", "Nationality"),
    "passport": ("护照", "Passport"),
}


class RecordDetails:
    """Base of each type's public facts dataclass (frozen, codes not labels)."""


D = TypeVar("D", bound=RecordDetails)


@dataclass(frozen=True)
class RecordTypeSpec(Generic[D]):
    """Everything the registry needs to know about one record type.

    - ``name``: the credential type, e.g. ``ResidencePermitCredential``;
    - ``subject_key``: the ``credentialSubject`` key holding the type's block;
    - ``details_type``: the public facts dataclass (a ``RecordDetails``);
    - ``elicence_type``: two-digit type code of the earlier-form e-licence identifier
      (records before migration 0011; the national form takes ``elicenceTypeCode``);
    - ``public_fields``: block keys a QR code and the public page may carry (Q/P), in the
      order pages show them;
    - ``partner_fields``: block keys only the partner API carries (A);
    - ``holder_partner_fields``: keys beside the block in ``credentialSubject`` that the
      partner API carries (the full name, a masked passport, nationality); ID numbers never;
    - ``code_fields``: field -> code list name, for fields holding codes (lists of codes too);
    - ``labels``: field -> (zh, en) label, for every public and partner field of the block
      (the holder's fields have theirs in ``HOLDER_LABELS``);
    - ``read``: public block fields -> details; ``write``: details -> public block fields
      (codes and ISO dates, as the credential carries them);
    - ``encode`` / ``decode``: details <-> the type's entries of the QR record map;
    - ``check``: pure consistency rules beyond the schema, given the details, the whole
      block (partner fields included) and the credential's validity; raises ``invalid``
      with JSON pointers relative to the credential.
    """

    name: str
    subject_key: str
    details_type: type[D]
    elicence_type: str
    public_fields: tuple[str, ...]
    partner_fields: tuple[str, ...]
    labels: Mapping[str, tuple[str, str]]
    read: Callable[[Mapping[str, Any]], D]
    write: Callable[[D], dict[str, Any]]
    encode: Callable[[D], dict[int, Any]]
    decode: Callable[[Mapping[Any, Any]], D]
    check: Callable[[D, Mapping[str, Any], datetime, datetime | None], None]
    code_fields: Mapping[str, str] = field(default_factory=dict)
    holder_partner_fields: tuple[str, ...] = ("name",)
    schema_version: str = SCHEMA_VERSION

    @property
    def block_pointer(self) -> str:
        """The JSON pointer of the type's block inside a credential."""
        return f"/credentialSubject/{self.subject_key}"


def claims_error() -> RegistryError:
    """The one error a malformed QR record map gets."""
    return malformed(
        "QR_CLAIMS_INVALID",
        "二维码内容不完整或格式错误",
        "the QR claims are incomplete or malformed",
    )


def qr_number(list_name: str, code: str) -> int:
    """The QR number of a code."""
    return code_list(list_name).by_code(code).qr


def code_at(list_name: str, value: object) -> str:
    """The code a QR number stands for; anything but a known integer is refused."""
    codes = code_list(list_name)
    entry = codes.find_qr(value) if type(value) is int else None
    return entry.code if entry is not None else codes.by_qr(int_claim(value)).code


def int_claim(value: object) -> int:
    """An integer claim (booleans refused)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise claims_error()
    return value


def text_claim(value: object, limit: int = _MAX_TEXT) -> str:
    """A non-empty text claim of at most ``limit`` characters."""
    if not isinstance(value, str) or not value or len(value) > limit:
        raise claims_error()
    return value


def day_number(day: date) -> int:
    """A calendar date as days since 1970-01-01 (what QR claims carry)."""
    return (day - _EPOCH).days


def day_claim(value: object) -> date:
    """The date a day-number claim stands for."""
    try:
        return _EPOCH + timedelta(days=int_claim(value))
    except OverflowError:
        raise claims_error() from None


def optional_day_claim(value: object) -> date | None:
    """A day-number claim that may be absent."""
    return None if value is None else day_claim(value)


def labelled(list_name: str, code: str) -> dict[str, str]:
    """A code with its Chinese and English labels."""
    entry = code_list(list_name).by_code(code)
    return {"code": entry.code, "zh": entry.zh, "en": entry.en}


def consistency_error(pointer: str, code: str, zh: str, en: str) -> RegistryError:
    """A consistency failure of one field (``pointer`` relative to the credential)."""
    return invalid(code, zh, en, (FieldProblem(pointer, code, zh, en),))


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


__all__ = [
    "FIRST_TYPE_KEY",
    "HOLDER_LABELS",
    "SCHEMA_VERSION",
    "RecordDetails",
    "RecordTypeSpec",
    "add_years",
    "claims_error",
    "code_at",
    "consistency_error",
    "day_claim",
    "day_number",
    "int_claim",
    "labelled",
    "optional_day_claim",
    "qr_number",
    "text_claim",
]

"""National e-licence identifiers (电子证照标识, GB/T 36904).

Form: ``1.2.156.3005.2.<type>.<issuer USCC>.<serial>.<version>.<check>``, for example
``1.2.156.3005.2.01.11310118MB0000001X.20261122123456789012.1.K`` (check made up).

- ``1.2.156.3005.2``: the e-licence root (an OID arc under China, 1.2.156);
- type: the record type's two-digit e-licence type code;
- issuer USCC: the issuing organisation (GB 32100);
- serial: 1 to 32 digits or letters; the registry's own are 20 digits, the UTC issue date
  ``YYYYMMDD`` then 12 digits read from the record id (see ``serial_for``). Not 18: an
  18-digit run would look like an ID number to every scanner of logs and pages;
- version: a decimal number from 1, without leading zeros; an amendment keeps the serial
  and takes the next version (see ``amended``);
- check: one ISO/IEC 7064 MOD 37,36 character computed over the type, USCC, serial and
  version written one after the other without dots (the constant root is left out, as
  public GB/T 36904 implementations do).

The check does not see where the dots fall, so moving a dot between serial and version is
not caught by it; the registry's own serials are always 20 digits, and a lookup of such a
changed identifier finds nothing. Identifiers are upper-case; parsing upper-cases the input
first. ``build`` refuses a USCC whose GB 32100 check fails (the registry's own issuers);
``parse`` checks only its shape, since an identifier received from a partner may name an
early code that fails the check.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from registry.core.codes import code_list
from registry.core.errors import RegistryError, invalid
from registry.core.people.identifiers import looks_like_uscc, parse_uscc
from registry.core.people.iso7064 import mod37_36_check_char, mod37_36_is_valid

ROOT = "1.2.156.3005.2"
SERIAL_DIGITS_FROM_RECORD = 12
MAX_LENGTH = 96
_TYPE = re.compile(r"[0-9]{2}")
_SERIAL = re.compile(r"[0-9A-Z]{1,32}")
_VERSION = re.compile(r"[1-9][0-9]{0,3}")


def _error(zh: str, en: str) -> RegistryError:
    return invalid(
        "ELICENCE_ID_INVALID", f"电子证照标识无效：{zh}", f"invalid e-licence identifier: {en}"
    )


@dataclass(frozen=True)
class ElectronicLicenceId:
    """A checked national e-licence identifier; ``str()`` gives its canonical text."""

    type_code: str
    issuer_uscc: str
    serial: str
    version: int
    check: str

    def __str__(self) -> str:
        return (
            f"{ROOT}.{self.type_code}.{self.issuer_uscc}.{self.serial}.{self.version}.{self.check}"
        )

    @property
    def licence_key(self) -> str:
        """What every version of one licence shares: root, type, issuer and serial."""
        return f"{ROOT}.{self.type_code}.{self.issuer_uscc}.{self.serial}"


def _protected(type_code: str, uscc: str, serial: str, version: int) -> str:
    return f"{type_code}{uscc}{serial}{version}"


def build(type_code: str, issuer_uscc: str, serial: str, version: int = 1) -> ElectronicLicenceId:
    """A new identifier for one of the registry's own issuers (the USCC must pass GB 32100)."""
    uscc = parse_uscc(issuer_uscc)
    if not _TYPE.fullmatch(type_code):
        raise _error("类型代码须为2位数字", "the type code must be two digits")
    if not _SERIAL.fullmatch(serial):
        raise _error("流水号须为1至32位数字或大写字母", "the serial must be 1-32 digits or A-Z")
    if not _VERSION.fullmatch(str(version)):
        raise _error("版本号须为1至9999", "the version must be 1 to 9999")
    check = mod37_36_check_char(_protected(type_code, uscc, serial, version))
    return ElectronicLicenceId(type_code, uscc, serial, version, check)


def looks_like_elicence_id(text: str) -> bool:
    """Whether ``text`` starts like an e-licence identifier (to tell it from a record id)."""
    return text.strip().startswith(ROOT + ".")


def parse(text: str) -> ElectronicLicenceId:
    """Parse and check an identifier: root, part shapes and the MOD 37,36 character."""
    value = text.strip().upper()
    if len(value) > MAX_LENGTH or not value.startswith(ROOT + "."):
        raise _error("须以 1.2.156.3005.2. 开头", "it must start with 1.2.156.3005.2.")
    parts = value[len(ROOT) + 1 :].split(".")
    if len(parts) != 5:
        raise _error(
            "须由类型、机构代码、流水号、版本号和校验位五段组成",
            "it needs five parts: type, USCC, serial, version and check",
        )
    type_code, uscc, serial, version, check = parts
    if not _TYPE.fullmatch(type_code):
        raise _error("类型代码须为2位数字", "the type code must be two digits")
    if not looks_like_uscc(uscc):
        raise _error("机构代码不是统一社会信用代码", "the issuer part is not a USCC")
    if not _SERIAL.fullmatch(serial):
        raise _error("流水号须为1至32位数字或大写字母", "the serial must be 1-32 digits or A-Z")
    if not _VERSION.fullmatch(version):
        raise _error("版本号须为不以0开头的数字", "the version must be a number without leading 0")
    if len(check) != 1 or not mod37_36_is_valid(
        _protected(type_code, uscc, serial, int(version)) + check
    ):
        raise _error("校验位不符", "the check character does not match")
    return ElectronicLicenceId(type_code, uscc, serial, int(version), check)


def serial_for(record_id: str, issued_on: date) -> str:
    """The registry's serial for a record: ``YYYYMMDD`` of issue, then 12 digits of the
    record id (its 128 bits modulo 10^12).

    Deterministic, so the identifier can be recomputed from the record; two records of
    one issuer on one day clash with odds of about n^2 / 2 x 10^-12, and the unique column
    turns a clash into a retry with a fresh record id.
    """
    digits = uuid.UUID(record_id).int % 10**SERIAL_DIGITS_FROM_RECORD
    return f"{issued_on:%Y%m%d}{digits:0{SERIAL_DIGITS_FROM_RECORD}d}"


def type_code_of(record_type: str) -> str:
    """The two-digit e-licence type code of a record type (``elicenceType`` in the
    ``record-types`` code list; its QR number, two digits, where the list gives none)."""
    entry = code_list("record-types").by_code(record_type)
    return entry.extra.get("elicenceType") or f"{entry.qr:02d}"


def for_record(
    record_type: str, issuer_uscc: str, record_id: str, issued_on: date
) -> ElectronicLicenceId:
    """Version 1 of a new record's identifier."""
    return build(type_code_of(record_type), issuer_uscc, serial_for(record_id, issued_on))


def amended(previous: ElectronicLicenceId) -> ElectronicLicenceId:
    """The identifier of the next version of the same licence (an amendment)."""
    return build(previous.type_code, previous.issuer_uscc, previous.serial, previous.version + 1)


__all__ = [
    "ROOT",
    "ElectronicLicenceId",
    "amended",
    "build",
    "for_record",
    "looks_like_elicence_id",
    "parse",
    "serial_for",
    "type_code_of",
]

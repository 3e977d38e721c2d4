"""National e-licence identifiers (电子证照标识, GB/T 36904).

Form: ``1.2.156.3005.2.<type>.<issuer USCC>.<serial>.<version>.<check>``, for example
``1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U`` (from public
integration code of the national e-licence systems; more in ``tests/vectors/elicence``).

- ``1.2.156.3005.2``: the e-licence root (an OID arc under China, 1.2.156);
- type: the licence type code, 21 characters: the USCC of the authority that defines the
  licence type, then a three-digit sequence (``elicenceTypeCode`` in the ``record-types``
  code list; see ``type_code_of``);
- issuer USCC: the issuing organisation (GB 32100);
- serial: digits or capital letters; the registry's own are 20 digits, the UTC issue date
  ``YYYYMMDD`` then 12 digits read from the record id (see ``serial_for``). Not 18: an
  18-digit run would look like an ID number to every scanner of logs and pages;
- version: three digits from ``001``; an amendment keeps type, issuer and serial and takes
  the next version (see ``amended``);
- check: one ISO/IEC 7064 MOD 37,36 character computed over everything after the root with
  the dots removed (the constant root is left out, as public GB/T 36904 implementations do).

The whole identifier is at most 96 characters (``MAX_LENGTH``, the stored column's width).

Records issued before revision 0011 were given the registry's earlier form (``legacy``):
a two-digit type code (``elicenceType``), a 1-32 character serial and a version without
zero padding (``...2.01.<USCC>.<serial>.1.<check>``). Their signed credentials carry it and
cannot change, so ``parse`` still reads it (told apart by its two-digit type code) and the
store resolves it; nothing new is built in it except by ``build_legacy`` (migrations).

The check does not see where the dots fall, so moving a dot between serial and version is
not caught by it; a lookup of such a changed identifier finds nothing. Identifiers are
upper-case; parsing upper-cases the input first. ``build`` refuses a USCC whose GB 32100
check fails (the registry's own issuers); ``parse`` checks only its shape, since an
identifier received from a partner may name an early code that fails the check.
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
TYPE_CODE_LENGTH = 21
LEGACY_TYPE_CODE_LENGTH = 2
MAX_VERSION = 999
_TYPE_SEQUENCE = re.compile(r"[0-9]{3}")
_SERIAL = re.compile(r"[0-9A-Z]+")
_VERSION = re.compile(r"[0-9]{3}")
_LEGACY_TYPE = re.compile(r"[0-9]{2}")
_LEGACY_SERIAL = re.compile(r"[0-9A-Z]{1,32}")
_LEGACY_VERSION = re.compile(r"[1-9][0-9]{0,3}")

# One message per refusal rule (zh, en), so that each rule can be told apart in tests and
# by whoever typed the identifier.
RULES: dict[str, tuple[str, str]] = {
    "length": (f"长度不得超过{MAX_LENGTH}个字符", f"it must be at most {MAX_LENGTH} characters"),
    "root": ("须以 1.2.156.3005.2. 开头", "it must start with 1.2.156.3005.2."),
    "parts": (
        "须由类型代码、机构代码、流水号、版本号和校验位五段组成",
        "it needs five parts: type code, USCC, serial, version and check",
    ),
    "type": (
        "证照类型代码须为21位：定义机构的统一社会信用代码加3位顺序号",
        "the type code must be 21 characters: the defining authority's USCC and a "
        "three-digit sequence",
    ),
    "uscc": ("发证机构代码不是统一社会信用代码", "the issuer part is not a USCC"),
    "serial": ("流水号须为数字或大写字母", "the serial must be digits or capital letters"),
    "version": ("版本号须为3位数字 001 至 999", "the version must be three digits, 001 to 999"),
    "check": ("校验位不符", "the check character does not match"),
    "legacy_serial": (
        "旧式标识的流水号须为1至32位数字或大写字母",
        "the serial of an earlier-form identifier must be 1-32 digits or A-Z",
    ),
    "legacy_version": (
        "旧式标识的版本号须为不以0开头的数字",
        "the version of an earlier-form identifier must be a number without leading 0",
    ),
}


def _error(rule: str) -> RegistryError:
    zh, en = RULES[rule]
    return invalid(
        "ELICENCE_ID_INVALID", f"电子证照标识无效：{zh}", f"invalid e-licence identifier: {en}"
    )


@dataclass(frozen=True)
class ElectronicLicenceId:
    """A checked national e-licence identifier; ``str()`` gives its canonical text.

    ``legacy`` identifiers (a two-digit type code) are the registry's earlier form."""

    type_code: str
    issuer_uscc: str
    serial: str
    version: int
    check: str

    def __str__(self) -> str:
        return f"{self.licence_key}.{self.version_text}.{self.check}"

    @property
    def legacy(self) -> bool:
        """Whether this is the registry's earlier form (two-digit type code)."""
        return len(self.type_code) == LEGACY_TYPE_CODE_LENGTH

    @property
    def version_text(self) -> str:
        """The version as written: three digits, or unpadded in the earlier form."""
        return str(self.version) if self.legacy else f"{self.version:03d}"

    @property
    def licence_key(self) -> str:
        """What every version of one licence shares: root, type, issuer and serial."""
        return f"{ROOT}.{self.type_code}.{self.issuer_uscc}.{self.serial}"


def _protected(type_code: str, uscc: str, serial: str, version_text: str) -> str:
    return f"{type_code}{uscc}{serial}{version_text}"


def is_type_code(text: str) -> bool:
    """Whether ``text`` has the shape of a 21-character licence type code."""
    return (
        len(text) == TYPE_CODE_LENGTH
        and looks_like_uscc(text[:18])
        and bool(_TYPE_SEQUENCE.fullmatch(text[18:]))
    )


def build(type_code: str, issuer_uscc: str, serial: str, version: int = 1) -> ElectronicLicenceId:
    """A new identifier for one of the registry's own issuers (the USCC must pass GB 32100)."""
    uscc = parse_uscc(issuer_uscc)
    if not is_type_code(type_code):
        raise _error("type")
    if not _SERIAL.fullmatch(serial):
        raise _error("serial")
    if not 1 <= version <= MAX_VERSION:
        raise _error("version")
    check = mod37_36_check_char(_protected(type_code, uscc, serial, f"{version:03d}"))
    identifier = ElectronicLicenceId(type_code, uscc, serial, version, check)
    if len(str(identifier)) > MAX_LENGTH:
        raise _error("length")
    return identifier


def build_legacy(
    type_code: str, issuer_uscc: str, serial: str, version: int = 1
) -> ElectronicLicenceId:
    """An identifier in the registry's earlier form (for migrations and tests only)."""
    uscc = parse_uscc(issuer_uscc)
    if not _LEGACY_TYPE.fullmatch(type_code):
        raise _error("type")
    if not _LEGACY_SERIAL.fullmatch(serial):
        raise _error("legacy_serial")
    if not _LEGACY_VERSION.fullmatch(str(version)):
        raise _error("legacy_version")
    check = mod37_36_check_char(_protected(type_code, uscc, serial, str(version)))
    return ElectronicLicenceId(type_code, uscc, serial, version, check)


def looks_like_elicence_id(text: str) -> bool:
    """Whether ``text`` starts like an e-licence identifier (to tell it from a record id)."""
    return text.strip().startswith(ROOT + ".")


def parse(text: str) -> ElectronicLicenceId:
    """Parse and check an identifier in the national form or the registry's earlier one:
    length, root, five parts, type code, USCC shape, serial, version, MOD 37,36 character."""
    value = text.strip().upper()
    if len(value) > MAX_LENGTH:
        raise _error("length")
    if not value.startswith(ROOT + "."):
        raise _error("root")
    parts = value[len(ROOT) + 1 :].split(".")
    if len(parts) != 5:
        raise _error("parts")
    type_code, uscc, serial, version, check = parts
    legacy = bool(_LEGACY_TYPE.fullmatch(type_code))
    if not legacy and not is_type_code(type_code):
        raise _error("type")
    if not looks_like_uscc(uscc):
        raise _error("uscc")
    if legacy and not _LEGACY_SERIAL.fullmatch(serial):
        raise _error("legacy_serial")
    if not legacy and not _SERIAL.fullmatch(serial):
        raise _error("serial")
    if legacy and not _LEGACY_VERSION.fullmatch(version):
        raise _error("legacy_version")
    if not legacy and (not _VERSION.fullmatch(version) or version == "000"):
        raise _error("version")
    if len(check) != 1 or not mod37_36_is_valid(
        _protected(type_code, uscc, serial, version) + check
    ):
        raise _error("check")
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
    """The 21-character licence type code of a record type (``elicenceTypeCode`` in the
    ``record-types`` code list; a placeholder there until the operator sets the real one,
    see ``placeholder_type_codes``)."""
    code = code_list("record-types").by_code(record_type).extra.get("elicenceTypeCode", "")
    if not is_type_code(code):
        raise _error("type")
    return code


def legacy_type_code_of(record_type: str) -> str:
    """The two-digit type code of the registry's earlier form (``elicenceType``; its QR
    number, two digits, where the list gives none)."""
    entry = code_list("record-types").by_code(record_type)
    return entry.extra.get("elicenceType") or f"{entry.qr:02d}"


def placeholder_type_codes() -> tuple[str, ...]:
    """Record types whose licence type code is still a placeholder
    (``elicenceTypeCodePlaceholder`` in the code list): the operator must set the real code
    of the authority that defines each licence type before identifiers are printed."""
    return tuple(
        entry.code
        for entry in code_list("record-types").entries
        if str(entry.extra.get("elicenceTypeCodePlaceholder", "")).lower() == "true"
        and entry.extra.get("status", "active") == "active"
    )


def for_record(
    record_type: str, issuer_uscc: str, record_id: str, issued_on: date
) -> ElectronicLicenceId:
    """Version 1 of a new record's identifier."""
    return build(type_code_of(record_type), issuer_uscc, serial_for(record_id, issued_on))


def legacy_for_record(
    record_type: str, issuer_uscc: str, record_id: str, issued_on: date
) -> ElectronicLicenceId:
    """Version 1 of a record's identifier in the registry's earlier form (revision 0004)."""
    return build_legacy(
        legacy_type_code_of(record_type), issuer_uscc, serial_for(record_id, issued_on)
    )


def national_form_of(record_type: str, earlier: ElectronicLicenceId) -> ElectronicLicenceId:
    """The national-form identifier of a record known by an earlier-form one: the record
    type's licence type code, the same issuer, serial and version."""
    return build(type_code_of(record_type), earlier.issuer_uscc, earlier.serial, earlier.version)


def amended(previous: ElectronicLicenceId) -> ElectronicLicenceId:
    """The identifier of the next version of the same licence (an amendment), in the form
    of ``previous``."""
    make = build_legacy if previous.legacy else build
    return make(previous.type_code, previous.issuer_uscc, previous.serial, previous.version + 1)


__all__ = [
    "MAX_LENGTH",
    "ROOT",
    "RULES",
    "TYPE_CODE_LENGTH",
    "ElectronicLicenceId",
    "amended",
    "build",
    "build_legacy",
    "for_record",
    "is_type_code",
    "legacy_for_record",
    "legacy_type_code_of",
    "looks_like_elicence_id",
    "national_form_of",
    "parse",
    "placeholder_type_codes",
    "serial_for",
    "type_code_of",
]

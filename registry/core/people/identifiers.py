"""Check characters of the national identifiers the registry handles.

Resident ID numbers follow GB 11643. The same 18-character layout and MOD 11-2 check serve
three more documents, and a parsed number says which one it is (``IdKind``):

- mainland resident ID (居民身份证): the address code starts with a province-level
  GB/T 2260 code (11-15, 21-23, 31-37, 41-46, 50-54, 61-65);
- residence permit of Hong Kong, Macao or Taiwan residents (港澳台居民居住证): address code
  exactly 810000, 820000 or 830000;
- the 2023 foreigner's permanent-residence ID (外国人永久居留身份证, issued since
  2023-12-01): ``9``, a two-digit province-level code of the accepting office, a three-digit
  numeric nationality code, then birth date, sequence and check as in GB 11643. The
  nationality code is read, not checked against ISO 3166-1 numeric.

Every kind needs a birth date that exists, not before 1800 and (when a day is given) not
after it. The older 15-character permanent-residence number (three letters, twelve digits)
is not accepted. Organisations are named by their unified social credit code (USCC,
GB 32100). Errors never repeat the input: an ID number is personal data and must not reach
a message or a log line.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from registry.core.errors import RegistryError, invalid
from registry.core.people.privacy import mask_id_number

RESIDENT_ID_LENGTH = 18
_RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECK = "10X98765432"

USCC_LENGTH = 18
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _id_number_error(zh: str, en: str) -> RegistryError:
    return invalid("ID_NUMBER_INVALID", f"身份证件号码无效：{zh}", f"invalid ID number: {en}")


def _uscc_error(zh: str, en: str) -> RegistryError:
    return invalid("USCC_INVALID", f"统一社会信用代码无效：{zh}", f"invalid USCC: {en}")


class IdKind(enum.StrEnum):
    """Which document an 18-character GB 11643-style number belongs to."""

    MAINLAND = "mainland"
    HONG_KONG = "hong_kong"
    MACAO = "macao"
    TAIWAN = "taiwan"
    PERMANENT_RESIDENT = "permanent_resident"

    @property
    def label(self) -> tuple[str, str]:
        """The document's name in Chinese and English."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    IdKind.MAINLAND: ("居民身份证", "resident identity card"),
    IdKind.HONG_KONG: ("港澳台居民居住证（香港）", "residence permit, Hong Kong resident"),
    IdKind.MACAO: ("港澳台居民居住证（澳门）", "residence permit, Macao resident"),
    IdKind.TAIWAN: ("港澳台居民居住证（台湾）", "residence permit, Taiwan resident"),
    IdKind.PERMANENT_RESIDENT: (
        "外国人永久居留身份证",
        "foreigner's permanent residence identity card",
    ),
}
_PERMIT_ADDRESS_CODES = {
    "810000": IdKind.HONG_KONG,
    "820000": IdKind.MACAO,
    "830000": IdKind.TAIWAN,
}
PERMANENT_RESIDENT_MARK = "9"
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36"}
    | {"37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62"}
    | {"63", "64", "65"}
)
EARLIEST_BIRTH_YEAR = 1800


@dataclass(frozen=True, repr=False)
class ResidentId:
    """A checked ID number; its text form is masked so it cannot leak by accident."""

    value: str
    birth_date: date
    sex: str
    kind: IdKind = IdKind.MAINLAND

    def __repr__(self) -> str:
        return (
            f"ResidentId(value={mask_id_number(self.value)!r}, kind={self.kind.value!r}, "
            "birth_date=<hidden>, sex=<hidden>)"
        )

    def __str__(self) -> str:
        return mask_id_number(self.value)

    @property
    def masked(self) -> str:
        """The number with only its last four characters shown."""
        return mask_id_number(self.value)

    @property
    def nationality_code(self) -> str | None:
        """The numeric nationality code of a permanent-residence ID (else ``None``)."""
        return self.value[3:6] if self.kind is IdKind.PERMANENT_RESIDENT else None


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character (``0``-``9`` or ``X``) for the first 17 digits."""
    if len(first17) != RESIDENT_ID_LENGTH - 1 or not (first17.isascii() and first17.isdigit()):
        raise _id_number_error("前17位须为数字", "the first 17 characters must be digits")
    total = sum(
        int(digit) * weight for digit, weight in zip(first17, _RESIDENT_ID_WEIGHTS, strict=True)
    )
    return _RESIDENT_ID_CHECK[total % 11]


def id_kind_of(number: str) -> IdKind:
    """Which document an 18-digit number belongs to, from its leading digits."""
    if number.startswith(PERMANENT_RESIDENT_MARK):
        if number[1:3] not in PROVINCE_CODES:
            raise _id_number_error(
                "永久居留身份证的受理地代码不是省级行政区划代码",
                "the accepting-office code of a permanent-residence ID is not a province code",
            )
        return IdKind.PERMANENT_RESIDENT
    if number[:2] in ("81", "82", "83"):
        kind = _PERMIT_ADDRESS_CODES.get(number[:6])
        if kind is None:
            raise _id_number_error(
                "港澳台居民居住证的地址码须为 810000、820000 或 830000",
                "a residence permit's address code must be 810000, 820000 or 830000",
            )
        return kind
    if number[:2] not in PROVINCE_CODES:
        raise _id_number_error(
            "地址码不以省级行政区划代码开头",
            "the address code does not start with a province-level division code",
        )
    return IdKind.MAINLAND


def parse_resident_id(value: str, *, today: date | None = None) -> ResidentId:
    """Normalise and check an ID number of any ``IdKind``: length, digits, address code,
    birth date (real, from 1800, not after ``today`` when given) and check character."""
    number = value.strip().upper()
    if len(number) != RESIDENT_ID_LENGTH:
        raise _id_number_error("长度须为18位", "it must be 18 characters long")
    if not (number[:17].isascii() and number[:17].isdigit()):
        raise _id_number_error("前17位须为数字", "the first 17 characters must be digits")
    kind = id_kind_of(number)
    try:
        birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise _id_number_error("出生日期不存在", "the birth date does not exist") from None
    if birth_date.year < EARLIEST_BIRTH_YEAR or (today is not None and birth_date > today):
        raise _id_number_error("出生日期不合理", "the birth date is out of range")
    if resident_id_check_char(number[:17]) != number[17]:
        raise _id_number_error("校验码不符", "the check character does not match")
    sex = "male" if int(number[16]) % 2 else "female"
    return ResidentId(number, birth_date, sex, kind)


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a USCC."""
    if len(first17) != USCC_LENGTH - 1 or any(char not in USCC_ALPHABET for char in first17):
        raise _uscc_error(
            "前17位须取自代码字符集", "the first 17 characters must come from the code alphabet"
        )
    total = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first17, _USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def parse_uscc(value: str) -> str:
    """Normalise (strip, upper-case) and check a USCC; return the normalised code."""
    code = value.strip().upper()
    if len(code) != USCC_LENGTH:
        raise _uscc_error("长度须为18位", "it must be 18 characters long")
    if any(char not in USCC_ALPHABET for char in code):
        raise _uscc_error(
            "含有代码字符集以外的字符", "it holds characters outside the code alphabet"
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise _uscc_error("校验码不符", "the check character does not match")
    return code


def is_valid_uscc(value: str) -> bool:
    """Whether ``value`` is a well-formed USCC with a correct check character.

    For warnings on codes entered by others (some legal early codes fail the check);
    codes the registry itself issues under must go through ``parse_uscc``.
    """
    try:
        parse_uscc(value)
    except RegistryError:
        return False
    return True


@dataclass(frozen=True)
class ReceivedUscc:
    """A USCC received from a partner: well-formed, its check character possibly failing."""

    code: str
    check_failed: bool


def looks_like_uscc(value: object) -> bool:
    """Whether ``value`` has the shape of a USCC (18 characters of the code alphabet)."""
    return (
        isinstance(value, str)
        and len(value) == USCC_LENGTH
        and all(char in USCC_ALPHABET for char in value)
    )


def read_received_uscc(value: str) -> ReceivedUscc:
    """A USCC received from others (a partner's request or credential).

    A malformed code (length, alphabet) is refused like any bad input, but a failing check
    character is only flagged: some legally issued early codes fail it, so the caller warns
    (``USCC_CHECK_FAILED``) and goes on. The registry's own issuers use ``parse_uscc``.
    """
    code = value.strip().upper()
    if not looks_like_uscc(code):
        parse_uscc(code)  # raises USCC_INVALID with the precise reason
    return ReceivedUscc(code, uscc_check_char(code[:17]) != code[17])

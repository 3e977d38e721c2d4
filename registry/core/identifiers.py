"""Check characters of the national identifiers the registry handles.

Resident ID numbers follow GB 11643 (the same check serves Hong Kong, Macao and Taiwan
residence permits and the 18-digit permanent-residence ID); organisations are named by
their unified social credit code (USCC, GB 32100). Errors never repeat the input: an ID
number is personal data and must not reach a message or a log line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from registry.core.errors import RegistryError, invalid
from registry.core.privacy import mask_id_number

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


@dataclass(frozen=True, repr=False)
class ResidentId:
    """A checked resident ID number; its text form is masked so it cannot leak by accident."""

    value: str
    birth_date: date
    sex: str

    def __repr__(self) -> str:
        return (
            f"ResidentId(value={mask_id_number(self.value)!r}, birth_date=<hidden>, sex=<hidden>)"
        )

    def __str__(self) -> str:
        return mask_id_number(self.value)

    @property
    def masked(self) -> str:
        """The number with only its first and last four characters shown."""
        return mask_id_number(self.value)


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character (``0``-``9`` or ``X``) for the first 17 digits."""
    if len(first17) != RESIDENT_ID_LENGTH - 1 or not (first17.isascii() and first17.isdigit()):
        raise _id_number_error("前17位须为数字", "the first 17 characters must be digits")
    total = sum(
        int(digit) * weight for digit, weight in zip(first17, _RESIDENT_ID_WEIGHTS, strict=True)
    )
    return _RESIDENT_ID_CHECK[total % 11]


def parse_resident_id(value: str) -> ResidentId:
    """Normalise and check a resident ID number: length, digits, birth date, check character."""
    number = value.strip().upper()
    if len(number) != RESIDENT_ID_LENGTH:
        raise _id_number_error("长度须为18位", "it must be 18 characters long")
    if not (number[:17].isascii() and number[:17].isdigit()):
        raise _id_number_error("前17位须为数字", "the first 17 characters must be digits")
    try:
        birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise _id_number_error("出生日期不存在", "the birth date does not exist") from None
    if resident_id_check_char(number[:17]) != number[17]:
        raise _id_number_error("校验码不符", "the check character does not match")
    sex = "male" if int(number[16]) % 2 else "female"
    return ResidentId(number, birth_date, sex)


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

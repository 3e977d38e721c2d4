from datetime import date

import pytest

from registry.core.errors import ErrorKind, RegistryError
from registry.core.identifiers import (
    ResidentId,
    is_valid_uscc,
    parse_resident_id,
    parse_uscc,
    resident_id_check_char,
    uscc_check_char,
)

# Worked examples printed in GB 11643-1999.
STANDARD_ID_NUMBERS = ("11010519491231002X", "440524188001010014")
# Published codes of real companies, checked by hand against GB 32100.
PUBLISHED_USCCS = ("914403001922038216", "91330100799655058B")


@pytest.mark.parametrize("number", STANDARD_ID_NUMBERS)
def test_check_char_of_standard_examples(number: str) -> None:
    assert resident_id_check_char(number[:17]) == number[17]


def test_parse_normalises_and_reads_birth_date_and_sex() -> None:
    parsed = parse_resident_id("  11010519491231002x ")
    assert parsed.value == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "female"
    assert parse_resident_id("440524188001010014").sex == "male"


def test_text_forms_are_masked() -> None:
    parsed = parse_resident_id("11010519491231002X")
    for text in (repr(parsed), str(parsed), f"{parsed}", repr([parsed])):
        assert "11010519491231002X" not in text
        assert "19491231" not in text
    assert str(parsed) == "1101**********002X"
    assert parsed.masked == "1101**********002X"


def _assert_id_rejected(value: str) -> RegistryError:
    with pytest.raises(RegistryError) as caught:
        parse_resident_id(value)
    error = caught.value
    assert error.code == "ID_NUMBER_INVALID"
    assert error.kind is ErrorKind.INVALID
    texts = (str(error), repr(error), error.message_zh, error.message_en, *error.args)
    for fragment in filter(None, (value.strip(), value.strip()[6:14])):
        assert not any(fragment in text for text in texts)
    return error


@pytest.mark.parametrize(
    "value",
    [
        "110105194912310021",  # wrong check character
        "11010519491231002",  # too short
        "11010519491231002X1",  # too long
        "1101051949123100AX",  # letter inside
        "110105194902300027",  # 30 February
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits
        "",
    ],
)
def test_bad_id_numbers_are_rejected_without_echo(value: str) -> None:
    _assert_id_rejected(value)


def test_check_char_refuses_bad_input() -> None:
    with pytest.raises(RegistryError, match="ID_NUMBER_INVALID"):
        resident_id_check_char("1101051949123100")
    with pytest.raises(RegistryError, match="ID_NUMBER_INVALID"):
        resident_id_check_char("1101051949123100A")


def test_resident_id_equality_uses_value() -> None:
    assert parse_resident_id("11010519491231002x") == ResidentId(
        "11010519491231002X", date(1949, 12, 31), "female"
    )


@pytest.mark.parametrize("code", PUBLISHED_USCCS)
def test_uscc_check_of_published_codes(code: str) -> None:
    assert uscc_check_char(code[:17]) == code[17]
    assert parse_uscc(code.lower() + " ") == code
    assert is_valid_uscc(code)


@pytest.mark.parametrize(
    "value",
    [
        "914403001922038217",  # wrong check character
        "91440300192203821",  # too short
        "91440300I922038216",  # I is not in the alphabet
        "91440300S922038216",  # nor is S
        "",
    ],
)
def test_bad_usccs_are_rejected(value: str) -> None:
    assert not is_valid_uscc(value)
    with pytest.raises(RegistryError) as caught:
        parse_uscc(value)
    assert caught.value.code == "USCC_INVALID"
    assert caught.value.kind is ErrorKind.INVALID
    if value:
        assert value not in str(caught.value)


def test_uscc_check_char_refuses_letters_outside_alphabet() -> None:
    with pytest.raises(RegistryError, match="USCC_INVALID"):
        uscc_check_char("91440300O92203821")

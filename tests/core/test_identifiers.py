from datetime import date

import pytest

from registry.core.errors import ErrorKind, RegistryError
from registry.core.people.identifiers import (
    IdKind,
    ReceivedUscc,
    ResidentId,
    is_valid_uscc,
    looks_like_uscc,
    parse_resident_id,
    parse_uscc,
    read_received_uscc,
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
    assert str(parsed) == "*" * 14 + "002X"
    assert parsed.masked == "*" * 14 + "002X"


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


def fictional(prefix: str, birth: str, sequence: int) -> str:
    """A made-up number in the demo convention (sequence 99x) with a correct check."""
    first17 = f"{prefix}{birth}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


@pytest.mark.parametrize(
    ("prefix", "kind"),
    [
        ("320509", IdKind.MAINLAND),
        ("810000", IdKind.HONG_KONG),
        ("820000", IdKind.MACAO),
        ("830000", IdKind.TAIWAN),
        ("931826", IdKind.PERMANENT_RESIDENT),  # 9, Shanghai office (31), nationality 826
    ],
)
def test_each_kind_is_recognised_with_its_birth_date(prefix: str, kind: IdKind) -> None:
    number = fictional(prefix, "19900227", 993)
    parsed = parse_resident_id(number.lower())
    assert parsed.kind is kind
    assert parsed.value == number
    assert parsed.birth_date == date(1990, 2, 27)
    assert parsed.sex == "male"
    assert parsed.masked == "*" * 14 + number[-4:]
    assert number not in repr(parsed) and kind.value in repr(parsed)
    assert kind.label[0] and kind.label[1]


def test_permanent_residence_id_reads_its_nationality_code() -> None:
    assert parse_resident_id(fictional("931826", "19850101", 991)).nationality_code == "826"
    assert parse_resident_id(fictional("320509", "19850101", 991)).nationality_code is None


@pytest.mark.parametrize(
    ("prefix", "birth", "reason"),
    [
        ("810001", "19900101", "港澳台"),  # a permit's address code is exactly 810000
        ("840000", "19900101", "省级"),  # 84 is no province
        ("710000", "19900101", "省级"),  # Taiwan province code is not used on resident IDs
        ("001234", "19900101", "省级"),
        ("990826", "19900101", "受理地"),  # 9 + office 90: no such province
        ("931826", "19900230", "出生日期"),  # 30 February
        ("810000", "20230229", "出生日期"),  # 2023 is no leap year
        ("830000", "17991231", "出生日期"),  # before 1800
    ],
)
def test_impossible_numbers_of_each_kind_are_refused(prefix: str, birth: str, reason: str) -> None:
    error = _assert_id_rejected(fictional(prefix, birth, 991))
    assert reason in error.message_zh


@pytest.mark.parametrize("prefix", ["320509", "810000", "820000", "830000", "931826"])
def test_wrong_check_character_is_refused_for_every_kind(prefix: str) -> None:
    number = fictional(prefix, "19900101", 995)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert "校验码" in _assert_id_rejected(wrong).message_zh


def test_birth_after_today_is_refused_only_when_today_is_given() -> None:
    number = fictional("320509", "20300101", 991)
    assert parse_resident_id(number).birth_date == date(2030, 1, 1)
    with pytest.raises(RegistryError, match="ID_NUMBER_INVALID"):
        parse_resident_id(number, today=date(2026, 11, 22))


def test_received_usccs_warn_on_the_check_but_refuse_bad_shapes() -> None:
    good = read_received_uscc(" 91330100799655058b ")
    assert good == ReceivedUscc("91330100799655058B", check_failed=False)
    assert read_received_uscc("91330100799655058C").check_failed
    for malformed in ("9133010079965505", "91330100799655058I", ""):
        with pytest.raises(RegistryError, match="USCC_INVALID"):
            read_received_uscc(malformed)
    assert looks_like_uscc("91330100799655058C")
    assert not looks_like_uscc("91330100799655058O")
    assert not looks_like_uscc(None)

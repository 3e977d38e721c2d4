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


# Hand-computed examples with a non-zero character at every weighted position, so a change
# to any one weight changes their check character (the published examples above have "0"
# at positions 3 and 5, where a changed weight goes unnoticed). Made-up numbers; the
# arithmetic is written out so it does not come from the code under test.
#
# GB 11643, weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check = "10X98765432"[sum mod 11]:
#   32132219871125379: 3×7 + 2×9 + 1×10 + 3×5 + 2×8 + 2×4 + 1×2 + 9×1 + 8×6 + 7×3
#                      + 1×7 + 1×9 + 2×10 + 5×5 + 3×8 + 7×4 + 9×2
#                    = 21+18+10+15+16+8+2+9+48+21+7+9+20+25+24+28+18 = 299;
#                      299 = 27×11 + 2 → "10X98765432"[2] = X
#   44152319631218541: 4×7 + 4×9 + 1×10 + 5×5 + 2×8 + 3×4 + 1×2 + 9×1 + 6×6 + 3×3
#                      + 1×7 + 2×9 + 1×10 + 8×5 + 5×8 + 4×4 + 1×2
#                    = 28+36+10+25+16+12+2+9+36+9+7+18+10+40+40+16+2 = 316;
#                      316 = 28×11 + 8 → "10X98765432"[8] = 4
HAND_COMPUTED_ID_NUMBERS = ("32132219871125379X", "441523196312185414")
#
# GB 32100, alphabet 0-9 A-H J-N P-R T U W-Y (A=10 … Y=30), weights
# 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28, check = alphabet[(31 - sum mod 31) mod 31]:
#   91321322MA1XH5T86: values 9 1 3 2 1 3 2 2 21(M) 10(A) 1 29(X) 17(H) 5 26(T) 8 6
#     9×1 + 1×3 + 3×9 + 2×27 + 1×19 + 3×26 + 2×16 + 2×17 + 21×20 + 10×29 + 1×25 + 29×13
#     + 17×8 + 5×24 + 26×10 + 8×30 + 6×28
#     = 9+3+27+54+19+78+32+34+420+290+25+377+136+120+260+240+168 = 2292;
#     2292 = 73×31 + 29 → 31 - 29 = 2 → "2"
#   52341122YB8K6C4D3: values 5 2 3 4 1 1 2 2 30(Y) 11(B) 8 19(K) 6 12(C) 4 13(D) 3
#     5×1 + 2×3 + 3×9 + 4×27 + 1×19 + 1×26 + 2×16 + 2×17 + 30×20 + 11×29 + 8×25 + 19×13
#     + 6×8 + 12×24 + 4×10 + 13×30 + 3×28
#     = 5+6+27+108+19+26+32+34+600+319+200+247+48+288+40+390+84 = 2473;
#     2473 = 79×31 + 24 → 31 - 24 = 7 → "7"
HAND_COMPUTED_USCCS = ("91321322MA1XH5T862", "52341122YB8K6C4D37")


@pytest.mark.parametrize("number", HAND_COMPUTED_ID_NUMBERS)
def test_check_char_of_hand_computed_examples_with_every_position_weighted(number: str) -> None:
    assert all(digit != "0" for digit in number[:17])
    assert resident_id_check_char(number[:17]) == number[17]
    assert parse_resident_id(number).value == number


@pytest.mark.parametrize("code", HAND_COMPUTED_USCCS)
def test_uscc_check_of_hand_computed_codes_with_every_position_weighted(code: str) -> None:
    assert all(char != "0" for char in code[:17])
    assert uscc_check_char(code[:17]) == code[17]
    assert parse_uscc(code) == code


def test_a_person_born_today_is_accepted_and_one_born_tomorrow_refused() -> None:
    today = date(2026, 11, 22)
    assert parse_resident_id(fictional("320509", "20261122", 991), today=today).birth_date == (
        today
    )
    error = _assert_id_rejected_on(fictional("320509", "20261123", 991), today)
    assert "出生日期不合理" in error.message_zh


def _assert_id_rejected_on(value: str, today: date) -> RegistryError:
    with pytest.raises(RegistryError) as caught:
        parse_resident_id(value, today=today)
    assert caught.value.code == "ID_NUMBER_INVALID"
    return caught.value


# Each case breaks exactly one rule (the others hold: right length, digits, a province,
# a real birth date, the right check character), and the message names that rule.
@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("11010519491231002", "长度须为18位"),  # one character short, nothing else wrong
        ("11010519491231002X1", "长度须为18位"),  # one too many
        (fictional("320509", "19900101", 991)[:16] + "A" + "0", "前17位须为数字"),
        ("X" + fictional("320509", "19900101", 991)[1:], "前17位须为数字"),
        (fictional("840000", "19900101", 991), "省级行政区划代码开头"),
        (fictional("810001", "19900101", 991), "810000、820000 或 830000"),
        (fictional("990826", "19900101", 991), "受理地代码"),
        (fictional("320509", "19900230", 991), "出生日期不存在"),
        (fictional("320509", "17991231", 991), "出生日期不合理"),
        ("110105194912310021", "校验码不符"),
    ],
    ids=[
        "short", "long", "letter-in-sequence", "letter-first", "no-province", "permit-address",
        "permanent-office", "no-such-day", "before-1800", "check-character",
    ],
)  # fmt: skip
def test_each_id_rule_refuses_with_its_own_message(value: str, reason: str) -> None:
    assert reason in _assert_id_rejected(value).message_zh


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("91330100799655058", "长度须为18位"),  # the check character left off
        ("91330100799655058BB", "长度须为18位"),
        ("91330100799655058I", "代码字符集以外"),  # I is no code character (in check position)
        ("9133010079965505IB", "代码字符集以外"),
        ("91330100799655058C", "校验码不符"),
    ],
    ids=["short", "long", "letter-I-as-check", "letter-I-inside", "check-character"],
)
def test_each_uscc_rule_refuses_with_its_own_message(value: str, reason: str) -> None:
    with pytest.raises(RegistryError) as caught:
        parse_uscc(value)
    assert caught.value.code == "USCC_INVALID"
    assert reason in caught.value.message_zh

import hashlib
import hmac

import pytest

from registry.core.people.privacy import id_number_digest, mask_id_number, mask_name


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三明", "张*明"),
        ("张三", "张*"),
        ("欧阳小明", "欧**明"),
        ("王", "*"),
        ("J", "*"),
        ("John Smith", "J*** S****"),
        ("Madonna", "M******"),
        (" 李四 ", "李*"),
        ("阿依古丽·买买提", "阿**丽·买*提"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_id_number_shows_only_the_last_four() -> None:
    # Issue 13: the first four (province and city) with the last four left only the birth
    # date and county to guess, about a million tries against a leaked hash key.
    assert mask_id_number("11010519491231002x") == "*" * 14 + "002X"
    assert mask_id_number("110105491231002") == "*" * 11 + "1002"
    assert mask_id_number("E12345678") == "*********"
    assert mask_id_number("12345678") == "********"


def test_digest_is_keyed_hmac_of_normalised_number() -> None:
    key = b"k" * 32
    expected = hmac.new(key, b"11010519491231002X", hashlib.sha256).hexdigest()
    assert id_number_digest(key, "11010519491231002X") == expected
    assert id_number_digest(key, " 11010519491231002x") == expected
    assert id_number_digest(b"other" * 8, "11010519491231002X") != expected
    assert id_number_digest(key, "440524188001010014") != expected


def test_redact_identifiers_in_free_text():
    from registry.core.people.privacy import redact_identifiers

    text = "核验 320509198611039931 与 32050919861103993X、旧证 320509861103993 及 ABC320509198611039931"
    redacted = redact_identifiers(text)
    assert "320509198611039931" not in redacted.replace("ABC320509198611039931", "")
    assert "*" * 14 + "9931" in redacted
    assert "*" * 14 + "993X" in redacted
    assert "*" * 11 + "3993" in redacted
    assert "3205*" not in redacted
    assert "ABC320509198611039931" in redacted  # part of a longer token: not an ID number


def test_loggable_text_is_one_line_without_identifiers():
    from registry.core.people.privacy import loggable

    line = loggable("招聘\n核验 320509198611039931\rFAKE log=entry" + "x" * 500)
    assert "\n" not in line and "\r" not in line
    assert "320509198611039931" not in line
    assert len(line) <= 200


def test_mask_passport_number_shows_at_most_a_quarter_all_at_the_end():
    from registry.core.people.privacy import mask_passport_number

    assert mask_passport_number(" e12345678") == "*******78"
    assert mask_passport_number("X1234567") == "******67"
    assert mask_passport_number("12345") == "****5"
    assert mask_passport_number("123") == "***"
    assert mask_passport_number("A" * 8 + "12345678" + "B" * 4) == "*" * 16 + "BBBB"


def test_redact_chinese_passport_numbers_in_free_text():
    from registry.core.people.privacy import redact_identifiers

    redacted = redact_identifiers("护照 E12345678、g12345678 与 EB1234567；编号 XE987654321 不是")
    assert "E12345678" not in redacted and "g12345678" not in redacted
    assert "EB1234567" not in redacted
    assert redacted.count("*******78") == 2 and "*******67" in redacted
    assert "XE987654321" in redacted  # part of a longer token


def test_the_shortest_number_shown_at_its_end_has_twelve_characters() -> None:
    """The last four are shown only when at least twice as many are hidden."""
    assert mask_id_number("123456789012") == "*" * 8 + "9012"
    assert mask_id_number("12345678901") == "*" * 11

"""Personal numbers in a subject: found by field name, checked, masked, the holder's told apart."""

from __future__ import annotations

import pytest

from registry.core.errors import RegistryError
from registry.core.people.identifiers import resident_id_check_char
from registry.core.people.personal_numbers import (
    PASSPORT,
    holder_number,
    masked_subject,
    read_personal_numbers,
)

NUMBER = "11010519491231002X"  # the worked example printed in GB 11643
PERMIT = "81000019900227993" + resident_id_check_char("81000019900227993")  # fictional (99x)


def subject() -> dict:
    return {
        "name": "Jane Doe",
        "idNumber": PERMIT,
        "passport": {"number": "x1234567", "issuingCountry": "usa"},
        "dependants": [
            {"name": "Tom Doe", "passportNumber": "e12345678", "passportCountry": "CHN"},
            {"name": "Ann Doe", "idNumber": NUMBER},
        ],
    }


def test_every_number_is_found_checked_and_told_holder_or_not() -> None:
    numbers = read_personal_numbers(subject())
    found = [(n.pointer, n.kind, n.value, n.country, n.holder) for n in numbers]
    assert found == [
        ("/idNumber", "hong_kong", PERMIT, None, True),
        ("/passport/number", PASSPORT, "X1234567", "USA", True),
        ("/dependants/0/passportNumber", PASSPORT, "E12345678", "CHN", False),
        ("/dependants/1/idNumber", "mainland", NUMBER, None, False),
    ]
    assert holder_number(numbers) == numbers[0]
    assert holder_number(numbers[1:]) == numbers[1]
    assert holder_number(numbers[2:]) is None
    for number in numbers:
        assert number.value not in repr(number)


def test_masked_copy_leaves_the_original_alone() -> None:
    original = subject()
    masked = masked_subject(original, read_personal_numbers(original))
    assert masked["idNumber"] == "*" * 14 + PERMIT[-4:]
    assert masked["passport"] == {"number": "******67", "issuingCountry": "usa"}
    assert masked["dependants"][0]["passportNumber"] == "*******78"
    assert masked["dependants"][1]["idNumber"] == "*" * 14 + "002X"
    assert original == subject()


def test_every_bad_number_is_reported_by_pointer_never_by_value() -> None:
    bad = subject()
    bad["idNumber"] = PERMIT[:-1] + ("0" if PERMIT[-1] != "0" else "1")
    bad["dependants"][0]["passportNumber"] = "E1234"
    with pytest.raises(RegistryError) as caught:
        read_personal_numbers(bad, prefix="/credential/credentialSubject")
    error = caught.value
    assert [(p.pointer, p.code) for p in error.problems] == [
        ("/credential/credentialSubject/idNumber", "ID_NUMBER_INVALID"),
        ("/credential/credentialSubject/dependants/0/passportNumber", "PASSPORT_INVALID"),
    ]
    assert error.code == "ID_NUMBER_INVALID"
    assert bad["idNumber"] not in str(error.problems) and "E1234" not in str(error.problems)


def test_a_subject_without_numbers_has_none() -> None:
    assert read_personal_numbers({"name": "x", "idNumber": 1, "passport": "E12345678"}) == ()

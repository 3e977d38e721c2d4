"""National e-licence identifiers (GB/T 36904): build, parse, check, amend; the registry's
earlier form still parses."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from registry.core.codes import code_list
from registry.core.errors import RegistryError
from registry.core.people.identifiers import uscc_check_char
from registry.core.people.iso7064 import ALPHABET, mod37_36_check_char
from registry.core.records import elicence
from tests.support.vectors_elicence import elicence_vectors

USCC = "11310118MB0000001" + uscc_check_char("11310118MB0000001")  # the demo Qingpu bureau
RECORD = "3f2b8c1e-5d4a-4b6f-9e7d-0a1b2c3d4e5f"
TYPE = "11100000000013338W011"  # a type code of the public vectors
ROOT = "1.2.156.3005.2"
VECTORS = elicence_vectors()


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.identifier[-9:])
def test_the_public_vectors_parse_and_their_check_characters_verify(vector) -> None:
    parsed = elicence.parse(vector.identifier)
    assert (parsed.type_code, parsed.issuer_uscc, parsed.serial) == (
        vector.type_code,
        vector.issuer_uscc,
        vector.serial,
    )
    assert (parsed.version_text, parsed.check, parsed.legacy) == (
        vector.version,
        vector.check,
        False,
    )
    protected = f"{vector.type_code}{vector.issuer_uscc}{vector.serial}{vector.version}"
    assert mod37_36_check_char(protected) == vector.check
    assert str(parsed) == vector.identifier
    rebuilt = elicence.build(vector.type_code, vector.issuer_uscc, vector.serial, parsed.version)
    assert str(rebuilt) == vector.identifier


def test_the_vectors_two_versions_are_one_licence() -> None:
    first, second = (elicence.parse(v.identifier) for v in VECTORS[:2])
    assert first.licence_key == second.licence_key
    assert str(elicence.amended(first)) == str(second)


def test_build_writes_every_part_and_a_mod37_36_check() -> None:
    serial = elicence.serial_for(RECORD, date(2026, 11, 22))
    built = elicence.build(TYPE, USCC, serial)
    protected = f"{TYPE}{USCC}{serial}001"
    assert str(built) == f"{ROOT}.{TYPE}.{USCC}.{serial}.001.{mod37_36_check_char(protected)}"
    assert elicence.parse(str(built)) == built
    assert elicence.parse(" " + str(built).lower() + " ") == built
    assert built.licence_key == f"{ROOT}.{TYPE}.{USCC}.{serial}"


def test_serial_is_the_issue_date_and_twelve_digits_of_the_record_id() -> None:
    serial = elicence.serial_for(RECORD, date(2026, 11, 22))
    assert serial == "20261122" + f"{uuid.UUID(RECORD).int % 10**12:012d}"
    assert len(serial) == 20 and serial.isdigit()  # never 18: that would look like an ID
    assert elicence.serial_for(RECORD, date(2026, 11, 22)) == serial  # deterministic


def test_amendment_keeps_type_issuer_and_serial_and_takes_the_next_version() -> None:
    first = elicence.build(TYPE, USCC, "202611220000000042")
    second = elicence.amended(first)
    assert (second.serial, second.version, second.version_text) == (first.serial, 2, "002")
    assert second.licence_key == first.licence_key
    assert str(second) != str(first) and elicence.parse(str(second)) == second
    assert elicence.amended(elicence.build(TYPE, USCC, "1", 998)).version_text == "999"
    with pytest.raises(RegistryError, match="three digits"):
        elicence.amended(elicence.build(TYPE, USCC, "1", 999))


def test_own_identifiers_need_a_uscc_that_passes_its_check() -> None:
    wrong = USCC[:17] + ("0" if USCC[17] != "0" else "1")
    with pytest.raises(RegistryError, match="USCC_INVALID"):
        elicence.build(TYPE, wrong, "1")
    # one received from a partner with such an (early, legal) code still parses, whether
    # the code is the issuer's or the type code's defining authority's
    received = _with_check(TYPE, wrong, "7", "001")
    assert elicence.parse(received).issuer_uscc == wrong
    early_type = wrong + "011"
    assert elicence.parse(_with_check(early_type, USCC, "7", "001")).type_code == early_type


def _own() -> str:
    return str(elicence.build(TYPE, USCC, elicence.serial_for(RECORD, date(2026, 11, 22))))


def test_a_single_changed_character_is_detected_anywhere_after_the_root() -> None:
    text = _own()
    start = len(elicence.ROOT) + 1
    for position in range(start, len(text)):
        if text[position] == ".":
            continue
        for other in ALPHABET.replace(text[position], ""):
            changed = text[:position] + other + text[position + 1 :]
            with pytest.raises(RegistryError, match="ELICENCE_ID_INVALID"):
                elicence.parse(changed)


def test_a_transposition_of_neighbours_is_detected() -> None:
    text = _own()
    for position in range(len(elicence.ROOT) + 1, len(text) - 1):
        a, b = text[position], text[position + 1]
        if a == b or "." in (a, b):
            continue
        swapped = text[:position] + b + a + text[position + 2 :]
        with pytest.raises(RegistryError, match="ELICENCE_ID_INVALID"):
            elicence.parse(swapped)


def _with_check(*parts: str, root: str = ROOT) -> str:
    """An identifier of ``parts`` (type, USCC, serial, version; any of them may be wrong)
    closed by the right MOD 37,36 character, so that only the wrong part is wrong."""
    return ".".join((root, *parts, mod37_36_check_char("".join(parts))))


GOOD = VECTORS[0]
GOOD_PARTS = (GOOD.type_code, GOOD.issuer_uscc, GOOD.serial, GOOD.version)

# Each case is wrong in exactly one way, and names the message of that one rule.
ONE_RULE_BROKEN = {
    "root": (_with_check(*GOOD_PARTS, root="1.2.156.3005.1"), "must start with 1.2.156.3005.2."),
    "parts": (_with_check(GOOD.type_code, GOOD.issuer_uscc, GOOD.serial), "five parts"),
    "type: 20 characters": (
        _with_check(GOOD.type_code[:20], *GOOD_PARTS[1:]),
        "type code must be 21 characters",
    ),
    "type: letter in the sequence": (
        _with_check(GOOD.type_code[:19] + "A1", *GOOD_PARTS[1:]),
        "type code must be 21 characters",
    ),
    "type: authority not a USCC": (
        _with_check("I" + GOOD.type_code[1:], *GOOD_PARTS[1:]),
        "type code must be 21 characters",
    ),
    "uscc: 17 characters": (
        _with_check(GOOD.type_code, GOOD.issuer_uscc[:17], GOOD.serial, GOOD.version),
        "issuer part is not a USCC",
    ),
    "uscc: O is not in its alphabet": (
        _with_check(GOOD.type_code, "O" + GOOD.issuer_uscc[1:], GOOD.serial, GOOD.version),
        "issuer part is not a USCC",
    ),
    "serial: empty": (
        _with_check(GOOD.type_code, GOOD.issuer_uscc, "", GOOD.version),
        "serial must be digits or capital letters",
    ),
    "version: two digits": (
        _with_check(GOOD.type_code, GOOD.issuer_uscc, GOOD.serial, "01"),
        "version must be three digits",
    ),
    "version: 000": (
        _with_check(GOOD.type_code, GOOD.issuer_uscc, GOOD.serial, "000"),
        "version must be three digits",
    ),
    "length: 97 characters": (
        _with_check(GOOD.type_code, GOOD.issuer_uscc, "2" * 35, GOOD.version),
        "at most 96 characters",
    ),
    "check": (GOOD.identifier[:-1] + ("V" if GOOD.check != "V" else "W"), "check character"),
    "legacy serial: 33 characters": (
        _with_check("01", USCC, "1" * 33, "1"),
        "serial of an earlier-form identifier",
    ),
    "legacy version: leading 0": (
        _with_check("01", USCC, "1", "01"),
        "version of an earlier-form identifier",
    ),
}


@pytest.mark.parametrize(("text", "message"), ONE_RULE_BROKEN.values(), ids=ONE_RULE_BROKEN)
def test_each_refusal_rule_has_its_own_case_and_message(text: str, message: str) -> None:
    with pytest.raises(RegistryError) as caught:
        elicence.parse(text)
    assert caught.value.code == "ELICENCE_ID_INVALID"
    assert message in caught.value.message_en, caught.value.message_en
    assert caught.value.message_zh.startswith("电子证照标识无效：")


def test_the_length_rule_admits_96_characters() -> None:
    longest = _with_check(GOOD.type_code, GOOD.issuer_uscc, "2" * 34, GOOD.version)
    assert len(longest) == elicence.MAX_LENGTH == 96
    assert str(elicence.parse(longest)) == longest
    with pytest.raises(RegistryError, match="at most 96"):
        elicence.build(GOOD.type_code, GOOD.issuer_uscc, "2" * 35)


@pytest.mark.parametrize(
    ("type_code", "serial", "version", "message"),
    [
        ("01", "1", 1, "type code must be 21"),
        (TYPE, "", 1, "serial must be"),
        (TYPE, "1-2", 1, "serial must be"),
        (TYPE, "1", 0, "version must be"),
        (TYPE, "1", 1000, "version must be"),
    ],
)
def test_build_refuses_bad_parts(type_code: str, serial: str, version: int, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        elicence.build(type_code, USCC, serial, version)


def test_looks_like_tells_it_from_a_record_id() -> None:
    assert elicence.looks_like_elicence_id(_own())
    assert not elicence.looks_like_elicence_id(RECORD)


# The registry's earlier form: records issued before revision 0011 carry it.


def test_earlier_form_identifiers_still_parse_and_round_trip() -> None:
    serial = elicence.serial_for(RECORD, date(2026, 11, 22))
    earlier = elicence.legacy_for_record(
        "ProfessionalTitleCredential", USCC, RECORD, date(2026, 11, 22)
    )
    protected = f"01{USCC}{serial}1"
    text = f"{ROOT}.01.{USCC}.{serial}.1.{mod37_36_check_char(protected)}"
    assert str(earlier) == text and earlier.legacy and earlier.version_text == "1"
    assert elicence.parse(text.lower()) == earlier
    assert str(elicence.amended(earlier)).endswith(
        f".{serial}.2." + elicence.amended(earlier).check
    )


def test_the_national_form_of_an_earlier_identifier_keeps_issuer_serial_and_version() -> None:
    earlier = elicence.build_legacy("01", USCC, "20261122000000000042", 2)
    national = elicence.national_form_of("ProfessionalTitleCredential", earlier)
    assert not national.legacy
    assert (national.issuer_uscc, national.serial, national.version_text) == (
        USCC,
        earlier.serial,
        "002",
    )
    assert national.type_code == elicence.type_code_of("ProfessionalTitleCredential")
    assert elicence.parse(str(national)) == national


def test_every_record_type_has_a_21_character_type_code_of_its_own() -> None:
    types = code_list("record-types")
    codes = [elicence.type_code_of(entry.code) for entry in types]
    assert all(len(code) == 21 and elicence.is_type_code(code) for code in codes)
    assert len(set(codes)) == len(codes)


def test_placeholder_type_codes_are_marked_and_listed() -> None:
    types = code_list("record-types")
    marked = [e.code for e in types if e.extra.get("elicenceTypeCodePlaceholder") == "True"]
    assert elicence.placeholder_type_codes() == tuple(marked)
    assert len(marked) == len(types)  # no real code is known yet
    for code in marked:  # a placeholder names no authority: eighteen zeros, then a sequence
        assert elicence.type_code_of(code).startswith("0" * 18)


@pytest.mark.parametrize(
    ("type_code", "serial", "version", "rule"),
    [
        ("1", "20261122000000000042", 1, "type"),  # only the type is wrong
        ("01", "2026-1122", 1, "legacy_serial"),  # only the serial is wrong
        ("01", "X" * 33, 1, "legacy_serial"),  # only the serial's length is wrong
        ("01", "20261122000000000042", 0, "legacy_version"),  # only the version is wrong
    ],
)
def test_an_earlier_form_identifier_is_refused_for_its_one_wrong_part(
    type_code: str, serial: str, version: int, rule: str
) -> None:
    with pytest.raises(RegistryError) as refused:
        elicence.build_legacy(type_code, USCC, serial, version)
    assert refused.value.code == "ELICENCE_ID_INVALID"
    assert refused.value.message_en == f"invalid e-licence identifier: {elicence.RULES[rule][1]}"

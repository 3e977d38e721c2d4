"""National e-licence identifiers (GB/T 36904): build, parse, check, amend."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from registry.core.errors import RegistryError
from registry.core.people.identifiers import uscc_check_char
from registry.core.people.iso7064 import ALPHABET, mod37_36_check_char
from registry.core.records import elicence

USCC = "11310118MB0000001" + uscc_check_char("11310118MB0000001")  # the demo Qingpu bureau
RECORD = "3f2b8c1e-5d4a-4b6f-9e7d-0a1b2c3d4e5f"


def test_build_writes_every_part_and_a_mod37_36_check() -> None:
    serial = elicence.serial_for(RECORD, date(2026, 11, 22))
    built = elicence.build("01", USCC, serial)
    protected = f"01{USCC}{serial}1"
    assert str(built) == f"1.2.156.3005.2.01.{USCC}.{serial}.1.{mod37_36_check_char(protected)}"
    assert elicence.parse(str(built)) == built
    assert elicence.parse(" " + str(built).lower() + " ") == built
    assert built.licence_key == f"1.2.156.3005.2.01.{USCC}.{serial}"


def test_serial_is_the_issue_date_and_twelve_digits_of_the_record_id() -> None:
    serial = elicence.serial_for(RECORD, date(2026, 11, 22))
    assert serial == "20261122" + f"{uuid.UUID(RECORD).int % 10**12:012d}"
    assert len(serial) == 20 and serial.isdigit()  # never 18: that would look like an ID
    assert elicence.serial_for(RECORD, date(2026, 11, 22)) == serial  # deterministic


def test_amendment_keeps_the_serial_and_takes_the_next_version() -> None:
    first = elicence.build("02", USCC, "202611220000000042")
    second = elicence.amended(first)
    assert (second.serial, second.version) == (first.serial, 2)
    assert second.licence_key == first.licence_key
    assert str(second) != str(first) and elicence.parse(str(second)) == second


def test_own_identifiers_need_a_uscc_that_passes_its_check() -> None:
    wrong = USCC[:17] + ("0" if USCC[17] != "0" else "1")
    with pytest.raises(RegistryError, match="USCC_INVALID"):
        elicence.build("01", wrong, "1")
    # one received from a partner with such an (early, legal) code still parses
    protected = f"01{wrong}71"
    received = f"1.2.156.3005.2.01.{wrong}.7.1.{mod37_36_check_char(protected)}"
    assert elicence.parse(received).issuer_uscc == wrong


def _own() -> str:
    return str(elicence.build("01", USCC, elicence.serial_for(RECORD, date(2026, 11, 22))))


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


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1.2.156.3005.1.01.X",  # another root
        "1.2.156.3005.2.01.{u}.1.1",  # four parts
        "1.2.156.3005.2.1.{u}.1.1.A",  # one-digit type
        "1.2.156.3005.2.01.{short}.1.1.A",  # not a USCC
        "1.2.156.3005.2.01.{u}.1.01.A",  # leading zero in the version
        "1.2.156.3005.2.01.{u}.1-2.1.A",  # '-' in the serial
        "1.2.156.3005.2.01.{u}.1.1.AB",  # two check characters
        "1.2.156.3005.2.01.{u}." + "1" * 80 + ".1.A",  # too long
    ],
)
def test_malformed_identifiers_are_refused(text: str) -> None:
    with pytest.raises(RegistryError) as caught:
        elicence.parse(text.format(u=USCC, short=USCC[:10]))
    assert caught.value.code == "ELICENCE_ID_INVALID"


def test_looks_like_tells_it_from_a_record_id() -> None:
    assert elicence.looks_like_elicence_id(_own())
    assert not elicence.looks_like_elicence_id(RECORD)


@pytest.mark.parametrize(
    ("type_code", "serial", "version"), [("1", "1", 1), ("01", "", 1), ("01", "1", 0)]
)
def test_build_refuses_bad_parts(type_code: str, serial: str, version: int) -> None:
    with pytest.raises(RegistryError, match="ELICENCE_ID_INVALID"):
        elicence.build(type_code, USCC, serial, version)

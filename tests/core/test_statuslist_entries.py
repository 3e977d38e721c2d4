"""``core.formats.statuslist.check_entry``: a BitstringStatusListEntry as the Bitstring
Status List v1.0 requires it, one breaking case per rule."""

from __future__ import annotations

import pytest

from registry.core.errors import RegistryError
from registry.core.formats.statuslist import check_entry

LIST = "https://registry.example/status/11310118MB0000001L/revocation"


def entry(**changes):
    value = {
        "id": f"{LIST}#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": LIST,
    }
    value.update(changes)
    return {key: item for key, item in value.items() if item is not None}


def messages(count):
    return [{"status": f"0x{value:x}", "message": f"state {value}"} for value in range(count)]


def test_a_well_formed_entry_passes():
    assert check_entry(entry()) == entry()
    assert check_entry(entry(id=None))["statusListIndex"] == "42"


def test_a_two_bit_status_names_its_four_values():
    check_entry(entry(statusPurpose="message", statusSize=2, statusMessage=messages(4)))


@pytest.mark.parametrize(
    "changes",
    [
        {"type": "StatusList2021Entry"},
        {"statusPurpose": None},
        {"statusPurpose": ""},
        {"statusListIndex": 42},
        {"statusListIndex": "4x2"},
        {"statusListIndex": "-1"},
        {"statusListCredential": None},
        {"statusListCredential": "not a url"},
        {"id": "no-colon"},
        {"statusSize": 0},
        {"statusSize": True},
        {"statusSize": "1"},
        {"statusSize": 2},
        {"statusSize": 2, "statusMessage": messages(3)},
        {"statusSize": 2, "statusMessage": [*messages(3), {"status": "0x4", "message": "x"}]},
        {"statusSize": 2, "statusMessage": [*messages(3), {"status": "3", "message": "x"}]},
        {"statusSize": 2, "statusMessage": [*messages(3), {"status": "0x3"}]},
    ],
)
def test_each_broken_rule_is_status_entry_invalid(changes):
    with pytest.raises(RegistryError) as caught:
        check_entry(entry(**changes))
    assert caught.value.code == "STATUS_ENTRY_INVALID"
    assert caught.value.message_zh != caught.value.message_en


def test_not_an_object_is_invalid():
    with pytest.raises(RegistryError):
        check_entry("BitstringStatusListEntry")

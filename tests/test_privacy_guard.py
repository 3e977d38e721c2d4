"""The suite-wide privacy guard itself must be able to fail."""

from __future__ import annotations

import httpx
import pytest

from registry.services.demo_data import DEMO_PEOPLE
from tests.support.fixtures import _no_id_numbers_in_response, id_numbers_in


def test_finds_valid_numbers_only():
    number = DEMO_PEOPLE[0].id_number
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert id_numbers_in(f"x {number} y") == [number]
    assert id_numbers_in(f"x {wrong} y") == []
    assert id_numbers_in(f"RC1:AB{number}CD") == []


def test_response_hook_fails_on_a_leak():
    number = DEMO_PEOPLE[1].id_number
    request = httpx.Request("GET", "http://testserver/x")
    leaky = httpx.Response(200, json={"idNumber": number}, request=request)
    with pytest.raises(AssertionError):
        _no_id_numbers_in_response(leaky)
    _no_id_numbers_in_response(
        httpx.Response(200, json={"idNumber": number[:4] + "*" * 10 + number[-4:]}, request=request)
    )

"""The base URL of links when serving without one: the listening address, or on every
interface the LAN address, or a refusal that says how to set one."""

from __future__ import annotations

import ipaddress

import pytest

from registry.core.errors import RegistryError
from registry.services.runtime.addresses import lan_address, serving_base_url


def test_on_every_interface_links_use_the_lan_address():
    assert serving_base_url("0.0.0.0", 8000, find_lan=lambda: "192.168.1.20") == (
        "http://192.168.1.20:8000"
    )
    assert serving_base_url("::", 8080, find_lan=lambda: "fd00::20") == "http://[fd00::20]:8080"


def test_a_named_address_is_used_as_it_is():
    never = lambda: pytest.fail("the LAN address is not looked up")  # noqa: E731
    assert serving_base_url("127.0.0.1", 8000, find_lan=never) == "http://127.0.0.1:8000"
    assert serving_base_url("10.1.2.3", 9000, find_lan=never) == "http://10.1.2.3:9000"
    assert serving_base_url("::1", 8000, find_lan=never) == "http://[::1]:8000"
    assert serving_base_url("registry.lan", 80, find_lan=never) == "http://registry.lan:80"


def test_without_a_lan_address_serving_everywhere_is_refused_with_the_way_out():
    with pytest.raises(RegistryError) as caught:
        serving_base_url("0.0.0.0", 8000, find_lan=lambda: None)
    error = caught.value
    assert error.code == "BASE_URL_REQUIRED"
    for message in (error.message_zh, error.message_en):
        assert "--base-url" in message and "REGISTRY_BASE_URL" in message
        assert "http://192.168.1.20:8000" in message


def test_the_lan_address_found_here_is_one_a_phone_could_reach_or_none():
    found = lan_address()
    if found is not None:
        address = ipaddress.ip_address(found)
        assert not address.is_loopback and not address.is_unspecified

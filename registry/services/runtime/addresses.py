"""The base URL that links (QR codes, holder links, credential ids) start with when the
registry serves without ``REGISTRY_BASE_URL``: its own address when it listens on one, and
when it listens on every interface (``0.0.0.0``, ``::``) the machine's LAN address, so that
a phone on the same network can open a demo QR link. With no LAN address to be found it
refuses to guess (``BASE_URL_REQUIRED``)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from registry.core.errors import RegistryError, invalid

WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", "", "*"})  # noqa: S104 (names, not a bind)
# Where the routing table is asked for the outgoing interface: a UDP "connect" sends
# nothing, so these documentation/private addresses are never contacted.
PROBE_ADDRESSES = (("192.0.2.1", socket.AF_INET), ("2001:db8::1", socket.AF_INET6))
LanAddress = Callable[[], str | None]


def base_url_required(host: str, port: int) -> RegistryError:
    """The refusal to serve on every interface with no address a phone could open."""
    example = f"http://192.168.1.20:{port}"
    return invalid(
        "BASE_URL_REQUIRED",
        f"在 {host} 上服务，但找不到本机的局域网地址，手机打不开二维码链接。请用 --base-url "
        f"{example}（换成本机的局域网地址）或环境变量 REGISTRY_BASE_URL 指定链接地址",
        f"serving on {host}, but no LAN address of this machine was found, so a phone could "
        f"not open the QR links: give the links' address with --base-url {example} (this "
        "machine's LAN address) or the REGISTRY_BASE_URL environment variable",
    )


def lan_address() -> str | None:
    """The address this machine reaches its network from (IPv4 first), or ``None``: no
    packet is sent, the routing table is only asked which interface it would use."""
    for probe, family in PROBE_ADDRESSES:
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 9))
                found = str(udp.getsockname()[0])
        except OSError:
            continue
        address = ipaddress.ip_address(found)
        if not (address.is_loopback or address.is_unspecified or address.is_link_local):
            return found
    return None


def _url_host(host: str) -> str:
    """A host as a URL writes it (an IPv6 address in brackets)."""
    bare = host.strip("[]")
    try:
        version = ipaddress.ip_address(bare).version
    except ValueError:
        return host
    return f"[{bare}]" if version == 6 else bare


def serving_base_url(host: str, port: int, *, find_lan: LanAddress | None = None) -> str:
    """The base URL for links when none is configured: the listening address itself, or,
    on every interface, the LAN address (``BASE_URL_REQUIRED`` when there is none)."""
    if host.strip() in WILDCARD_HOSTS:
        found = (find_lan or lan_address)()
        if found is None:
            raise base_url_required(host or "0.0.0.0", port)  # noqa: S104
        return f"http://{_url_host(found)}:{port}"
    return f"http://{_url_host(host)}:{port}"


__all__ = [
    "base_url_required",
    "lan_address",
    "serving_base_url",
]

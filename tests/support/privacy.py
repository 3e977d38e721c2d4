"""The suite's privacy guard: finding ID and passport numbers in text, and the checks
that an HTTP answer or what a command printed holds none (DESIGN: no ID number in any QR,
log line, page or error)."""

from __future__ import annotations

import re
from functools import cache

from litestar.testing import TestClient

from registry.core.people.identifiers import resident_id_check_char

_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")
_CHINESE_PASSPORT_LIKE = re.compile(
    r"(?<![0-9A-Za-z])(?:[EG][0-9]{8}|E[A-HJ-NP-Z][0-9]{7})(?![0-9A-Za-z])"
)
_KNOWN_PASSPORTS: set[str] = set()


def remember_passport(number: str) -> str:
    """Register a made-up passport number a test uses, so the guards catch it if it leaks."""
    _KNOWN_PASSPORTS.add(number.strip().upper())
    return number


@cache
def demo_passports() -> frozenset[str]:
    """Passport numbers of the demo people and in the demo records' subjects."""
    from registry.demo import data as demo_data

    found: set[str] = set()

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                if name == "passportNumber" and isinstance(value, str):
                    found.add(value.upper())
                elif name == "passport" and isinstance(value, dict):
                    number = value.get("number")
                    if isinstance(number, str):
                        found.add(number.upper())
                else:
                    walk(value, name)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item, key)

    for value in vars(demo_data).values():
        people = value if isinstance(value, tuple) else (value,)
        for person in people:
            for name in getattr(person, "__dataclass_fields__", {}):
                attribute = getattr(person, name, None)
                if "passport" in name and isinstance(attribute, str):
                    found.add(attribute.upper())
    for record in getattr(demo_data, "DEMO_RECORDS", ()):
        walk(record.credential)
    return frozenset(found)


def id_numbers_in(text: str) -> list[str]:
    """Every personal number found in a text: any 18-character number with a valid GB 11643
    check character (resident IDs, Hong Kong/Macao/Taiwan residence permits, permanent-
    residence IDs), any Chinese passport number (E/G + 8), and the passport number of any
    demo or test person (``remember_passport``), each standing alone."""
    found = [
        m.group()
        for m in _ID_LIKE.finditer(text)
        if resident_id_check_char(m.group()[:17]) == m.group()[17]
    ]
    found += [m.group() for m in _CHINESE_PASSPORT_LIKE.finditer(text)]
    for number in _KNOWN_PASSPORTS | demo_passports():
        pattern = rf"(?<![0-9A-Za-z]){re.escape(number)}(?![0-9A-Za-z])"
        found += [m.group() for m in re.finditer(pattern, text, re.IGNORECASE)]
    return found


def assert_no_id_numbers_in_output(text: str) -> None:
    """What a command printed (stdout and stderr) holds no ID or passport number."""
    leaked = id_numbers_in(text)
    assert not leaked, f"a command printed {len(leaked)} ID or passport number(s)"


def assert_no_id_numbers_in_answer(response: object) -> None:
    """An HTTP answer (an ``httpx.Response``) holds no ID or passport number; an httpx
    response event hook, attached to every test client by the suite's guard."""
    import httpx

    assert isinstance(response, httpx.Response)
    response.read()
    path = response.request.url.path
    if path == "/schema" or path.startswith("/schema/"):
        # The OpenAPI document and its pages carry the record types' published schemas
        # with their examples: fictional demo people's numbers, as /schemas/... serves them.
        return
    if path == "/metrics":
        # Numbers only, under route templates: a latency sum such as 0.013708561999692392
        # can pass for an ID number by its digits alone (metrics tests check the labels).
        return
    if response.headers.get("content-type", "").startswith(
        ("application/json", "application/problem+json", "text/")
    ):
        leaked = id_numbers_in(response.text)
        assert not leaked, (
            f"{response.request.method} {response.request.url.path} answered with an ID or "
            "passport number"
        )


def guard_answers(client: TestClient) -> None:  # type: ignore[type-arg]
    """Search every answer of ``client`` for ID and passport numbers: for a client built
    where the suite's guard cannot reach (a fixture wider than one test)."""
    client.event_hooks["response"].append(assert_no_id_numbers_in_answer)

"""The clerks' console in tests: an HTTPS test client (the session cookie is Secure) and
signing in through the form, as a browser does."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from registry.demo.data import QINGPU_BUREAU
from registry.http.app import create_app

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def console(registry, demo, settings) -> Iterator[TestClient]:
    with TestClient(
        app=create_app(settings, registry), base_url="https://testserver.local"
    ) as client:
        yield client


def csrf_of(page) -> str:
    found = CSRF.search(page.text)
    assert found, page.text
    return found.group(1)


def sign_in(console, token: str):
    form = console.get("/console/sign-in")
    return console.post(
        "/console/sign-in",
        data={"token": token, "csrf": csrf_of(form)},
        follow_redirects=False,
    )


def signed_in(console, demo, uscc=QINGPU_BUREAU.uscc) -> str:
    answer = sign_in(console, demo.tokens[f"issuer:{uscc}"])
    assert answer.status_code == 303, answer.text
    return csrf_of(console.get("/console/records"))

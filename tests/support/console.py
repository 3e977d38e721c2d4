"""The clerks' console in tests: an HTTPS test client (the session cookie is Secure),
signing in through the form, as a browser does, and a review session's upload, progress
and results CSV."""

from __future__ import annotations

import csv
import io
import re
import time
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


def upload(console, csrf, content: bytes, filename="session.csv", key="2026-qp-1"):
    """Post a title sheet to the console's upload form; the answer, not followed."""
    return console.post(
        "/console/sessions",
        data={"recordType": "ProfessionalTitleCredential", "sessionKey": key, "csrf": csrf},
        files={"sheet": (filename, content, "text/csv")},
        follow_redirects=False,
    )


def finished(console, location: str) -> dict:
    """The progress of the upload job at ``location`` once it is no longer running."""
    progress = f"{location}/progress"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = console.get(progress).json()
        if state["state"] != "running":
            return state
        time.sleep(0.05)
    raise AssertionError("the upload did not finish")


def results_csv(console, location: str) -> list[dict[str, str]]:
    """The rows of the results CSV of the upload job at ``location``."""
    results = console.get(f"{location}/results.csv")
    assert results.status_code == 200, results.text
    assert results.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(results.content.decode("utf-8-sig"))))


def outcomes(lines: list[dict[str, str]]) -> list[tuple[str, str]]:
    """Each line's sheet row and outcome, as ``BAD_ROWS_OUTCOMES`` lists them."""
    return [(line["row"], line["outcome"]) for line in lines]

"""``registry serve --workers 2``: a clerk's upload is taken by one worker, and every
poll of its progress, its page and its results CSV is answered by whichever worker gets
it (each request on a new connection, as behind a proxy without sticky sessions)."""

from __future__ import annotations

import csv
import io
import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from registry.demo.data import QINGPU_BUREAU
from registry.http.app import WORKER_HEADER
from registry.http.console_pages import SESSION_COOKIE, SIGN_IN_COOKIE
from tests.cli.test_serve_workers import start_workers
from tests.support.session_sheets import BAD_CHECK_DIGIT, csv_bytes, many_title_rows

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
ROWS = 250  # a few transactions of rows, so that polls also land while it runs


def _csrf(answer: httpx.Response) -> str:
    found = CSRF.search(answer.text)
    assert found, answer.text
    return found.group(1)


def _cookie(answer: httpx.Response, name: str) -> str:
    # the cookies are Secure (the base URL is https): carried by hand over plain http
    value = answer.cookies.get(name)
    assert value, answer.headers
    return value


def _signed_in(url: str, token: str) -> tuple[str, str]:
    """The session cookie and a form token of a clerk signed in through the form."""
    form = httpx.get(url + "/console/sign-in", timeout=30)
    nonce = _cookie(form, SIGN_IN_COOKIE)
    answer = httpx.post(
        url + "/console/sign-in",
        data={"token": token, "csrf": _csrf(form)},
        headers={"Cookie": f"{SIGN_IN_COOKIE}={nonce}"},
        timeout=30,
    )
    assert answer.status_code == 303, answer.text
    session = _cookie(answer, SESSION_COOKIE)
    records = httpx.get(
        url + "/console/records", headers={"Cookie": f"{SESSION_COOKIE}={session}"}, timeout=30
    )
    return session, _csrf(records)


@pytest.mark.parametrize(
    "database_url",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_any_worker_answers_for_an_upload_another_runs(registry, demo, settings, tmp_path):
    url, process, log = start_workers(settings, tmp_path, 2)
    try:
        cookie, csrf = _signed_in(url, demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"])
        headers = {"Cookie": f"{SESSION_COOKIE}={cookie}"}
        rows = many_title_rows(ROWS)
        rows[7][1] = BAD_CHECK_DIGIT  # row 8 refused
        started = httpx.post(
            url + "/console/sessions",
            data={"recordType": "ProfessionalTitleCredential", "sessionKey": "w2", "csrf": csrf},
            files={"sheet": ("w2.csv", csv_bytes(rows), "text/csv")},
            headers=headers,
            timeout=60,
        )
        assert started.status_code == 303, started.text
        location = started.headers["location"]
        ran_by = started.headers[WORKER_HEADER]

        def ask(path: str) -> httpx.Response:
            answer = httpx.get(url + path, headers=headers, timeout=30)
            assert answer.status_code == 200, (path, answer.status_code, answer.text[:500])
            return answer

        answered_by: set[str] = set()
        states: list[str] = []
        deadline = time.monotonic() + 120
        with ThreadPoolExecutor(max_workers=6) as pool:
            while time.monotonic() < deadline:
                polls = list(pool.map(ask, [f"{location}/progress"] * 6))
                answered_by |= {poll.headers[WORKER_HEADER] for poll in polls}
                states += [poll.json()["state"] for poll in polls]
                if states[-1] != "running" and len(answered_by) == 2:
                    break
                time.sleep(0.1)
            final = polls[-1].json()
            assert (final["state"], final["issued"], final["refused"]) == ("done", ROWS - 1, 1)
            assert set(states) <= {"running", "done"}
            pages = list(pool.map(ask, [location, f"{location}/results.csv"] * 6))
        assert len(answered_by | {page.headers[WORKER_HEADER] for page in pages}) == 2
        assert any(page.headers[WORKER_HEADER] != ran_by for page in pages + polls)
        lines = list(csv.DictReader(io.StringIO(pages[1].content.decode("utf-8-sig"))))
        assert len(lines) == ROWS and lines[6]["outcome"] == "refused"
        assert all(page.text == pages[1].text for page in pages[1::2])
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=45)
    assert code == 0, log.read_text(encoding="utf-8")

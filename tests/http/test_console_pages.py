"""Every console page finds the clerk's session, and what it names, the same way
(``signed_in``, ``signed_in_with``): without a session, back to the sign-in page saying
why, the cookie cleared; with one, an upload, record or session that cannot be had is an
error page with its code, in both languages."""

from __future__ import annotations

import pytest

from tests.support.console import console, signed_in

__all__ = ["console"]
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

GETS = (
    "/console/records",
    "/console/records/no-such-record",
    "/console/records/no-such-record/certificate.pdf",
    "/console/sessions",
    "/console/sessions/jobs/no-such-job",
    "/console/sessions/jobs/no-such-job/results.csv",
    "/console/sessions/no-such-session/certificates.zip",
)
UNKNOWN = "00000000-0000-4000-8000-000000000000"
POSTS = (
    "/console/records",
    "/console/records/no-such-record/revoke",
    "/console/records/no-such-record/amend",
)


def test_without_a_session_every_page_sends_to_sign_in(console):
    answers = [console.get(path, follow_redirects=False) for path in GETS]
    answers += [console.post(path, data={}, follow_redirects=False) for path in POSTS]
    for answer in answers:
        assert answer.status_code == 303, (answer.request.url, answer.text)
        assert answer.headers["location"] == "/console/sign-in?reason=CONSOLE_SIGNED_OUT"
        assert 'registry_console=""' in answer.headers["set-cookie"]


@pytest.mark.parametrize(
    ("path", "code", "status"),
    [
        ("/console/records/no-such-record", "RECORD_ID_INVALID", 422),
        (f"/console/records/{UNKNOWN}", "RECORD_UNKNOWN", 404),
        (f"/console/records/{UNKNOWN}/certificate.pdf", "RECORD_UNKNOWN", 404),
        ("/console/sessions/jobs/no-such-job", "SESSION_JOB_UNKNOWN", 404),
        ("/console/sessions/jobs/no-such-job/results.csv", "SESSION_JOB_UNKNOWN", 404),
        ("/console/sessions/no-such-session/certificates.zip", "REVIEW_SESSION_UNKNOWN", 404),
    ],
)
def test_what_cannot_be_had_is_a_coded_error_page(console, demo, path, code, status):
    signed_in(console, demo)
    answer = console.get(path, follow_redirects=False)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert code in answer.text
    assert "registry_console=" in answer.headers["set-cookie"]  # the session goes on

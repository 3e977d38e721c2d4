"""Review sessions in the console over HTTP: upload, progress, the per-row table, the
rerun that issues only what was refused, and the results CSV."""

from __future__ import annotations

import io
import re
import zipfile

from sqlmodel import func, select

from registry.demo.data import WUJIANG_BUREAU
from registry.storage.tables import CredentialRow
from tests.support.console import console, finished, outcomes, results_csv, signed_in, upload
from tests.support.session_sheets import (
    BAD_CHECK_DIGIT,
    BAD_ROWS_OUTCOMES,
    csv_bytes,
    sheet_with_bad_rows,
    sheet_xlsx,
    title_rows,
)

__all__ = ["console"]
JOB = re.compile(r"/console/sessions/jobs/([A-Za-z0-9_-]+)$")


def records(registry) -> int:
    with registry.reading() as session:
        return session.exec(select(func.count()).select_from(CredentialRow)).one()


def test_upload_shows_progress_rows_and_a_rerun_issues_only_the_fixed(console, demo, registry):
    csrf = signed_in(console, demo)
    before = records(registry)
    started = upload(console, csrf, csv_bytes(sheet_with_bad_rows()))
    assert started.status_code == 303, started.text
    location = started.headers["location"]
    assert JOB.search(location)
    state = finished(console, location)
    assert state == {
        "state": "done",
        "done": 4,
        "total": 4,
        "issued": 2,
        "replayed": 0,
        "refused": 2,
    }
    page = console.get(location)
    assert page.status_code == 200
    table = page.text
    assert "idNumber" in table and "professionalTitle.level" in table
    assert "ID_NUMBER_INVALID" in table or "ID_NUMBER" in table
    assert BAD_CHECK_DIGIT not in table
    assert "副高级" in table  # the allowed values of the level's code list
    lines = results_csv(console, location)
    assert outcomes(lines) == BAD_ROWS_OUTCOMES
    assert lines[1]["column"] == "idNumber"
    assert records(registry) == before + 2

    fixed = title_rows(4)
    rerun = upload(console, csrf, sheet_xlsx(fixed), filename="session.xlsx")
    state = finished(console, rerun.headers["location"])
    assert (state["issued"], state["replayed"], state["refused"]) == (2, 2, 0)
    assert records(registry) == before + 4
    listing = console.get("/console/sessions")
    assert listing.text.count("2026-qp-1") >= 2

    assert "/console/sessions/2026-qp-1/certificates.zip" in console.get(location).text
    archive = console.get("/console/sessions/2026-qp-1/certificates.zip")
    assert archive.status_code == 200, archive.text
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        names = zipped.namelist()
    assert "index.csv" in names and sum(name.endswith(".pdf") for name in names) == 4
    unknown = console.get("/console/sessions/never-run/certificates.zip")
    assert unknown.status_code == 404 and "REVIEW_SESSION_UNKNOWN" in unknown.text


def test_another_organisation_cannot_see_an_upload(console, demo):
    csrf = signed_in(console, demo)
    location = upload(console, csrf, csv_bytes(title_rows(1))).headers["location"]
    finished(console, location)
    console.cookies.clear()
    signed_in(console, demo, WUJIANG_BUREAU.uscc)
    assert console.get(location).status_code == 403
    assert console.get(f"{location}/progress").status_code == 403
    assert "2026-qp-1" not in console.get("/console/sessions").text


def test_upload_refusals_are_coded_pages(console, demo, registry):
    csrf = signed_in(console, demo)
    before = records(registry)
    no_token = upload(console, "forged", csv_bytes(title_rows(1)))
    assert no_token.status_code == 403 and "CONSOLE_CSRF_INVALID" in no_token.text
    bad_key = upload(console, csrf, csv_bytes(title_rows(1)), key="!bad")
    assert bad_key.status_code == 422 and "SESSION_KEY_INVALID" in bad_key.text
    not_multipart = console.post(
        "/console/sessions",
        data={"recordType": "ProfessionalTitleCredential", "sessionKey": "k", "csrf": csrf},
        follow_redirects=False,
    )
    assert not_multipart.status_code == 400 and not_multipart.json()["code"]
    no_file = console.post(
        "/console/sessions",
        data={"recordType": "ProfessionalTitleCredential", "sessionKey": "k", "csrf": csrf},
        files={"sheet": ("", b"", "application/octet-stream")},
        follow_redirects=False,
    )
    assert no_file.status_code == 422 and "SHEET_REQUIRED" in no_file.text
    wrong_type = console.post(
        "/console/sessions",
        data={"recordType": "Nope", "sessionKey": "k", "csrf": csrf},
        files={"sheet": ("a.csv", b"name\n", "text/csv")},
        follow_redirects=False,
    )
    assert wrong_type.status_code == 422 and "RECORD_TYPE_UNSUPPORTED" in wrong_type.text
    garbage = upload(console, csrf, b"\x00\x01not a sheet", filename="x.xlsx")
    state = finished(console, garbage.headers["location"])
    assert state["state"] == "failed" and state["error"]["code"]
    page = console.get(garbage.headers["location"])
    assert page.status_code == 200 and 'id="job-error"' in page.text
    assert records(registry) == before
    assert console.get("/console/sessions/jobs/nope").status_code == 404


def test_progress_without_a_session_is_a_401_problem(console):
    answer = console.get("/console/sessions/jobs/anything/progress")
    assert answer.status_code == 401
    assert answer.json()["code"] == "CONSOLE_SIGNED_OUT"

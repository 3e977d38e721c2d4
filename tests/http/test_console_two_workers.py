"""Two workers on one store (two apps, each with its own registry): an upload taken by one
is followed on the other: its progress, its page, its results CSV and its certificates."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import TestClient

from registry.http.app import create_app
from registry.services.issuance.session_jobs import STALE_AFTER
from registry.services.runtime.context import Registry
from registry.storage.session_jobs import SessionJobRepository
from tests.support.console import console, finished, outcomes, results_csv, signed_in, upload
from tests.support.session_sheets import (
    BAD_ROWS_OUTCOMES,
    csv_bytes,
    sheet_with_bad_rows,
    title_rows,
)

__all__ = ["console"]


@pytest.fixture
def other_worker(settings) -> Iterator[TestClient]:  # type: ignore[type-arg]
    opened = Registry.open(settings)
    with TestClient(
        app=create_app(settings, opened), base_url="https://testserver.local"
    ) as client:
        yield client
    opened.close()


def test_an_upload_taken_by_one_worker_is_followed_on_another(console, other_worker, demo):
    csrf = signed_in(console, demo)
    other_worker.cookies.update(console.cookies)  # one browser, two workers behind the proxy
    started = upload(console, csrf, csv_bytes(sheet_with_bad_rows()), key="2026-qp-2w")
    assert started.status_code == 303, started.text
    location = started.headers["location"]

    state = finished(other_worker, location)
    assert (state["state"], state["issued"], state["refused"]) == ("done", 2, 2)
    page = other_worker.get(location)
    assert page.status_code == 200 and 'id="rows"' in page.text
    assert "professionalTitle.level" in page.text and "副高级" in page.text
    lines = results_csv(other_worker, location)
    assert outcomes(lines) == BAD_ROWS_OUTCOMES
    assert lines[0]["record_id"] and lines[0]["verify_url"] and lines[1]["column"] == "idNumber"
    same = f"{location}/results.csv"
    assert other_worker.get(same).text == console.get(same).text
    archive = other_worker.get("/console/sessions/2026-qp-2w/certificates.zip")
    assert archive.status_code == 200, archive.text
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        assert sum(name.endswith(".pdf") for name in zipped.namelist()) == 2
    assert "2026-qp-2w" in other_worker.get("/console/sessions").text


def test_an_upload_whose_worker_died_is_shown_interrupted_and_offered_again(
    console, other_worker, demo, registry
):
    csrf = signed_in(console, demo)
    other_worker.cookies.update(console.cookies)
    location = upload(console, csrf, csv_bytes(title_rows(2)), key="2026-qp-died").headers[
        "location"
    ]
    finished(console, location)
    job_id = location.rsplit("/", 1)[1]
    silent = datetime.now(UTC) - STALE_AFTER - timedelta(seconds=5)
    with registry.transaction() as session:  # as the job stands when its worker is killed
        row = SessionJobRepository(session).get(job_id)
        assert row is not None
        row.state, row.done, row.heartbeat_at, row.report = "running", 1, silent, None
        session.add(row)

    state = other_worker.get(f"{location}/progress").json()
    assert state["state"] == "interrupted"
    assert state["error"]["code"] == "SESSION_JOB_INTERRUPTED"
    page = other_worker.get(location)
    assert page.status_code == 200 and "SESSION_JOB_INTERRUPTED" in page.text
    assert "1 / 2" in page.text
    rerun = re.search(r'href="([^"]+)" id="rerun"', page.text)
    assert rerun
    form = other_worker.get(html.unescape(rerun.group(1)))
    assert 'value="2026-qp-died"' in form.text
    assert '<option value="ProfessionalTitleCredential" selected>' in form.text
    assert other_worker.get(f"{location}/results.csv", follow_redirects=False).status_code == 303

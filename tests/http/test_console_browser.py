"""The clerk's path in real Chromium: sign in, upload a sheet with bad rows, watch it,
read the per-row table, fix and rerun, download the results and the certificates ZIP,
revoke one record.

With ``REGISTRY_CONSOLE_SCREENSHOTS`` naming a folder, the test saves the screenshots the
issuer's guide shows (``docs/images/console-*.png``)."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

from PIL import Image

from registry.demo.data import QINGPU_BUREAU
from tests.support.browser import LiveRegistry, browser, live_registry
from tests.support.session_sheets import BAD_CHECK_DIGIT, csv_bytes, title_rows

__all__ = ["browser", "live_registry"]
LAPTOP = {"width": 1280, "height": 860}
SHOTS_ENV = "REGISTRY_CONSOLE_SCREENSHOTS"


def shot(page, name: str) -> None:
    folder = os.environ.get(SHOTS_ENV)
    if folder:
        image = Image.open(io.BytesIO(page.screenshot(full_page=True)))
        small = image.convert("RGB").quantize(colors=64)  # a third of the bytes, as sharp
        small.save(Path(folder) / f"console-{name}.png", optimize=True)


def sheet(tmp_path: Path, rows: list[list[str]], name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return path


def test_a_clerk_issues_a_session_fixes_it_and_revokes_a_record(
    browser, live_registry: LiveRegistry, tmp_path: Path
) -> None:
    token = live_registry.demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"]
    rows = title_rows(5)
    rows[2][1] = BAD_CHECK_DIGIT  # row 3
    rows[4][4] = "特级"  # row 5: not a level
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{live_registry.url}/console")
        assert "/console/sign-in" in page.url
        page.fill("#token", token)
        shot(page, "sign-in")
        page.click("#sign-in")
        page.wait_for_url("**/console/records")

        page.click("text=评审批次")
        page.select_option("#recordType", "ProfessionalTitleCredential")
        page.fill("#sessionKey", "2026-qp-engineers-1")
        page.set_input_files("#sheet", str(sheet(tmp_path, rows, "session.csv")))
        page.click("#start")
        page.wait_for_url("**/console/sessions/jobs/*")
        job_url = page.url
        page.locator("#counts, #job-error").first.wait_for(timeout=30_000)  # reloads when done
        assert not page.locator("#job-error").count(), page.locator("#job").inner_text()
        assert "新签发 3" in page.locator("#counts").inner_text()
        assert "拒绝 2" in page.locator("#counts").inner_text()
        table = page.locator("#rows").inner_text()
        assert "idNumber" in table and "professionalTitle.level" in table
        assert BAD_CHECK_DIGIT not in page.content()
        shot(page, "session-refused-rows")

        progress = page.request.get(f"{job_url}/progress").json()
        assert (progress["state"], progress["done"], progress["total"]) == ("done", 5, 5)
        page.reload()  # progress and results survive a reload
        assert page.url == job_url and page.locator("#rows").is_visible()
        with page.expect_download() as download:
            page.click("#results-csv")
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        outcomes = [line["outcome"] for line in csv.DictReader(io.StringIO(text))]
        assert outcomes == ["issued", "refused", "issued", "refused", "issued"]

        page.goto(f"{live_registry.url}/console/sessions")
        page.select_option("#recordType", "ProfessionalTitleCredential")
        page.fill("#sessionKey", "2026-qp-engineers-1")
        page.set_input_files("#sheet", str(sheet(tmp_path, title_rows(5), "fixed.csv")))
        page.click("#start")
        page.wait_for_url("**/console/sessions/jobs/*")
        page.locator("#rows").wait_for(timeout=30_000)
        counts = page.locator("#counts").inner_text()
        assert "新签发 2" in counts and "此前已签发 3" in counts and "拒绝 0" in counts
        shot(page, "session-rerun")
        with page.expect_download() as download:
            page.click("#certificates-zip")
        with zipfile.ZipFile(download.value.path()) as archive:
            assert sum(name.endswith(".pdf") for name in archive.namelist()) == 5

        page.click("#rows a >> nth=0")
        page.wait_for_url("**/console/records/*")
        assert "有效" in page.locator("#status").inner_text()
        page.select_option("#form-revoke select[name=reason]", "data_error")
        page.fill("#form-revoke input[name=note]", "重复签发")
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#do-revoke")
        page.wait_for_url("**done=revoke")
        assert "撤销" in page.locator("#status").inner_text()
        assert "重复签发" in page.locator("#history").inner_text()
        shot(page, "record-revoked")

        page.goto(f"{live_registry.url}/console/records")
        page.select_option("#kind", "name")
        page.fill("#text", "测试人员")
        page.click("#find")
        assert page.locator("#results tbody tr").count() == 5
        shot(page, "search")
        page.click("#sign-out")
        page.wait_for_url("**/console/sign-in")
        page.goto(f"{live_registry.url}/console/records")
        assert "/console/sign-in" in page.url
    finally:
        context.close()


TABLET = {"width": 768, "height": 1024}


def test_the_console_fits_a_tablet(browser, live_registry: LiveRegistry) -> None:
    token = live_registry.demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"]
    record = live_registry.demo.records[0]
    page = browser.new_page(viewport=TABLET)
    try:
        page.goto(f"{live_registry.url}/console/sign-in")
        page.fill("#token", token)
        page.click("#sign-in")
        page.wait_for_url("**/console/records")
        for path in ("/console/records", f"/console/records/{record}", "/console/sessions"):
            page.goto(f"{live_registry.url}{path}")
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= TABLET["width"], f"{path} scrolls sideways ({width} px)"
            assert page.locator("#error").count() == 0, path
    finally:
        page.close()

"""Steps of console.feature: the clerk's whole path through the console in real Chromium
(tests/support/browser.py); the employer's scan goes over HTTP."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from registry.demo.data import QINGPU_BUREAU
from tests.support.browser import LiveRegistry, browser, live_registry
from tests.support.privacy import id_numbers_in
from tests.support.session_sheets import BAD_CHECK_DIGIT, csv_bytes, title_rows

__all__ = ["browser", "live_registry"]
scenarios("console.feature")


@pytest.fixture
def zone() -> None:
    """This story runs against the live registry of ``live_registry``, not the test client's."""


@pytest.fixture
def clerk(browser, live_registry: LiveRegistry) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    page = context.new_page()
    page.live = live_registry  # type: ignore[attr-defined]
    yield page
    context.close()


def _upload(page: Any, tmp_path: Path, rows: list[list[str]], key: str) -> None:
    live: LiveRegistry = page.live
    path = tmp_path / f"{key}-{len(list(tmp_path.iterdir()))}.csv"
    path.write_bytes(csv_bytes(rows))
    page.goto(f"{live.url}/console/sessions")
    page.select_option("#recordType", "ProfessionalTitleCredential")
    page.fill("#sessionKey", key)
    page.set_input_files("#sheet", str(path))
    page.click("#start")
    page.wait_for_url("**/console/sessions/jobs/*")
    page.job_url = page.url
    page.locator("#counts, #job-error").first.wait_for(timeout=30_000)


@given("青浦区人社局的经办人在浏览器中用本局的访问令牌登录控制台")
def signed_in(clerk: Any) -> None:
    live: LiveRegistry = clerk.live
    clerk.goto(f"{live.url}/console")
    clerk.fill("#token", live.demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"])
    clerk.click("#sign-in")
    clerk.wait_for_url("**/console/records")


@when(
    parsers.parse(
        '经办人以批次键 "{key}" 上传 4 名工程师的表格，其中第 3 行身份证号码校验码写错，'
        '第 5 行级别写成 "{level}"'
    )
)
def upload_with_bad_rows(clerk: Any, tmp_path: Path, key: str, level: str) -> None:
    rows = title_rows(4)
    rows[2][1] = BAD_CHECK_DIGIT
    rows[4][4] = level
    clerk.session_key = key
    _upload(clerk, tmp_path, rows, key)


@then(parsers.parse("页面显示签发进度，完成后显示新签发 {issued:d} 份，拒绝 {refused:d} 份"))
def progress_then_counts(clerk: Any, issued: int, refused: int) -> None:
    progress = clerk.request.get(f"{clerk.job_url}/progress").json()
    assert progress["state"] == "done"
    assert progress["done"] == progress["total"] == 4
    counts = clerk.locator("#counts").inner_text()
    assert f"新签发 {issued}" in counts and f"拒绝 {refused}" in counts


@then(parsers.parse('结果表写明第 3 行 "{first}" 列与第 5 行 "{second}" 列的问题'))
def table_names_rows_and_columns(clerk: Any, first: str, second: str) -> None:
    rows = clerk.locator("#rows tbody tr.refused")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert any(text.startswith("3") and first in text for text in texts), texts
    level = next(text for text in texts if second in text)
    assert "中级" in level or "正高级" in level, level  # the allowed levels are listed


@then("页面上没有任何身份证号码")
def no_id_numbers(clerk: Any) -> None:
    assert not id_numbers_in(clerk.content())


@when("经办人改正这两行后以同一批次键重新上传")
def upload_fixed(clerk: Any, tmp_path: Path) -> None:
    _upload(clerk, tmp_path, title_rows(4), clerk.session_key)


@then(
    parsers.parse("页面显示新签发 {issued:d} 份，此前已签发 {replayed:d} 份，拒绝 {refused:d} 份")
)
def rerun_counts(clerk: Any, issued: int, replayed: int, refused: int) -> None:
    counts = clerk.locator("#counts").inner_text()
    assert f"新签发 {issued}" in counts
    assert f"此前已签发 {replayed}" in counts
    assert f"拒绝 {refused}" in counts


@then(parsers.parse('经办人下载的结果文件逐行为 "{outcomes}"'))
def results_downloaded(clerk: Any, outcomes: str) -> None:
    with clerk.expect_download() as download:
        clerk.click("#results-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(text)))
    wanted = outcomes.split("、")
    assert [line["outcome"].replace("replayed", "issued") for line in lines] == wanted
    clerk.results = lines


@then(parsers.parse("经办人下载的证书压缩包中有 {count:d} 份证书 PDF 和 index.csv"))
def certificates_downloaded(clerk: Any, count: int) -> None:
    with clerk.expect_download() as download:
        clerk.click("#certificates-zip")
    with zipfile.ZipFile(download.value.path()) as archive:
        names = archive.namelist()
        pdfs = [name for name in names if name.endswith(".pdf")]
        assert len(pdfs) == count and "index.csv" in names
        assert all(archive.read(name).startswith(b"%PDF") for name in pdfs)


@when(parsers.parse('经办人打开第 2 行的记录，以 "{reason}" 为由撤销它'))
def revoke_row_two(clerk: Any, reason: str) -> None:
    record_id = next(line["record_id"] for line in clerk.results if line["row"] == "2")
    clerk.record_id = record_id
    clerk.click(f"a[href='/console/records/{record_id}']")
    clerk.wait_for_url(f"**/console/records/{record_id}")
    clerk.select_option("#form-revoke select[name=reason]", reason)
    clerk.once("dialog", lambda dialog: dialog.accept())
    clerk.click("#do-revoke")
    clerk.wait_for_url("**done=revoke")


@then("记录页显示状态为撤销，历史中有这次撤销")
def record_revoked(clerk: Any) -> None:
    assert "撤销" in clerk.locator("#status").inner_text()
    assert "revoke" in clerk.locator("#history").inner_text()


@then(parsers.parse('用人单位扫描这份证书的二维码，核验结果为无效，证书状态为 "{status}"'))
def employer_scans(clerk: Any, status: str) -> None:
    live: LiveRegistry = clerk.live
    payload = next(line["verify_url"] for line in clerk.results if line["row"] == "2")
    answer = httpx.post(
        f"{live.url}/api/v1/scan", json={"payload": payload.split("#", 1)[1]}, timeout=10
    ).json()
    assert answer["verified"] is False
    assert answer["status"] == status

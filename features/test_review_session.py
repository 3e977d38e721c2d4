"""Steps of review_session.feature: the Qingpu bureau issues a review session from a CSV with
``registry batch issue`` (a real process), an employer scans one record over HTTP, and the
bureau runs the fixed sheet again; the transparency log and the issuer's API show what was
stored."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from features.steps.review_sessions import (
    ReviewSheet,
    engineer_cells,
    engineer_id_number,
    issue_sheet,
    issued_since,
    template_header,
    wrong_check,
)
from features.steps.story import Story
from registry.demo.data import QINGPU_BUREAU
from tests.support.fixtures import bearer
from tests.support.privacy import id_numbers_in

scenarios("review_session.feature")


def _rows(text: str) -> list[int]:
    """Sheet row numbers written as the stories write them: ``2、3、5``."""
    return [int(number) for number in text.split("、")]


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= character <= "\u9fff" for character in text)


@pytest.fixture
def sheet(tmp_path) -> ReviewSheet:
    return ReviewSheet(tmp_path / "青浦区2026年第一批工程师评审.csv")


# --- the sheet ------------------------------------------------------------------------------


@given("青浦区人社局用 registry batch template 取得职称证书表格的表头")
def take_template(settings, sheet: ReviewSheet):
    sheet.header = template_header(settings)
    assert set(engineer_cells(1)) <= set(sheet.header), sheet.header


@given(parsers.parse("青浦区人社局按表头填好 {count:d} 名工程师的评审结果，其中第 {row:d} 行的身份证号码校验码写错"))  # fmt: skip
def fill_sheet(sheet: ReviewSheet, count, row):
    sheet.rows = [engineer_cells(number) for number in range(1, count + 1)]
    sheet.cells(row)["idNumber"] = wrong_check(sheet.cells(row)["idNumber"])
    sheet.write()


@when(parsers.parse("青浦区人社局改正第 {row:d} 行的身份证号码"))
def fix_id_number(sheet: ReviewSheet, row):
    sheet.cells(row)["idNumber"] = engineer_id_number(row - 1)
    sheet.write()


@when(parsers.parse('青浦区人社局把表头 "{column}" 误写成 "{wrong}"'))
def misname_column(sheet: ReviewSheet, column, wrong):
    sheet.header[sheet.header.index(column)] = wrong
    for cells in sheet.rows:
        cells[wrong] = cells.pop(column)
    sheet.write()


# --- the command ----------------------------------------------------------------------------


@given(parsers.parse('青浦区人社局已以批次键 "{key}" 运行 registry batch issue 签发这张表格'))
@when(parsers.parse('青浦区人社局以批次键 "{key}" 运行 registry batch issue 签发这张表格'))
def run_batch_issue(client, settings, sheet: ReviewSheet, key):
    issue_sheet(client, settings, sheet, key)


@then(parsers.parse("命令退出码为 {code:d}"))
def exit_code(sheet: ReviewSheet, code):
    command = sheet.last.command
    assert command.returncode == code, command.stdout + command.stderr


@then(parsers.parse("命令报告新签发 {issued:d} 份，此前已签发 {replayed:d} 份，拒绝 {refused:d} 份"))  # fmt: skip
def command_counts(sheet: ReviewSheet, issued, replayed, refused):
    printed = sheet.last.command.stdout
    assert f"issued {issued}, already issued {replayed}, refused {refused}" in printed
    assert f"新签发 {issued}，此前已签发 {replayed}，拒绝 {refused}" in printed


@then(parsers.parse('命令的错误输出指出第 {row:d} 行 "{column}" 列的 "{code}"'))
def command_names_row(sheet: ReviewSheet, row, column, code):
    assert f"row {row} ({column}): {code}" in sheet.last.command.stderr


@then(parsers.parse('命令的错误输出含 "{text}"'))
def command_error_output(sheet: ReviewSheet, text):
    assert text in sheet.last.command.stderr


# --- the results file -----------------------------------------------------------------------


@then("结果文件逐行列出")
def results_listed(sheet: ReviewSheet, datatable):
    columns, *expected = datatable
    assert [[line[column] for column in columns] for line in sheet.last.results] == expected


@then(parsers.parse("结果文件中被拒绝的第 {row:d} 行附有中英文说明，没有记录编号与核验链接"))
def refused_row_explained(sheet: ReviewSheet, row):
    line = sheet.result(row)
    assert line["outcome"] == "refused"
    assert _has_chinese(line["message_zh"])
    assert line["message_en"] and line["message_en"].isascii()
    assert line["pointer"].endswith("/idNumber")
    assert (line["record_id"], line["electronic_licence_id"], line["verify_url"]) == ("", "", "")


@then("结果文件中没有任何身份证号码")
def results_private(sheet: ReviewSheet):
    text = sheet.last.results_text
    assert text is not None
    assert not id_numbers_in(text)
    for cells in sheet.rows:  # nor the wrong one, which no check character gives away
        assert cells["idNumber"] not in text
        assert cells["idNumber"][6:14] not in text  # the birth date


@then("没有写出结果文件")
def no_results(sheet: ReviewSheet):
    assert sheet.last.results_text is None


@then(parsers.parse("第 {rows} 行的记录编号与核验链接与第一次运行时相同"))
def same_records_as_first_run(sheet: ReviewSheet, rows):
    for row in _rows(rows):
        first, last = sheet.result(row, run=0), sheet.result(row)
        assert first["record_id"]
        for column in ("record_id", "electronic_licence_id", "verify_url"):
            assert last[column] == first[column], (row, column)


# --- what the registry stored ---------------------------------------------------------------


@then(parsers.parse("这次运行后透明日志新增的签发记录正是第 {rows} 行的证书"))
def log_gained(client, sheet: ReviewSheet, rows):
    expected = [sheet.result(row)["record_id"] for row in _rows(rows)]
    assert sorted(issued_since(client, sheet.last.log_size_before)) == sorted(expected)


@then("这次运行后透明日志没有新增签发记录")
def log_gained_nothing(client, sheet: ReviewSheet):
    assert issued_since(client, sheet.last.log_size_before) == []


@then(parsers.parse('青浦区人社局通过接口查到结果文件中的 {count:d} 份证书各不相同，状态均为 "{status}"'))  # fmt: skip
def issuer_reads_records(client, demo, sheet: ReviewSheet, count, status):
    ids = [line["record_id"] for line in sheet.last.results]
    assert len(set(ids)) == count == len(ids)
    headers = bearer(demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"])
    for record_id, cells in zip(ids, sheet.rows, strict=True):
        response = client.get(f"/api/v1/credentials/{record_id}", headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status
        subject = response.json()["verifiableCredential"]["credentialSubject"]
        title = subject["professionalTitle"]
        assert title["certificateNumber"] == cells["professionalTitle.certificateNumber"]


# --- the employer ---------------------------------------------------------------------------


@when(parsers.parse("用人单位扫描结果文件第 {row:d} 行证书的二维码"))
def employer_scans(client, sheet: ReviewSheet, story: Story, row):
    url = sheet.result(row)["verify_url"]
    assert "#" in url, url
    story.payload = url.split("#", 1)[1]
    story.response = client.post("/api/v1/scan", json={"payload": story.payload})


@then(parsers.parse("核验的正是结果文件第 {row:d} 行的证书"))
def scanned_record(sheet: ReviewSheet, story: Story, row):
    assert story.answer()["record"]["id"] == sheet.result(row)["record_id"]

"""The holder's page as a person reads it: labelled facts with no internal fields, the
status in both languages, China time, and a layout that fits a phone."""

from __future__ import annotations

import re

from registry.demo.data import DEMO_RECORDS, QINGPU_BUREAU
from registry.http.holder_page import holder_page, local_time, status_words
from tests.support.api_checks import issuer_headers
from tests.support.fixtures import BASE_URL

JOINT_INDEX = 4
JOINT_COMMITTEE = DEMO_RECORDS[JOINT_INDEX].issuer_uscc


def holder_link(client, demo, index: int = 0, uscc: str = QINGPU_BUREAU.uscc) -> str:
    response = client.post(
        f"/credentials/{demo.records[index]}/holder-link", headers=issuer_headers(demo, uscc)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["url"]).removeprefix(BASE_URL)


def test_times_are_shown_in_china_time():
    assert local_time("2026-12-07T16:30:05Z") == "2026-12-08 00:30"
    assert local_time(None) is None
    assert local_time("not a time") == "not a time"


def test_each_state_reads_in_both_languages():
    assert status_words("active") == ("有效", "valid")
    assert status_words("lapsed")[1].startswith("lapsed")
    assert status_words("suspended") == ("已暂扣", "suspended")
    assert status_words("superseded")[0] == "已被新版本取代"
    assert status_words("odd") == ("无法核实", "could not check")


def test_the_page_lists_labelled_facts_without_internal_fields(client, demo):
    page = client.get(holder_link(client, demo))
    assert page.status_code == 200
    html = page.text
    for internal in ("detailsKey", "labels", "professionalTitle", ">active<", "T00:", "Z<"):
        assert internal not in html, internal
    assert "职称系列" in html and "Series" in html
    assert "工程技术" in html and "Engineering" in html
    assert "状态：有效" in html and "Status: valid" in html
    assert "北京时间" in html and "China time, UTC+8" in html
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", html)
    assert html.count("职称系列") == 1  # no duplicated labels block


def test_a_joint_title_names_its_committee_on_the_holder_page(client, demo):
    page = client.get(holder_link(client, demo, JOINT_INDEX, JOINT_COMMITTEE))
    assert page.status_code == 200
    row = re.search(r"Joint review committee</span></dt>\s*<dd>([^<]*)", page.text)
    assert row is not None
    assert row.group(1).startswith("长三角生态绿色一体化发展示范区机械工程高级职称联合评审委员会")
    assert JOINT_COMMITTEE not in row.group(1)


def test_checks_are_listed_with_local_times(client, demo):
    view = {
        "record": {
            "id": "r1",
            "type": {"code": "T", "zh": "职称证书", "en": "Professional title"},
            "maskedName": "王*华",
            "issuedAt": "2026-01-01T00:00:00Z",
            "validFrom": "2026-01-01T00:00:00Z",
            "validUntil": None,
            "detailsKey": "professionalTitle",
            "professionalTitle": {"obtainedOn": "2021-12-28", "hours": 12},
            "labels": {"obtainedOn": {"zh": "取得日期", "en": "Obtained on"}},
        },
        "status": "revoked",
        "electronicLicenceId": None,
        "issuer": None,
        "accesses": [{"at": "2026-03-01T23:00:00Z", "action": "verify"}],
        "matchLimit": {"locked": True, "lockedUntil": None, "lastTrippedAt": None},
    }
    page = holder_page(view)
    assert page["status"] == {"zh": "已撤销", "en": "revoked"}
    assert page["accesses"][0]["at"] == "2026-03-02 07:00"
    rows = {row.label_en: (row.value_zh, row.value_en) for row in page["rows"]}
    assert rows["Issued"] == ("2026-01-01 08:00", "2026-01-01 08:00")
    assert rows["Valid until"] == ("长期有效", "no end date")
    assert rows["Obtained on"] == ("2021-12-28", "2021-12-28")
    assert rows["hours"] == ("12", "12")  # an unlabelled field keeps its name
    assert rows["E-licence identifier"] == ("—", "—")


def test_the_page_links_the_holder_s_certificate(client, demo):
    link = holder_link(client, demo)
    page = client.get(link)
    found = re.search(r'<a id="certificate"[^>]*href="([^"]+)"', page.text)
    assert found is not None
    assert found.group(1) == f"{link}/certificate.pdf"
    pdf = client.get(found.group(1))
    assert pdf.status_code == 200, pdf.text
    assert pdf.content.startswith(b"%PDF")

"""Steps of lifecycle.feature: status changes by API, the employer's scan, the published
status lists, and ``registry verify`` offline with a trust list and status list files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pytest_bdd import given, parsers, scenarios, then, when

from features.steps.story import Story
from registry.cli.main import cli
from registry.core.formats.statuslist import StatusList
from registry.demo.data import DEMO_RECORDS, QINGPU_BUREAU, WUJIANG_BUREAU
from tests.support.command_line import command_environment
from tests.support.fixtures import bearer, make_settings

scenarios("lifecycle.feature")

WANG_TITLE = DEMO_RECORDS[0]  # 王建华, issued by the Qingpu bureau
BUREAUS = {"青浦区人社局": QINGPU_BUREAU.uscc, "吴江区人社局": WUJIANG_BUREAU.uscc}
ACTIONS = {"撤销": "revoke", "暂扣": "suspend", "恢复": "reinstate", "注销": "cancel"}


def _bureau(text: str) -> str:
    return BUREAUS[text]


_bureau.pattern = "|".join(BUREAUS)  # type: ignore[attr-defined]  (parse's custom type)
NAMES = {"Bureau": _bureau}


@dataclass
class Offline:
    """What the offline verifier holds: files, and the last command's result."""

    folder: Path
    trust_list: Path | None = None
    status_lists: list[Path] = field(default_factory=list)
    result: Result | None = None

    def check(self, name: str) -> dict[str, Any]:
        assert self.result is not None
        answer = json.loads(self.result.stdout)
        return next(check for check in answer["checks"] if check["check"] == name)


@pytest.fixture
def offline(tmp_path) -> Offline:
    return Offline(tmp_path / "offline-verifier")


def _index(story: Story) -> int:
    entries = story.credential["credentialStatus"]
    entries = entries if isinstance(entries, list) else [entries]
    return int(entries[0]["statusListIndex"])


@given("青浦区人社局已为王建华签发职称证书")
def wang_title_issued(client, demo, story: Story):
    story.response = client.post(
        "/credentials/issue",
        json={"credential": WANG_TITLE.issuance_request()},
        headers=bearer(demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"]),
    )
    assert story.response.status_code == 201, story.response.text
    story.issued = story.response.json()
    story.payload = story.issued["qr"]["payload"]
    story.credential = story.issued["verifiableCredential"]


def _change(client, demo, story: Story, bureau: str, action: str, body: dict[str, str]):
    story.response = client.post(
        f"/credentials/{story.issued['id']}/{ACTIONS[action]}",
        json=body,
        headers=bearer(demo.tokens[f"issuer:{bureau}"]),
    )


@when(parsers.parse('{bureau:Bureau}以原因 "{reason}" {action}该证书，说明 "{note}"', NAMES))
def change_with_note(client, demo, story: Story, bureau, reason, action, note):
    _change(client, demo, story, bureau, action, {"reason": reason, "note": note})


@when(parsers.parse('{bureau:Bureau}以原因 "{reason}" {action}该证书', NAMES))
def change(client, demo, story: Story, bureau, reason, action):
    _change(client, demo, story, bureau, action, {"reason": reason})


@when(parsers.parse('{bureau:Bureau}用自己的令牌以原因 "{reason}" {action}该证书', NAMES))
def change_by_another(client, demo, story: Story, bureau, reason, action):
    _change(client, demo, story, bureau, action, {"reason": reason})


@when("用人单位扫码核验该证书")
def employer_scans(client, story: Story):
    story.response = client.post("/api/v1/scan", json={"payload": story.payload})


@then(parsers.parse('状态检查给出原因 "{code}"："{zh}" / "{en}"'))
def status_reason(story: Story, code, zh, en):
    assert story.check("status")["detail"]["reason"] == {"code": code, "zh": zh, "en": en}


@then(
    parsers.parse(
        "青浦区人社局的撤销状态列表中该证书的位为 {revoked:d}，暂扣状态列表中为 {suspended:d}"
    )
)
def list_bits(client, story: Story, revoked, suspended):
    bits = []
    for purpose in ("revocation", "suspension"):
        response = client.get(f"/status/{QINGPU_BUREAU.uscc}/{purpose}")
        assert response.status_code == 200
        encoded = response.json()["credentialSubject"]["encodedList"]
        bits.append(StatusList.decode(encoded).get(_index(story)))
    assert bits == [revoked, suspended]


@when("青浦区人社局查看该证书的状态变更记录")
def read_history(client, demo, story: Story):
    story.response = client.get(
        f"/credentials/{story.issued['id']}/history",
        headers=bearer(demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"]),
    )


@then(parsers.parse('记录依次为 "{first}"、"{second}"，每条都写明操作者、时间与原因'))
def history_lists(story: Story, first, second):
    changes = story.answer()["changes"]
    assert [change["action"] for change in changes] == [first, second]
    for change in changes:
        assert change["actor"].startswith("issuer:")
        assert change["at"].endswith("Z")
        assert change["reason"]["zh"] and change["reason"]["en"]


@then(parsers.parse('错误代码为 "{code}"，附中英文说明'))
def error_code(story: Story, code):
    body = story.answer()
    assert body["code"] == code
    assert body["message"]["zh"] != body["message"]["en"]


@given("离线核验员已从本登记系统下载信任列表")
def download_trust_list(client, offline: Offline):
    response = client.get("/trust-list")
    assert response.status_code == 200
    offline.folder.mkdir(parents=True, exist_ok=True)
    offline.trust_list = offline.folder / "trust-list.json"
    offline.trust_list.write_text(response.text, encoding="utf-8")


def _verify_offline(story: Story, offline: Offline, *extra: str, as_json: bool = True) -> None:
    """``registry verify --trust-list`` in a folder that holds no database."""
    assert offline.trust_list is not None
    nothing = make_settings(str(offline.folder), f"sqlite:///{offline.folder / 'registry.db'}")
    json_flag = ["--json"] if as_json else []
    offline.result = CliRunner().invoke(
        cli,
        ["verify", story.url, "--trust-list", str(offline.trust_list), *json_flag, *extra],
        env=command_environment(nothing),
    )
    assert not (offline.folder / "registry.db").exists()


@when("离线核验员不连数据库，只凭信任列表核验该证书的二维码链接")
def verify_without_lists(story: Story, offline: Offline):
    _verify_offline(story, offline)


@when("离线核验员以文字输出再核验一次该证书的二维码链接")
def verify_without_lists_as_text(story: Story, offline: Offline):
    _verify_offline(story, offline, as_json=False)


@then(parsers.parse('离线核验文字输出的第一行为 "{line}"'))
def offline_first_line(offline: Offline, line):
    assert offline.result is not None
    assert offline.result.stdout.splitlines()[0] == line


@when("离线核验员下载青浦区人社局的撤销与暂扣状态列表")
def download_status_lists(client, offline: Offline):
    offline.status_lists = []
    for purpose in ("revocation", "suspension"):
        response = client.get(f"/status/{QINGPU_BUREAU.uscc}/{purpose}")
        assert response.status_code == 200
        path = offline.folder / f"{purpose}.json"
        path.write_text(response.text, encoding="utf-8")
        offline.status_lists.append(path)


@when("离线核验员凭信任列表与状态列表核验该证书的二维码链接")
def verify_with_lists(story: Story, offline: Offline):
    files = [argument for path in offline.status_lists for argument in ("--status-list", str(path))]
    _verify_offline(story, offline, *files)


@then(parsers.parse("离线核验命令退出码为 {code:d}"))
def offline_exit(offline: Offline, code):
    assert offline.result is not None
    assert offline.result.exit_code == code, offline.result.output


@then(parsers.parse('离线核验输出中检查 "{name}" 为 "{outcome}"，代码为 "{code}"'))
def offline_check(offline: Offline, name, outcome, code):
    check = offline.check(name)
    assert (check["outcome"], check["code"]) == (outcome, code)


@then(
    parsers.parse('离线核验输出中检查 "{name}" 为 "{outcome}"，代码为 "{code}"，来源为 "{source}"')
)
def offline_check_source(offline: Offline, name, outcome, code, source):
    check = offline.check(name)
    assert (check["outcome"], check["code"], check["detail"]["source"]) == (outcome, code, source)

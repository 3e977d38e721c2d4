"""Steps of trust_list.feature: a second registry's list exported, imported with its pin,
and its records checked here by API and offline. Drives the HTTP API and the CLI only; the
second registry is set up like the demo zone is (tests/support/second_registry.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pytest_bdd import given, parsers, scenarios, then, when

from features.steps.story import Story
from registry.cli.main import cli
from registry.core.formats.timefmt import format_instant
from tests.support.command_line import command_environment
from tests.support.fixtures import bearer, make_settings
from tests.support.second_registry import (
    GUANGZHOU_BUREAU,
    SECOND_BASE_URL,
    SecondRegistry,
    second_registry,
)

scenarios("trust_list.feature")


@dataclass
class TrustStory:
    """What the people of a scenario hold: Guangzhou's record, list files and pin."""

    issued: dict[str, Any] = field(default_factory=dict)
    lists: dict[int, Path] = field(default_factory=dict)  # exported lists by sequence
    pin: str = ""
    status_lists: tuple[Path, ...] = ()  # the bureau's revocation and suspension lists
    offline_dir: Path | None = None
    result: Result | None = None

    def output(self) -> dict[str, Any]:
        assert self.result is not None
        answer: dict[str, Any] = json.loads(self.result.stdout)
        return answer


def run(settings, *args: str) -> Result:
    """The ``registry`` command on the store ``settings`` names; never a traceback."""
    result = CliRunner().invoke(cli, list(args), env=command_environment(settings))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


@pytest.fixture
def guangzhou(tmp_path_factory):
    with second_registry(tmp_path_factory.mktemp("guangzhou")) as opened:
        yield opened


@pytest.fixture
def trust_story() -> TrustStory:
    return TrustStory()


def _export(guangzhou: SecondRegistry, folder: Path) -> tuple[int, Path]:
    path = folder / f"guangzhou-{len(list(folder.iterdir()))}.json"
    result = run(guangzhou.settings, "trust", "export", "--out", str(path))
    assert result.exit_code == 0, result.stderr
    return json.loads(path.read_text(encoding="utf-8"))["sequence"], path


@given("广州登记系统已为其人社局签发一份职称证书，导出了信任列表并公布了根密钥指纹")
def guangzhou_publishes(guangzhou, trust_story: TrustStory, tmp_path):
    trust_story.issued = guangzhou.issue_title()
    sequence, path = _export(guangzhou, tmp_path)
    trust_story.lists[sequence] = path
    fingerprint = run(guangzhou.settings, "trust", "fingerprint")
    assert fingerprint.exit_code == 0
    trust_story.pin = fingerprint.stdout.strip()


@given("广州登记系统为其人社局新增一把签名密钥后，导出了序号为 2 的信任列表")
def guangzhou_adds_a_key(guangzhou, trust_story: TrustStory, tmp_path):
    added = run(guangzhou.settings, "keys", "generate", "--issuer", GUANGZHOU_BUREAU.uscc)
    assert added.exit_code == 0, added.stderr
    sequence, path = _export(guangzhou, tmp_path)
    assert sequence == 2
    trust_story.lists[sequence] = path


@given(parsers.parse("本登记系统已用广州公布的指纹导入序号为 {sequence:d} 的信任列表"))
def already_imported(settings, trust_story: TrustStory, sequence):
    result = run(
        settings, "trust", "import", str(trust_story.lists[sequence]), "--pin", trust_story.pin
    )
    assert result.exit_code == 0, result.stderr


@when("本登记系统的管理员用广州公布的指纹导入这份信任列表")
def import_with_pin(settings, trust_story: TrustStory):
    trust_story.result = run(
        settings, "trust", "import", str(trust_story.lists[1]), "--pin", trust_story.pin
    )


@when("本登记系统的管理员用本系统自己的根密钥指纹导入广州的信任列表")
def import_with_wrong_pin(settings, trust_story: TrustStory):
    own = run(settings, "trust", "fingerprint").stdout.strip()
    assert own != trust_story.pin
    trust_story.result = run(settings, "trust", "import", str(trust_story.lists[1]), "--pin", own)


@when(parsers.parse("本登记系统的管理员再导入序号为 {sequence:d} 的旧信任列表"))
def import_older(settings, trust_story: TrustStory, sequence):
    trust_story.result = run(
        settings, "trust", "import", str(trust_story.lists[sequence]), "--pin", trust_story.pin
    )


@when(parsers.parse('嘉善县 {region} 的伙伴系统以事由 "{purpose}" 提交广州证书的二维码链接'))
def partner_checks(client, demo, story: Story, trust_story: TrustStory, region, purpose):
    story.response = client.post(
        "/api/v1/verify",
        json={"qr": trust_story.issued["qr"]["url"], "purpose": purpose},
        headers=bearer(demo.tokens[f"partner:{region}"]),
    )


def _offline(trust_story: TrustStory, tmp_path: Path, *extra: str) -> Result:
    """``registry verify --trust-list`` with settings naming a folder that holds nothing."""
    trust_story.offline_dir = tmp_path / "offline-verifier"
    nothing = make_settings(
        str(trust_story.offline_dir), f"sqlite:///{trust_story.offline_dir / 'registry.db'}"
    )
    return run(
        nothing,
        "verify",
        trust_story.issued["qr"]["url"],
        "--trust-list",
        str(trust_story.lists[1]),
        "--pin",
        trust_story.pin,
        "--json",
        *extra,
    )


@given("广州人社局发布了撤销与暂扣两份状态列表，离线核验员已取得")
def guangzhou_status_lists(guangzhou, trust_story: TrustStory, tmp_path):
    folder = tmp_path / "fetched-status-lists"
    folder.mkdir()
    trust_story.status_lists = guangzhou.status_lists(folder)


@when("离线核验员不连数据库，凭这份信任列表文件、指纹和两份状态列表核验广州证书的二维码链接")
def offline_with_status_lists(trust_story: TrustStory, tmp_path):
    assert len(trust_story.status_lists) == 2
    lists = [arg for path in trust_story.status_lists for arg in ("--status-list", str(path))]
    trust_story.result = _offline(trust_story, tmp_path, *lists)


@when(
    "本登记系统的核验员在本地登记系统上不带信任列表文件，只凭两份状态列表核验广州证书的二维码链接"
)
def local_with_status_lists(settings, trust_story: TrustStory):
    """``registry verify`` on this registry's own store, which now trusts Guangzhou through
    the imported list: no ``--trust-list`` file, only Guangzhou's status lists."""
    assert len(trust_story.status_lists) == 2
    lists = [arg for path in trust_story.status_lists for arg in ("--status-list", str(path))]
    trust_story.result = run(settings, "verify", trust_story.issued["qr"]["url"], *lists, "--json")


@then("命令输出的 JSON 中 verified 为 true")
def verified_offline(trust_story: TrustStory):
    answer = trust_story.output()
    assert answer["verified"] is True, answer
    assert answer.get("problemDetails", []) == []


def _offline_at(trust_story: TrustStory, tmp_path: Path, age: timedelta) -> Result:
    issued = json.loads(trust_story.lists[1].read_text(encoding="utf-8"))["issued"]
    start = datetime.fromisoformat(issued.replace("Z", "+00:00"))
    return _offline(trust_story, tmp_path, "--at", format_instant(start + age))


@when(parsers.parse("离线核验员在信任列表签发 {hours:d} 小时后凭它核验广州证书的二维码链接"))
def offline_hours_later(trust_story: TrustStory, tmp_path, hours):
    trust_story.result = _offline_at(trust_story, tmp_path, timedelta(hours=hours))


@when(parsers.parse("离线核验员在信任列表签发 {days:d} 天后凭它核验广州证书的二维码链接"))
def offline_days_later(trust_story: TrustStory, tmp_path, days):
    trust_story.result = _offline_at(trust_story, tmp_path, timedelta(days=days))


@then(parsers.parse('命令退出码为 {code:d}，输出以 "{start}" 开头'))
def exit_and_output(trust_story: TrustStory, code, start):
    assert trust_story.result is not None
    assert trust_story.result.exit_code == code, trust_story.result.stderr
    assert trust_story.result.stdout.startswith(start)


@then(parsers.parse("命令退出码为 {code:d}"))
def exit_code(trust_story: TrustStory, code):
    assert trust_story.result is not None
    assert trust_story.result.exit_code == code, trust_story.result.stderr


@then(parsers.parse('命令退出码为 {code:d}，错误输出给出代码 "{error}" 与中英文说明'))
def refused(trust_story: TrustStory, code, error):
    result = trust_story.result
    assert result is not None
    assert result.exit_code == code, result.stdout + result.stderr
    line = next(line for line in result.stderr.splitlines() if error in line)
    zh, _, en = line.partition(" / ")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), line
    assert en and en.isascii(), line
    assert "Traceback" not in result.stderr


@then("本登记系统没有导入任何信任列表")
def nothing_imported(settings):
    assert run(settings, "trust", "list").stdout.splitlines()[1:] == []


@then(parsers.parse("本登记系统保存的广州信任列表序号仍为 {sequence:d}"))
def stored_sequence(settings, sequence):
    rows = run(settings, "trust", "list").stdout.splitlines()[1:]
    assert [row.split("\t")[:2] for row in rows] == [[SECOND_BASE_URL, str(sequence)]]


@then(parsers.parse('回答中的签发机构为 "{name}"'))
def answer_issuer(story: Story, name):
    assert story.answer()["issuer"]["name"]["zh"] == name


@then(parsers.parse('命令输出的 JSON 中检查 "{name}" 为 "{outcome}"，代码为 "{code}"'))
def output_check(trust_story: TrustStory, name, outcome, code):
    checks = {c["check"]: (c["outcome"], c["code"]) for c in trust_story.output()["checks"]}
    assert checks[name] == (outcome, code)


@then("离线核验没有创建任何数据库")
def no_database(trust_story: TrustStory):
    assert trust_story.offline_dir is not None
    assert not trust_story.offline_dir.exists()


@then(parsers.parse('命令输出的 JSON 的警告中有 "{code}"，问题详情中没有'))
def warned_only(trust_story: TrustStory, code):
    answer = trust_story.output()
    assert code in [w["code"] for w in answer["warnings"]]
    assert code not in [p["code"] for p in answer.get("problemDetails", [])]


@then(parsers.parse('命令输出的 JSON 中 verified 为 false，问题详情给出 "{code}" 与中英文说明'))
def refused_as_problem(trust_story: TrustStory, code):
    answer = trust_story.output()
    assert answer["verified"] is False
    (problem,) = [p for p in answer["problemDetails"] if p["code"] == code]
    assert problem["check"] == "trust_list"
    zh, _, en = problem["detail"].partition(" / ")
    assert "信任列表" in zh and "trust list" in en

"""Steps of transparency.feature: a partner audits the log with ``registry audit`` (through
the click runner, reaching the app over the test client), and an issuer checks its receipt."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import text

from features.steps.story import Story, committee_headers, issue, joint_title_request
from registry.cli.main import cli
from registry.core.formats import merkle
from registry.core.formats.multikey import public_key_from_multikey
from registry.core.formats.treehead import decode_bytes, decode_hash, read_tree_head
from registry.demo.data import LI_SIYUAN

scenarios("transparency.feature")

URL = "http://testserver.local"


@dataclass
class Partner:
    """Jiashan's partner system: its audit state file and its last audit."""

    state: Path
    result: Result | None = None
    runs: list[dict[str, Any]] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        assert self.result is not None
        return json.loads(self.result.output)


@pytest.fixture
def partner(tmp_path) -> Partner:
    return Partner(tmp_path / "jiashan-audit.json")


def _audit(client, partner: Partner, *arguments: str) -> None:
    def fetch(url: str):
        response = client.get(url)
        return response.status_code, response.json()

    partner.result = CliRunner().invoke(
        cli,
        ["audit", URL, "--state", str(partner.state), "--json", *arguments],
        obj={"fetch": fetch},
    )
    partner.runs.append(partner.report())


def _codes(partner: Partner) -> list[str]:
    return [check["code"] for check in partner.report()["checks"]]


@given("嘉善的伙伴系统第一次审计登记系统的透明日志")
def first_audit(client, partner: Partner):
    assert not partner.state.exists()
    _audit(client, partner)


@then("审计通过，并在首次使用时固定了日志密钥")
def first_audit_passed(partner: Partner):
    assert partner.result is not None
    assert partner.result.exit_code == 0, partner.result.output
    assert _codes(partner) == ["HEAD_VALID", "KEY_PINNED", "FIRST_HEAD", "ENTRIES_VERIFIED"]
    pinned = json.loads(partner.state.read_text())["pinnedKeys"]
    assert list(pinned) == [partner.report()["treeHead"]["kid"]]


@when("联合评审委员会为吴江工程师李思远签发高级工程师职称证书")
def committee_issues(client, demo, story: Story):
    body = joint_title_request(LI_SIYUAN, "高级工程师", "机械工程", "副高级")
    issue(client, story, body, committee_headers(demo))
    assert story.response is not None
    assert story.response.status_code == 201, story.response.text


@when("嘉善的伙伴系统再次审计，并核对这份证书已记入日志")
def audit_with_record(client, partner: Partner, story: Story):
    _audit(client, partner, "--record", story.issued["id"])


@then("审计通过，新树头与上次所见的树头一致，证书的包含证明有效")
def second_audit_passed(partner: Partner):
    assert partner.result is not None
    assert partner.result.exit_code == 0, partner.result.output
    assert _codes(partner) == [
        "HEAD_VALID",
        "LOG_CONSISTENT",
        "RECORD_INCLUDED",
        "NEW_ENTRIES_VERIFIED",
    ]
    first, second = partner.runs[0]["treeHead"], partner.runs[1]["treeHead"]
    assert second["treeSize"] > first["treeSize"]


@when(parsers.parse("有人绕过登记系统，改动了数据库中第 {number:d} 片叶子的内容"))
def tamper(registry, number: int):
    with registry.transaction() as session:
        session.execute(
            text("update log_entry set leaf = :leaf where seq = :seq"),
            {"leaf": b'{"event":"issued","forged":true}', "seq": number - 1},
        )


@when("嘉善的伙伴系统再次审计，并取回全部日志条目重算根哈希")
def audit_entries(client, partner: Partner):
    _audit(client, partner, "--entries")


@then(parsers.parse('审计失败，退出码为 1，报告指出 "{code}"，并附中英文说明'))
def audit_failed(partner: Partner, code: str):
    assert partner.result is not None
    assert partner.result.exit_code == 1, partner.result.output
    report = partner.report()
    assert report["ok"] is False
    assert report["failures"] == [code]
    (failed,) = [check for check in report["checks"] if check["outcome"] == "failed"]
    assert failed["detail"] == {"index": 2}
    assert "序号为 2 的条目" in failed["message"]["zh"]
    assert "entry 2" in failed["message"]["en"]


@then("签发回答给出这份证书在日志中的叶子序号、签名树头和包含证明")
def receipt_given(story: Story):
    receipt = story.issued["transparency"]
    assert set(receipt) == {"leafIndex", "leaf", "treeHead", "inclusionProof"}
    assert receipt["treeHead"]["treeSize"] > receipt["leafIndex"]


@then("树头由 /log/keys 公布的日志密钥签署")
def head_signed(client, story: Story):
    methods = client.get("/log/keys").json()["verificationMethod"]
    trusted = {
        m["id"].rsplit("#", 1)[1]: public_key_from_multikey(m["publicKeyMultibase"])
        for m in methods
    }
    story.shown["head"] = read_tree_head(story.issued["transparency"]["treeHead"], trusted)


@then("包含证明对照树头的根哈希成立，叶子中没有李思远的姓名或身份证号码")
def inclusion_holds(story: Story):
    receipt = story.issued["transparency"]
    head = story.shown["head"]
    leaf = decode_bytes(receipt["leaf"], "leaf")
    path = [decode_hash(value, "path") for value in receipt["inclusionProof"]]
    assert merkle.verify_inclusion(
        merkle.leaf_hash(leaf), receipt["leafIndex"], head.size, path, head.root
    )
    event = json.loads(leaf)
    assert event["record"] == story.issued["id"]
    assert LI_SIYUAN.name not in leaf.decode()
    assert LI_SIYUAN.id_number not in leaf.decode()

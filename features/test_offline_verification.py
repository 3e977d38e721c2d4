"""Steps of offline_verification.feature: ``registry verify`` on links, images and files."""

from __future__ import annotations

import json

from pytest_bdd import parsers, scenarios, then, when

from features.steps.command import run_registry
from features.steps.story import Story, committee_headers
from registry.demo.data import LI_SIYUAN

scenarios("offline_verification.feature")


def _output(story: Story) -> str:
    assert story.command is not None
    return story.command.stdout


@when("运行 registry verify 并给出证书的二维码链接")
@when("运行 registry verify 并给出改动后的二维码链接")
def verify_link(settings, story: Story):
    story.command = run_registry(settings, "verify", story.url)


@when("联合评审委员会用签发令牌下载证书的二维码图片")
def download_png(client, demo, story: Story, tmp_path):
    response = client.get(
        f"/api/v1/credentials/{story.issued['id']}/qr.png", headers=committee_headers(demo)
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    story.file = tmp_path / "qr.png"
    story.file.write_bytes(response.content)


@when("运行 registry verify 并给出这张图片")
def verify_image(settings, story: Story):
    story.command = run_registry(settings, "verify", str(story.file))


@when("把签发的凭证保存为 JSON 文件")
def save_credential(story: Story, tmp_path):
    story.file = tmp_path / "credential.json"
    story.file.write_text(json.dumps(story.credential, ensure_ascii=False), encoding="utf-8")


@when("运行 registry verify --json 并给出这个文件")
def verify_file(settings, story: Story):
    story.command = run_registry(settings, "verify", "--json", str(story.file))


@then(parsers.parse("命令退出码为 {code:d}"))
def exit_code(story: Story, code):
    assert story.command is not None
    assert story.command.returncode == code, story.command.stdout + story.command.stderr


@then(parsers.parse('命令输出的第一行为 "{line}"'))
def first_line(story: Story, line):
    assert _output(story).splitlines()[0] == line


@then(parsers.parse('命令输出包含 "{first}" 与 "{second}"'))
def output_contains(story: Story, first, second):
    assert first in _output(story)
    assert second in _output(story)


@then("命令输出中既没有李思远的全名，也没有他的身份证号码")
def output_private(story: Story):
    assert story.command is not None
    printed = story.command.stdout + story.command.stderr
    assert LI_SIYUAN.name not in printed
    assert LI_SIYUAN.id_number not in printed


@then(parsers.parse('输出的 JSON 中 verified 为 true，来源为 "{source}"'))
def json_verified(story: Story, source):
    answer = json.loads(_output(story))
    assert answer["verified"] is True
    assert answer["source"] == source


@then(parsers.parse('输出的 JSON 中检查 "{name}" 的代码为 "{code}"'))
def json_check(story: Story, name, code):
    checks = {check["check"]: check["code"] for check in json.loads(_output(story))["checks"]}
    assert checks[name] == code

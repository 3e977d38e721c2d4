"""``registry serve --host 0.0.0.0``: links a phone on the same network can open, an
explicit ``--base-url``, or a refusal to start (``BASE_URL_REQUIRED``)."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from registry.cli.main import cli


class FakeServer:
    """Stands in for uvicorn's server: remembers the app it was given, serves nothing."""

    apps: list[Any] = []  # noqa: RUF012

    def __init__(self, config: Any) -> None:
        self.started = True
        FakeServer.apps.append(config.app)

    def run(self) -> None:
        return None


@pytest.fixture
def runner(runner, monkeypatch) -> CliRunner:
    """The suite's runner with no base URL set, and uvicorn replaced by ``FakeServer``."""
    monkeypatch.delenv("REGISTRY_BASE_URL")
    monkeypatch.setattr("uvicorn.Server", FakeServer)
    FakeServer.apps.clear()
    return runner


def test_serving_everywhere_links_to_the_lan_address(runner, monkeypatch):
    monkeypatch.setattr("registry.services.runtime.addresses.lan_address", lambda: "192.0.2.7")
    result = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "verify page: http://192.0.2.7:8123/v" in result.output


def test_without_a_lan_address_serve_refuses_to_start(runner, monkeypatch):
    monkeypatch.setattr("registry.services.runtime.addresses.lan_address", lambda: None)
    result = runner.invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "BASE_URL_REQUIRED" in result.output and "--base-url" in result.output
    assert FakeServer.apps == []


def test_an_explicit_base_url_wins(runner, monkeypatch):
    monkeypatch.setattr("registry.services.runtime.addresses.lan_address", lambda: None)
    result = runner.invoke(
        cli, ["serve", "--host", "0.0.0.0", "--base-url", "https://talent.example.cn/"]
    )
    assert result.exit_code == 0, result.output
    assert "verify page: https://talent.example.cn/v" in result.output


def test_a_base_url_that_is_not_http_is_refused(runner):
    result = runner.invoke(cli, ["serve", "--base-url", "talent.example.cn"])
    assert result.exit_code == 2
    assert "http(s) URL" in result.output


def test_a_fresh_demo_prints_a_qr_link_a_phone_can_open(runner, monkeypatch):
    monkeypatch.setattr("registry.services.runtime.addresses.lan_address", lambda: "192.0.2.7")
    result = runner.invoke(cli, ["serve", "--demo", "--host", "0.0.0.0", "--port", "8124"])
    assert result.exit_code == 0, result.output
    assert "演示二维码链接: http://192.0.2.7:8124/v#RC1:" in result.output

"""``registry serve`` run as a process of its own, as deployed: what its logs hold, and
whose ``X-Forwarded-For`` it believes (security review, issue 13: findings 3 and 8a)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from features.steps.command import environment, registry_command
from registry.demo.data import QINGPU_BUREAU
from tests.support.api_checks import issuer_headers
from tests.support.fixtures import BASE_URL, bearer
from tests.support.privacy import assert_no_id_numbers_in_output
from tests.support.servers import free_port, wait_for_process

MATCH = "/api/v1/verify/match"
MATCH_LIMIT = 20  # a minute per address (registry/http/controllers/verify.py)
NOT_A_MATCH = {"record": "no-such-record", "idNumber": "0"}


@dataclass
class Served:
    """A running ``registry serve`` and, once it stopped, everything it wrote."""

    url: str
    output: str = ""


@contextmanager
def served(settings, tmp_path: Path, **variables: str) -> Iterator[Served]:
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    env = {**environment(settings), **variables, "REGISTRY_LOG_LEVEL": "INFO"}
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [*registry_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Served(f"http://127.0.0.1:{port}")
    try:
        wait_for_process(process, log, server.url + "/api/v1/codes", 60, "registry serve")
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
        server.output = log.read_text(encoding="utf-8")
        assert_no_id_numbers_in_output(server.output)


def test_no_token_or_link_secret_reaches_the_logs(client, demo, settings, tmp_path):
    made = client.post(
        f"/credentials/{demo.records[0]}/holder-link",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert made.status_code == 201, made.text
    link = str(made.json()["url"]).removeprefix(BASE_URL)
    secret = link.rsplit("/", 1)[1]
    token = demo.tokens["partner:330421"]
    issuer_token = demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"]
    with served(settings, tmp_path) as server, httpx.Client(base_url=server.url) as http:
        assert http.get(link).status_code == 200
        assert http.get(link, headers={"Accept": "application/json"}).status_code == 200
        assert http.get(link + "?from=mail").status_code == 200
        assert http.get("/hold%65r/" + secret).status_code == 200  # the same page, encoded
        assert http.get(link.upper()).status_code == 404
        assert http.get(link[:-3]).status_code == 404  # a link cut short in an e-mail
        assert http.get("/log/head", params={"access_token": token}).status_code == 200
        assert http.get("/credentials/" + issuer_token).status_code == 401  # pasted wrongly
        answered = http.post(
            "/api/v1/verify/batch", json={"items": [], "purpose": "日志"}, headers=bearer(token)
        )
        assert answered.status_code == 200
    leaked = [
        text
        for text in (secret, secret[4:20], secret[:-3], token, token[4:20], issuer_token[4:20])
        if text in server.output
    ]
    assert leaked == [], server.output
    assert '"GET /holder/[redacted] HTTP/1.1" 200' in server.output
    assert '"GET /log/head?access_token=[redacted] HTTP/1.1" 200' in server.output
    assert '"POST /api/v1/verify/batch HTTP/1.1" 200' in server.output


def match_answers(server: Served, forwarded_for: list[str]) -> list[int]:
    with httpx.Client(base_url=server.url) as http:
        return [
            http.post(MATCH, json=NOT_A_MATCH, headers={"X-Forwarded-For": address}).status_code
            for address in forwarded_for
        ]


def distinct_clients(count: int) -> list[str]:
    return [f"203.0.113.{n}" for n in range(1, count + 1)]


def test_forwarded_for_is_ignored_unless_a_proxy_is_configured(registry, settings, tmp_path):
    with served(settings, tmp_path) as server:
        # a client naming a new address each time is still one client: its own address
        answers = match_answers(server, distinct_clients(MATCH_LIMIT + 1))
    assert 429 not in answers[:MATCH_LIMIT]
    assert answers[MATCH_LIMIT] == 429
    assert "203.0.113." not in server.output  # nor is the claimed address logged


def test_forwarded_for_is_believed_from_a_configured_proxy_only(registry, settings, tmp_path):
    with served(settings, tmp_path, REGISTRY_TRUSTED_PROXIES="127.0.0.1") as server:
        assert 429 not in match_answers(server, distinct_clients(MATCH_LIMIT + 5))
        one_client = match_answers(server, ["198.51.100.7"] * (MATCH_LIMIT + 1))
        assert one_client[MATCH_LIMIT] == 429
    assert "198.51.100.7" in server.output  # the access log names the real client
    with served(settings, tmp_path, REGISTRY_TRUSTED_PROXIES="10.9.9.9, 10.8.0.0/16") as server:
        answers = match_answers(server, distinct_clients(MATCH_LIMIT + 1))
    assert answers[MATCH_LIMIT] == 429  # this peer is not a listed proxy


def test_a_trusted_proxy_that_is_not_an_address_stops_serve(registry, settings, tmp_path):
    completed = subprocess.run(
        [*registry_command(), "serve", "--port", str(free_port())],
        env={**environment(settings), "REGISTRY_TRUSTED_PROXIES": "proxy.internal"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert "TRUSTED_PROXY_INVALID" in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("encoded", [False, True])
def test_an_internal_error_on_a_holder_page_logs_no_secret(
    client, demo, monkeypatch, caplog, encoded
):
    made = client.post(
        f"/credentials/{demo.records[0]}/holder-link",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    link = str(made.json()["url"]).removeprefix(BASE_URL)
    secret = link.rsplit("/", 1)[1]

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the store went away")

    monkeypatch.setattr("registry.http.controllers.holder.holder_view", broken)
    answer = client.get("/hold%65r/" + secret if encoded else link)
    assert answer.status_code == 500
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(record.getMessage() for record in server_side)  # not the client's
    assert "internal error on GET /holder/[redacted]: RuntimeError" in logged
    assert secret not in logged
    assert secret[4:20] not in logged

"""The registry's log lines: formatted once by the caller, written by a writer thread."""

from __future__ import annotations

import io
import json
import logging
import time
from dataclasses import replace

from litestar.testing import TestClient

from registry.demo.data import DEMO_RECORDS, JIASHAN_BUREAU
from registry.http.app import LINES_HANDLER, create_app
from registry.http.logformat import JsonLogFormatter
from registry.http.logwriter import BatchedLineHandler
from tests.support.api_checks import issue
from tests.support.fixtures import bearer

FORMAT = "%(levelname)s %(name)s %(message)s"


class CountingStream(io.StringIO):
    """A stream that counts its writes."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("registry.partner", logging.INFO, __file__, 1, message, args, None)


def handler_on(stream: io.StringIO, interval: float = 60.0) -> BatchedLineHandler:
    handler = BatchedLineHandler(stream, interval=interval)
    handler.setFormatter(logging.Formatter(FORMAT))
    return handler


def test_lines_are_formatted_at_once_and_written_together_in_order():
    stream = CountingStream()
    handler = handler_on(stream)
    arguments = ["a"]
    handler.handle(record("check %s", arguments))
    arguments.append("b")  # changed after the call: the line keeps what was logged
    handler.handle(record("check %d", 2))
    assert stream.getvalue() == ""  # not written on the caller's path
    handler.flush()
    assert stream.getvalue() == (
        "INFO registry.partner check ['a']\nINFO registry.partner check 2\n"
    )
    assert stream.writes == 1
    handler.close()


def test_the_writer_thread_writes_without_being_asked():
    stream = io.StringIO()
    handler = handler_on(stream, interval=0.01)
    handler.handle(record("one line"))
    deadline = time.monotonic() + 10
    while not stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stream.getvalue() == "INFO registry.partner one line\n"
    handler.close()


def test_close_writes_what_is_left_and_a_closed_handler_still_writes():
    stream = io.StringIO()
    handler = handler_on(stream)
    handler.handle(record("before close"))
    handler.close()
    assert stream.getvalue() == "INFO registry.partner before close\n"
    # logging.config closes the handlers it replaces even when a logger keeps one
    handler.handle(record("after close"))
    handler.close()
    assert stream.getvalue().endswith("INFO registry.partner after close\n")


def test_the_app_gives_the_registry_loggers_the_batched_handler_in_the_chosen_format(settings):
    create_app(replace(settings, log_format="json"))
    handlers = logging.getLogger("registry").handlers
    assert [type(handler) for handler in handlers] == [BatchedLineHandler]
    assert handlers[0].name == LINES_HANDLER
    assert isinstance(handlers[0].formatter, JsonLogFormatter)
    create_app(settings)
    (handler,) = logging.getLogger("registry").handlers
    assert not isinstance(handler.formatter, JsonLogFormatter)


def test_a_partner_check_line_reaches_the_stream_by_the_end_of_the_app(
    registry, demo, settings, monkeypatch
):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)  # the handler's stream is taken at creation
    app = create_app(replace(settings, log_format="json", log_level="INFO"), registry)
    with TestClient(app=app) as client:
        issued = issue(client, demo, DEMO_RECORDS[0])
        answer = client.post(
            "/api/v1/verify",
            json={"qr": issued["qr"]["url"], "purpose": "日志测试"},
            headers=bearer(demo.tokens[f"partner:{JIASHAN_BUREAU.region}"]),
        )
        assert answer.status_code == 200, answer.text
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    partner = [line for line in lines if line["logger"] == "registry.partner"]
    assert len(partner) == 1
    assert partner[0]["message"].startswith("partner check client=")
    assert "日志测试" in partner[0]["message"]

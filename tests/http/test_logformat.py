"""JSON log lines (REGISTRY_LOG_FORMAT=json): a fixed set of fields, nothing else."""

from __future__ import annotations

import json
import logging
import os
import sys

from registry.http.logformat import JsonLogFormatter, formatter_config


def test_a_json_line_holds_time_level_logger_message_and_pid_only():
    record = logging.LogRecord(
        "registry.partner", logging.WARNING, __file__, 1, "批量核验 %s 项", (3,), None
    )
    record.secret_extra = "rgt_should_not_appear"
    line = JsonLogFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert set(parsed) == {"time", "level", "logger", "message", "pid"}
    assert parsed["message"] == "批量核验 3 项"
    assert parsed["level"] == "WARNING"
    assert parsed["pid"] == os.getpid()
    assert parsed["time"].endswith("+00:00")
    assert "rgt_" not in line


def test_an_exception_gives_its_type_not_its_text():
    try:
        raise ValueError("submitted value 110101199003070011")
    except ValueError:
        record = logging.LogRecord(
            "registry.http", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    parsed = json.loads(JsonLogFormatter().format(record))
    assert parsed["exception"] == "ValueError"
    assert "submitted" not in json.dumps(parsed)


def test_text_is_the_default_format():
    assert formatter_config("text") is None
    assert formatter_config("json") == {"()": "registry.http.logformat.JsonLogFormatter"}

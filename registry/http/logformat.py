"""Structured logs (``REGISTRY_LOG_FORMAT=json``): one JSON object a line.

Each line holds the time (UTC, ISO 8601), level, logger, the message as the registry and
uvicorn already write it (uvicorn's access lines pass through the redaction filter first,
so no holder-link secret, token or query value is in them) and the worker's pid. Nothing
else of the record is copied: no arguments, no ``extra`` fields, no exception text
(a traceback may quote a submitted value), only the exception's type.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime


class JsonLogFormatter(logging.Formatter):
    """Formats a record as one line of JSON with a fixed set of fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record's time, level, logger, message and pid (and exception type)."""
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": os.getpid(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = record.exc_info[0].__name__
        return json.dumps(line, ensure_ascii=False)


def formatter_config(log_format: str) -> dict[str, object] | None:
    """A ``logging.config`` formatter entry for the format, or ``None`` for plain text."""
    if log_format == "json":
        return {"()": f"{__name__}.JsonLogFormatter"}
    return None


__all__ = ["JsonLogFormatter", "formatter_config"]

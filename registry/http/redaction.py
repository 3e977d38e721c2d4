"""What of a request target may be logged: secret-bearing path segments and every query
value are replaced before a line is written.

A holder's link (``/holder/<secret>``) is a bearer secret in the path; a query string may
carry anything a client put there (a token, an ID number), so its values are never logged,
only its parameter names. Bearer tokens (``rgt_``) and link secrets (``rgh_``) are also
redacted wherever else they appear in a path, for a client that put one in the wrong place.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, unquote

REDACTED = "[redacted]"

# Path segments that follow these route prefixes are secrets (matched without regard to
# case or doubled slashes, so a mistyped link is redacted too).
_SECRET_SEGMENT_AFTER = re.compile(r"(/+holder/+)[^/?#]+", re.IGNORECASE)
# Our own secrets by their prefix (tokens, holder links), percent-encoded or not.
_PREFIXED_SECRET = re.compile(r"rg[ht]_[^/?#&=\s]*", re.IGNORECASE)
# Kept as written when a path is encoded again after redaction; anything else (quotes,
# spaces, line breaks) stays percent-encoded, so a path cannot forge a log line.
_SAFE_IN_PATH = "/:@!$'()*+,;=-._~[]"
_ACCESS_LOGGER = "uvicorn.access"
_TARGET_ARGUMENT = 2  # uvicorn's access line: client, method, target, HTTP version, status


def redact_path(path: str) -> str:
    """A path with every secret segment replaced by ``[redacted]``, matched on its decoded
    form (so ``/hold%65r/…`` is caught too) and percent-encoded again."""
    decoded = unquote(path, errors="replace")
    decoded = _SECRET_SEGMENT_AFTER.sub(lambda found: found.group(1) + REDACTED, decoded)
    return quote(_PREFIXED_SECRET.sub(REDACTED, decoded), safe=_SAFE_IN_PATH)


def redact_target(target: str) -> str:
    """A request target (path and query) safe to log: secret path segments redacted, and
    each query value replaced, keeping only the parameter names."""
    path, separator, query = target.partition("?")
    if not separator:
        return redact_path(path)
    names = [part.partition("=")[0] for part in query.split("&") if part]
    redacted_query = "&".join(f"{redact_path(name)}={REDACTED}" for name in names)
    return f"{redact_path(path)}?{redacted_query}"


class AccessLogRedaction(logging.Filter):
    """Rewrites the target of uvicorn's access lines (``"GET /holder/… HTTP/1.1" 200``)
    before any handler formats them; other records pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the request target, which uvicorn passes as the third argument."""
        arguments = record.args
        if record.name != _ACCESS_LOGGER or not isinstance(arguments, tuple):
            return True
        items = list(arguments)
        target = items[_TARGET_ARGUMENT] if len(items) > _TARGET_ARGUMENT else None
        if isinstance(target, str):
            items[_TARGET_ARGUMENT] = redact_target(target)
            record.args = tuple(items)
        return True


__all__ = ["REDACTED", "AccessLogRedaction", "redact_path", "redact_target"]

"""What a partner's audit remembers between runs, and how it reaches a registry.

The state file holds the log keys the partner pinned and the newest tree head it has
verified (the signed document itself, so it is evidence in a dispute), plus a short
history. It lives in the partner's data folder, never in the project; the audit writes it
only after a run that passed.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from registry.core.errors import RegistryError, invalid

STATE_VERSION = 1
HISTORY_LIMIT = 100
FETCH_TIMEOUT_SECONDS = 15
MAX_ANSWER_BYTES = 16 * 1024 * 1024

Fetch = Callable[[str], tuple[int, Any]]
"""GET a URL: (HTTP status, decoded JSON body or None). Raises ``RegistryUnreachableError``."""


class RegistryUnreachableError(Exception):
    """The registry did not answer (network error, timeout, not JSON)."""


def fetch_json(url: str) -> tuple[int, Any]:
    """The default fetch: ``urllib`` from the standard library, JSON expected."""
    request = urllib.request.Request(  # noqa: S310  (the scheme is checked by the caller)
        url, headers={"Accept": "application/json", "User-Agent": "registry-audit/1"}
    )
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as answer:  # noqa: S310
            status, raw = answer.status, answer.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read(MAX_ANSWER_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise RegistryUnreachableError(f"{type(error).__name__}: {error}") from None
    if len(raw) > MAX_ANSWER_BYTES:
        raise RegistryUnreachableError("answer too large")
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        if status >= 400:
            return status, None
        raise RegistryUnreachableError(f"HTTP {status}: the answer is not JSON") from None


def default_state_path(base_url: str) -> Path:
    """``<user data dir>/yrd-registry/audit/<registry>.json``: XDG_DATA_HOME (or
    ~/.local/share) on Unix, LOCALAPPDATA on Windows."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        root = Path(os.environ["LOCALAPPDATA"])
    else:
        root = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", base_url.split("://", 1)[-1]).strip("_")
    return root / "yrd-registry" / "audit" / f"{name or 'registry'}.json"


def _bad_state(path: Path, why: str) -> RegistryError:
    return invalid(
        "AUDIT_STATE_INVALID",
        f"审计状态文件无法读取（{path.name}：{why}）",
        f"the audit state file cannot be read ({path.name}: {why})",
    )


@dataclass
class AuditState:
    """Pinned log keys (kid -> Multikey), the newest verified head, and a short history."""

    url: str
    log: str | None = None
    pinned: dict[str, str] = field(default_factory=dict)
    head: dict[str, Any] | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path, url: str) -> AuditState:
        """The state kept at ``path`` for ``url``; a fresh one if the file does not exist."""
        if not path.exists():
            return cls(url)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise _bad_state(path, type(error).__name__) from None
        if not isinstance(data, Mapping) or data.get("version") != STATE_VERSION:
            raise _bad_state(path, "unknown version")
        if data.get("url") != url:
            raise _bad_state(path, f"kept for {data.get('url')!r}, not this registry")
        pinned, head, history = data.get("pinnedKeys"), data.get("head"), data.get("history")
        if not isinstance(pinned, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in pinned.items()
        ):
            raise _bad_state(path, "pinnedKeys")
        if head is not None and not isinstance(head, dict):
            raise _bad_state(path, "head")
        if not isinstance(history, list):
            raise _bad_state(path, "history")
        log = data.get("log")
        return cls(url, log if isinstance(log, str) else None, dict(pinned), head, list(history))

    def save(self, path: Path) -> None:
        """Write the state atomically (a temporary file renamed over the old one)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {
            "version": STATE_VERSION,
            "url": self.url,
            "log": self.log,
            "pinnedKeys": self.pinned,
            "head": self.head,
            "history": self.history[-HISTORY_LIMIT:],
        }
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(body, indent=2, ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)


__all__ = [
    "AuditState",
    "Fetch",
    "RegistryUnreachableError",
    "default_state_path",
    "fetch_json",
]

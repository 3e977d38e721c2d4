"""Settings read from ``REGISTRY_*`` environment variables, with one cached getter.

Every setting has a default that gives a working registry on the embedded SQLite store
under ``./data/``; production sets at least the database URL, the base URL and the secrets.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from registry.core.errors import invalid

SECRETS_FILE = "secrets.env"
_FILE_SECRETS = ("REGISTRY_KEY_PASSPHRASE", "REGISTRY_HASH_KEY", "REGISTRY_ID_KEY")


@dataclass(frozen=True)
class SettingDoc:
    """One documented environment variable, for ``registry --help`` and the settings page."""

    name: str
    default: str
    meaning: str


SETTING_DOCS: tuple[SettingDoc, ...] = (
    SettingDoc("REGISTRY_DATA_DIR", "./data", "Folder for the SQLite store and demo secrets."),
    SettingDoc(
        "REGISTRY_DATABASE_URL",
        "sqlite:///<data dir>/registry.db",
        "SQLAlchemy URL; postgresql://user@host/db for production.",
    ),
    SettingDoc(
        "REGISTRY_BASE_URL",
        "http://127.0.0.1:8000",
        "Public base URL: issuer ids, credential ids and QR links start with it. Unset, "
        "`registry serve` uses its listening address (on 0.0.0.0: this machine's LAN "
        "address, or it refuses to start with BASE_URL_REQUIRED).",
    ),
    SettingDoc("REGISTRY_HOST", "127.0.0.1", "Address `registry serve` listens on."),
    SettingDoc("REGISTRY_PORT", "8000", "Port `registry serve` listens on."),
    SettingDoc(
        "REGISTRY_KEY_PASSPHRASE",
        "(from <data dir>/secrets.env)",
        "Passphrase that encrypts the stored private keys (PKCS#8).",
    ),
    SettingDoc(
        "REGISTRY_KEY_PASSPHRASE_PREVIOUS",
        "(unset)",
        "The passphrase being replaced: keys it opens are rewritten under the current one "
        "by `registry init` (or `serve`); unset it afterwards.",
    ),
    SettingDoc(
        "REGISTRY_HASH_KEY",
        "(from <data dir>/secrets.env)",
        "Secret key of the keyed hash used to match ID numbers (hex, 32 bytes).",
    ),
    SettingDoc(
        "REGISTRY_ID_KEY",
        "(from <data dir>/secrets.env)",
        "AES-256 key that seals ID and passport numbers at rest (base64 of 32 bytes); "
        "to rotate, put the new key first and keep old ones after it, comma-separated.",
    ),
    SettingDoc("REGISTRY_MAX_BODY_BYTES", "65536", "Largest request body accepted (413 above)."),
    SettingDoc("REGISTRY_LOG_LEVEL", "INFO", "Log level of the service."),
    SettingDoc(
        "REGISTRY_REDIS_URL",
        "(unset: in-process memory)",
        "Redis URL (redis://host:6379/0) for rate limits shared by every worker and host; "
        "/readyz then also checks that Redis answers.",
    ),
    SettingDoc(
        "REGISTRY_WORKERS",
        "1",
        "Worker processes of `registry serve` (`--workers` overrides it); with more than one, "
        "set REGISTRY_REDIS_URL so that rate limits are shared.",
    ),
    SettingDoc(
        "REGISTRY_METRICS_TOKEN",
        "(unset: /metrics answers loopback clients only)",
        "Bearer token that /metrics (Prometheus) requires; without it only 127.0.0.1 and ::1 "
        "may read the metrics (403 METRICS_FORBIDDEN otherwise).",
    ),
    SettingDoc(
        "REGISTRY_LOG_FORMAT",
        "text",
        "`json` writes one JSON object a line (time, level, logger, message, worker pid) for "
        "log collectors; `text` is for people.",
    ),
    SettingDoc(
        "REGISTRY_PARTNER_RATE_LIMIT",
        "600",
        "Requests a minute each partner client (token) may make to the partner API.",
    ),
    SettingDoc(
        "REGISTRY_TRUSTED_PROXIES",
        "(unset: trust no proxy headers)",
        "Comma-separated addresses or networks (10.0.0.5, 10.0.0.0/24) of the reverse "
        "proxies whose X-Forwarded-For and X-Forwarded-Proto `registry serve` believes; "
        "from any other peer those headers are ignored.",
    ),
    SettingDoc(
        "REGISTRY_KEY_SEPARATION",
        "warn",
        "`require` refuses to start while secrets are read from <data dir>/secrets.env "
        "beside the SQLite database; `warn` only warns (not for --demo).",
    ),
    SettingDoc(
        "REGISTRY_CERTIFICATE_MASKED_ID",
        "(unset: no issuer)",
        "Comma-separated USCCs of the issuers whose printed certificates show the holder's ID "
        "number masked (**************1234), or `*` for every issuer; any other certificate "
        "shows no ID number at all.",
    ),
    SettingDoc(
        "REGISTRY_MATCH_FAILURE_LIMIT",
        "5",
        "Failed ID-number matches of one record, within the window, that pause its matching.",
    ),
    SettingDoc(
        "REGISTRY_MATCH_FAILURE_WINDOW",
        "3600",
        "Seconds over which one record's failed matches are counted.",
    ),
    SettingDoc(
        "REGISTRY_MATCH_LOCK_SECONDS",
        "3600",
        "Seconds a record's matching stays paused once the limit trips (429 MATCH_LOCKED).",
    ),
)


@dataclass(frozen=True)
class Settings:
    """The registry's configuration, immutable once read."""

    data_dir: Path
    database_url: str
    base_url: str
    host: str
    port: int
    key_passphrase: str | None = field(repr=False)
    hash_key: bytes | None = field(repr=False)
    max_body_bytes: int
    log_level: str
    id_key: str | None = field(default=None, repr=False)  # REGISTRY_ID_KEY, parsed later
    redis_url: str | None = field(default=None, repr=False)  # may hold a password
    partner_rate_limit: int = 600
    trusted_proxies: tuple[str, ...] = ()  # REGISTRY_TRUSTED_PROXIES, each a valid address
    match_failure_limit: int = 5
    match_failure_window: int = 3600  # seconds
    match_lock_seconds: int = 3600
    key_passphrase_previous: str | None = field(default=None, repr=False)
    key_separation: str = "warn"  # or "require"
    secrets_from_file: tuple[str, ...] = ()  # secrets read from <data dir>/secrets.env
    workers: int = 1
    metrics_token: str | None = field(default=None, repr=False)
    log_format: str = "text"  # or "json"
    certificate_masked_id: tuple[str, ...] = ()  # issuers' USCCs, or ("*",) for all

    def certificate_shows_masked_id(self, issuer_uscc: str) -> bool:
        """Whether the issuer's certificates print the holder's ID number, masked."""
        return "*" in self.certificate_masked_id or issuer_uscc in self.certificate_masked_id

    @property
    def secrets_path(self) -> Path:
        """Where ``init`` keeps generated secrets (mode 0600)."""
        return self.data_dir / SECRETS_FILE


def _read_secrets_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.partition("=")
        values[name.strip()] = value.strip()
    return values


def parse_trusted_proxies(value: str) -> tuple[str, ...]:
    """The proxy addresses and networks of ``REGISTRY_TRUSTED_PROXIES``, each checked.

    A mistyped entry would otherwise be trusted as a literal host name by the server, or
    silently match nothing: it is refused when the settings are read.
    """
    entries = tuple(item.strip() for item in value.split(",") if item.strip())
    for entry in entries:
        try:
            if "/" in entry:
                ipaddress.ip_network(entry)
            else:
                ipaddress.ip_address(entry)
        except ValueError as error:
            raise invalid(
                "TRUSTED_PROXY_INVALID",
                f"REGISTRY_TRUSTED_PROXIES 中的 {entry!r} 不是 IP 地址或网段",
                f"REGISTRY_TRUSTED_PROXIES: {entry!r} is not an IP address or network",
            ) from error
    return entries


def positive_setting(env: dict[str, str], name: str, default: int) -> int:
    """A whole number of at least 1 (counts, seconds, bytes), or ``SETTING_INVALID``."""
    text = env.get(name, "").strip() or str(default)
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise invalid(
            "SETTING_INVALID",
            f"{name} 必须是不小于 1 的整数",
            f"{name} must be a whole number of at least 1",
        )
    return value


LOG_FORMATS = ("text", "json")


def parse_log_format(value: str) -> str:
    """``REGISTRY_LOG_FORMAT``: ``text`` (the default) or ``json``; anything else is refused."""
    chosen = value.strip().lower() or "text"
    if chosen not in LOG_FORMATS:
        raise invalid(
            "SETTING_INVALID",
            "REGISTRY_LOG_FORMAT 必须是 text 或 json",
            "REGISTRY_LOG_FORMAT must be text or json",
        )
    return chosen


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from the environment, falling back to ``<data dir>/secrets.env``."""
    env = dict(os.environ if environ is None else environ)
    data_dir = Path(env.get("REGISTRY_DATA_DIR", "./data"))
    secrets = _read_secrets_file(data_dir / SECRETS_FILE)
    database_url = env.get("REGISTRY_DATABASE_URL") or f"sqlite:///{data_dir / 'registry.db'}"
    hash_key_hex = env.get("REGISTRY_HASH_KEY") or secrets.get("REGISTRY_HASH_KEY")
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        base_url=env.get("REGISTRY_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
        host=env.get("REGISTRY_HOST", "127.0.0.1"),
        port=int(env.get("REGISTRY_PORT", "8000")),
        key_passphrase=env.get("REGISTRY_KEY_PASSPHRASE") or secrets.get("REGISTRY_KEY_PASSPHRASE"),
        hash_key=bytes.fromhex(hash_key_hex) if hash_key_hex else None,
        max_body_bytes=positive_setting(env, "REGISTRY_MAX_BODY_BYTES", 65536),
        log_level=env.get("REGISTRY_LOG_LEVEL", "INFO").upper(),
        id_key=env.get("REGISTRY_ID_KEY") or secrets.get("REGISTRY_ID_KEY"),
        redis_url=env.get("REGISTRY_REDIS_URL") or None,
        partner_rate_limit=positive_setting(env, "REGISTRY_PARTNER_RATE_LIMIT", 600),
        trusted_proxies=parse_trusted_proxies(env.get("REGISTRY_TRUSTED_PROXIES", "")),
        match_failure_limit=positive_setting(env, "REGISTRY_MATCH_FAILURE_LIMIT", 5),
        match_failure_window=positive_setting(env, "REGISTRY_MATCH_FAILURE_WINDOW", 3600),
        match_lock_seconds=positive_setting(env, "REGISTRY_MATCH_LOCK_SECONDS", 3600),
        key_passphrase_previous=env.get("REGISTRY_KEY_PASSPHRASE_PREVIOUS") or None,
        key_separation=env.get("REGISTRY_KEY_SEPARATION", "warn").strip().lower(),
        secrets_from_file=tuple(
            name for name in _FILE_SECRETS if not env.get(name) and secrets.get(name)
        ),
        workers=positive_setting(env, "REGISTRY_WORKERS", 1),
        metrics_token=env.get("REGISTRY_METRICS_TOKEN") or None,
        log_format=parse_log_format(env.get("REGISTRY_LOG_FORMAT", "")),
        certificate_masked_id=tuple(
            part.strip().upper()
            for part in env.get("REGISTRY_CERTIFICATE_MASKED_ID", "").split(",")
            if part.strip()
        ),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()


__all__ = [
    "SETTING_DOCS",
    "Settings",
    "get_settings",
    "load_settings",
    "parse_trusted_proxies",
    "positive_setting",
]

"""Key separation (issue 13): the secrets that protect ID numbers and private keys must not
be kept where the database is kept.

With the database and the ID-number hash key, a masked ID number was recovered in
seconds; with the database and ``REGISTRY_ID_KEY`` every sealed number opens; with the
database and the passphrase every private key does. The embedded default keeps all three
in ``<data dir>/secrets.env`` beside ``<data dir>/registry.db``, so one copy of the data
folder (a backup, a stolen disk) holds both halves. Making the hash itself slow would not
help much (an ID number has about 10^8 possibilities once its last four are known) and
would cost issuance its 1,000 records a second; keeping the keys apart does help.

The rule: while any of those secrets is read from the secrets file in the same folder as
the SQLite database, ``REGISTRY_KEY_SEPARATION=require`` refuses to start, and the default
``warn`` prints a warning (except for the demo, whose data is fictional). PostgreSQL keeps
the database elsewhere, so the data folder's secrets file is apart from it already.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from registry.core.errors import ErrorKind, RegistryError
from registry.settings import Settings

SECRETS_BESIDE_DATABASE = "SECRETS_BESIDE_DATABASE"
KEY_SEPARATION_INVALID = "KEY_SEPARATION_INVALID"
MODES = ("warn", "require")


def _sqlite_folder(database_url: str) -> Path | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).resolve().parent


def secrets_beside_database(settings: Settings) -> RegistryError | None:
    """The problem, if secrets are read from a secrets file in the SQLite database's folder
    (names the settings, never their values)."""
    folder = _sqlite_folder(settings.database_url)
    if not settings.secrets_from_file or folder != settings.data_dir.resolve():
        return None
    names = ", ".join(settings.secrets_from_file)
    return RegistryError(
        SECRETS_BESIDE_DATABASE,
        f"密钥（{names}）与数据库放在同一目录 {settings.data_dir}：拿到该目录副本的人即可还原"
        "证件号码并解开私钥。请把这些密钥改由环境变量或其他位置提供，或改用 PostgreSQL",
        f"secrets ({names}) are read from {settings.data_dir}, the folder that also holds the "
        "database: a copy of that folder recovers ID numbers and opens private keys. Provide "
        "them through the environment (from a secret store) instead, or use PostgreSQL",
        ErrorKind.UNAVAILABLE,
    )


def check_key_separation(settings: Settings, *, demo: bool = False) -> RegistryError | None:
    """Raise the problem when ``REGISTRY_KEY_SEPARATION=require``; otherwise return it as a
    warning to print (``None`` for the demo, or when the secrets are kept apart)."""
    if settings.key_separation not in MODES:
        raise RegistryError(
            KEY_SEPARATION_INVALID,
            "REGISTRY_KEY_SEPARATION 只能是 warn 或 require",
            "REGISTRY_KEY_SEPARATION must be warn or require",
            ErrorKind.INVALID,
        )
    problem = secrets_beside_database(settings)
    if problem is not None and settings.key_separation == "require":
        raise problem
    return None if demo else problem


__all__ = [
    "KEY_SEPARATION_INVALID",
    "SECRETS_BESIDE_DATABASE",
    "check_key_separation",
    "secrets_beside_database",
]

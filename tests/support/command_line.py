"""The environment a ``registry`` command runs in under test: exactly the ``REGISTRY_*``
settings that name a test store, whatever the shell running the tests has set."""

from __future__ import annotations

import os
from collections.abc import Mapping

import pytest

from registry.settings import SETTING_DOCS, Settings


def store_variables(settings: Settings) -> dict[str, str]:
    """The ``REGISTRY_*`` variables naming the store, address and secrets of ``settings``."""
    assert settings.hash_key is not None
    return {
        "REGISTRY_DATA_DIR": str(settings.data_dir),
        "REGISTRY_DATABASE_URL": settings.database_url,
        "REGISTRY_BASE_URL": settings.base_url,
        "REGISTRY_KEY_PASSPHRASE": settings.key_passphrase or "",
        "REGISTRY_HASH_KEY": settings.hash_key.hex(),
        "REGISTRY_ID_KEY": settings.id_key or "",
    }


def use_only(
    monkeypatch: pytest.MonkeyPatch, variables: Mapping[str, str] | None = None, **short: str
) -> None:
    """Unset every documented ``REGISTRY_*`` setting, then set ``variables`` (full names)
    and ``short`` (``DATA_DIR="..."`` for ``REGISTRY_DATA_DIR``)."""
    for doc in SETTING_DOCS:
        monkeypatch.delenv(doc.name, raising=False)
    for name, value in {
        **(variables or {}),
        **{f"REGISTRY_{k}": v for k, v in short.items()},
    }.items():
        monkeypatch.setenv(name, value)


def command_environment(settings: Settings) -> dict[str, str | None]:
    """``store_variables`` with every other ``REGISTRY_*`` variable unset, for click's
    ``CliRunner.invoke(env=...)``."""
    env: dict[str, str | None] = {doc.name: None for doc in SETTING_DOCS}
    env.update({name: None for name in os.environ if name.startswith("REGISTRY_")})
    env.update(store_variables(settings))
    return env

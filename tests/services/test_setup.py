"""Preparing a registry: secrets with tight permissions, idempotent demo."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime

import pytest

from registry.core.errors import RegistryError
from registry.core.people.sealing import Keyring
from registry.demo.data import DEMO_ISSUERS, DEMO_RECORDS
from registry.demo.seed import seed_demo, write_demo_tokens
from registry.services.runtime.context import Registry
from registry.services.runtime.secrets import ensure_secrets
from registry.settings import load_settings


def test_secrets_file_is_private_and_stable(tmp_path, monkeypatch):
    previous = os.umask(0o022)  # the usual umask, whatever the runner's own
    try:
        _check_secrets_file(tmp_path, monkeypatch)
    finally:
        os.umask(previous)


def _check_secrets_file(tmp_path, monkeypatch):
    for name in ("REGISTRY_KEY_PASSPHRASE", "REGISTRY_HASH_KEY", "REGISTRY_ID_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings({"REGISTRY_DATA_DIR": str(tmp_path / "data")})
    prepared = ensure_secrets(settings)
    path = tmp_path / "data" / "secrets.env"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert prepared.key_passphrase and prepared.hash_key and len(prepared.hash_key) == 32
    again = ensure_secrets(load_settings({"REGISTRY_DATA_DIR": str(tmp_path / "data")}))
    assert (again.key_passphrase, again.hash_key) == (prepared.key_passphrase, prepared.hash_key)
    assert prepared.id_key and again.id_key == prepared.id_key
    assert len(Keyring.from_setting(prepared.id_key).current.secret) == 32


def test_an_older_secrets_file_gets_an_id_key(tmp_path, monkeypatch):
    for name in ("REGISTRY_KEY_PASSPHRASE", "REGISTRY_HASH_KEY", "REGISTRY_ID_KEY"):
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "data"
    data.mkdir()
    (data / "secrets.env").write_text(
        "REGISTRY_KEY_PASSPHRASE=kept-from-an-older-store\nREGISTRY_HASH_KEY=" + "ab" * 32,
        encoding="utf-8",
    )
    prepared = ensure_secrets(load_settings({"REGISTRY_DATA_DIR": str(data)}))
    assert (
        prepared.key_passphrase == "kept-from-an-older-store"
        and prepared.hash_key == bytes.fromhex("ab" * 32)
    )
    assert prepared.id_key and Keyring.from_setting(prepared.id_key)
    again = ensure_secrets(load_settings({"REGISTRY_DATA_DIR": str(data)}))
    assert again.id_key == prepared.id_key
    assert (data / "secrets.env").read_text(encoding="utf-8").count("REGISTRY_ID_KEY=") == 1


def test_a_weak_passphrase_from_the_environment_is_refused(tmp_path, monkeypatch):
    for name in ("REGISTRY_HASH_KEY", "REGISTRY_ID_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REGISTRY_KEY_PASSPHRASE", "hunter2")
    settings = load_settings({"REGISTRY_DATA_DIR": str(tmp_path / "data")})
    with pytest.raises(RegistryError, match="KEY_PASSPHRASE_WEAK"):
        ensure_secrets(settings)


def test_demo_seed_is_idempotent(registry: Registry, settings):
    first = seed_demo(registry, now=datetime.now(UTC))
    assert len(first.issuers) == len(DEMO_ISSUERS)
    assert len(first.records) == len(DEMO_RECORDS)
    assert {"admin", "partner:310118", "partner:320509", "partner:330421"} <= set(first.tokens)
    assert seed_demo(registry, now=datetime.now(UTC)).already_seeded
    path = write_demo_tokens(settings, first)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

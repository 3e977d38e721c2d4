"""Preparing a registry: secrets with tight permissions, idempotent demo."""

from __future__ import annotations

import stat
from datetime import UTC, datetime

from registry.services.context import Registry
from registry.services.demo_data import DEMO_ISSUERS, DEMO_RECORDS
from registry.services.setup import ensure_secrets, seed_demo, write_demo_tokens
from registry.settings import load_settings


def test_secrets_file_is_private_and_stable(tmp_path, monkeypatch):
    for name in ("REGISTRY_KEY_PASSPHRASE", "REGISTRY_HASH_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings({"REGISTRY_DATA_DIR": str(tmp_path / "data")})
    prepared = ensure_secrets(settings)
    path = tmp_path / "data" / "secrets.env"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert prepared.key_passphrase and prepared.hash_key and len(prepared.hash_key) == 32
    again = ensure_secrets(load_settings({"REGISTRY_DATA_DIR": str(tmp_path / "data")}))
    assert (again.key_passphrase, again.hash_key) == (prepared.key_passphrase, prepared.hash_key)


def test_demo_seed_is_idempotent(registry: Registry, settings):
    first = seed_demo(registry, now=datetime.now(UTC))
    assert len(first.issuers) == len(DEMO_ISSUERS)
    assert len(first.records) == len(DEMO_RECORDS)
    assert {"admin", "partner:310118", "partner:320509", "partner:330421"} <= set(first.tokens)
    assert seed_demo(registry, now=datetime.now(UTC)).already_seeded
    path = write_demo_tokens(settings, first)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

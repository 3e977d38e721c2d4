"""Settings from the environment and the generated secrets file."""

from __future__ import annotations

from pathlib import Path

from registry.settings import SETTING_DOCS, load_settings


def test_defaults(tmp_path):
    settings = load_settings({"REGISTRY_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'registry.db'}"
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.max_body_bytes == 65536
    assert settings.key_passphrase is None


def test_secrets_file_fills_the_gaps_and_environment_wins(tmp_path):
    (tmp_path / "secrets.env").write_text(
        "# c\nREGISTRY_KEY_PASSPHRASE=from-file\nREGISTRY_HASH_KEY=" + "ab" * 32 + "\n"
    )
    settings = load_settings(
        {"REGISTRY_DATA_DIR": str(tmp_path), "REGISTRY_BASE_URL": "https://x.example/"}
    )
    assert settings.key_passphrase == "from-file"
    assert settings.hash_key == bytes.fromhex("ab" * 32)
    assert settings.base_url == "https://x.example"
    env = load_settings({"REGISTRY_DATA_DIR": str(tmp_path), "REGISTRY_KEY_PASSPHRASE": "from-env"})
    assert env.key_passphrase == "from-env"


def test_every_setting_is_documented():
    assert {doc.name for doc in SETTING_DOCS} == {
        "REGISTRY_DATA_DIR",
        "REGISTRY_DATABASE_URL",
        "REGISTRY_BASE_URL",
        "REGISTRY_HOST",
        "REGISTRY_PORT",
        "REGISTRY_KEY_PASSPHRASE",
        "REGISTRY_HASH_KEY",
        "REGISTRY_ID_KEY",
        "REGISTRY_MAX_BODY_BYTES",
        "REGISTRY_LOG_LEVEL",
        "REGISTRY_REDIS_URL",
        "REGISTRY_PARTNER_RATE_LIMIT",
    }


def test_every_setting_is_in_the_settings_reference():
    page = Path(__file__).resolve().parents[1] / "docs" / "reference" / "settings.md"
    text = page.read_text(encoding="utf-8")
    missing = [doc.name for doc in SETTING_DOCS if f"`{doc.name}`" not in text]
    assert missing == []


def test_id_key_comes_from_the_environment_or_the_file_and_is_not_shown(tmp_path):
    (tmp_path / "secrets.env").write_text("REGISTRY_ID_KEY=from-file\n")
    settings = load_settings({"REGISTRY_DATA_DIR": str(tmp_path)})
    assert settings.id_key == "from-file"
    assert "from-file" not in repr(settings)
    env = load_settings({"REGISTRY_DATA_DIR": str(tmp_path), "REGISTRY_ID_KEY": "from-env"})
    assert env.id_key == "from-env"

"""Settings from the environment and the generated secrets file."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.core.errors import RegistryError
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
        "REGISTRY_TRUSTED_PROXIES",
        "REGISTRY_MATCH_FAILURE_LIMIT",
        "REGISTRY_MATCH_FAILURE_WINDOW",
        "REGISTRY_MATCH_LOCK_SECONDS",
        "REGISTRY_KEY_PASSPHRASE_PREVIOUS",
        "REGISTRY_KEY_SEPARATION",
        "REGISTRY_WORKERS",
        "REGISTRY_METRICS_TOKEN",
        "REGISTRY_LOG_FORMAT",
        "REGISTRY_CERTIFICATE_MASKED_ID",
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


def test_no_proxy_is_trusted_unless_configured(tmp_path):
    assert load_settings({"REGISTRY_DATA_DIR": str(tmp_path)}).trusted_proxies == ()
    configured = load_settings(
        {"REGISTRY_DATA_DIR": str(tmp_path), "REGISTRY_TRUSTED_PROXIES": " 10.0.0.5, fd00::/8 ,"}
    )
    assert configured.trusted_proxies == ("10.0.0.5", "fd00::/8")


def test_a_trusted_proxy_that_is_not_an_address_is_refused(tmp_path):
    for wrong in ("proxy.internal", "10.0.0.0/33", "*"):
        with pytest.raises(RegistryError) as refused:
            load_settings({"REGISTRY_DATA_DIR": str(tmp_path), "REGISTRY_TRUSTED_PROXIES": wrong})
        assert refused.value.code == "TRUSTED_PROXY_INVALID"
        assert refused.value.message_zh and refused.value.message_en


def test_the_match_limit_is_read_from_the_environment(tmp_path):
    defaults = load_settings({"REGISTRY_DATA_DIR": str(tmp_path)})
    assert (
        defaults.match_failure_limit,
        defaults.match_failure_window,
        defaults.match_lock_seconds,
    ) == (5, 3600, 3600)
    tuned = load_settings(
        {
            "REGISTRY_DATA_DIR": str(tmp_path),
            "REGISTRY_MATCH_FAILURE_LIMIT": "3",
            "REGISTRY_MATCH_FAILURE_WINDOW": "600",
            "REGISTRY_MATCH_LOCK_SECONDS": "86400",
        }
    )
    assert (tuned.match_failure_limit, tuned.match_failure_window, tuned.match_lock_seconds) == (
        3,
        600,
        86400,
    )


def test_secrets_read_from_the_file_are_told_apart_from_the_environment(tmp_path):
    (tmp_path / "secrets.env").write_text(
        "REGISTRY_KEY_PASSPHRASE=from-file\nREGISTRY_HASH_KEY=" + "ab" * 32 + "\n"
    )
    from_file = load_settings({"REGISTRY_DATA_DIR": str(tmp_path)})
    assert from_file.secrets_from_file == ("REGISTRY_KEY_PASSPHRASE", "REGISTRY_HASH_KEY")
    mixed = load_settings({"REGISTRY_DATA_DIR": str(tmp_path), "REGISTRY_HASH_KEY": "cd" * 32})
    assert mixed.secrets_from_file == ("REGISTRY_KEY_PASSPHRASE",)
    assert mixed.key_separation == "warn"


@pytest.mark.parametrize(
    "name",
    [
        "REGISTRY_MATCH_FAILURE_LIMIT",
        "REGISTRY_MATCH_FAILURE_WINDOW",
        "REGISTRY_MATCH_LOCK_SECONDS",
        "REGISTRY_PARTNER_RATE_LIMIT",
        "REGISTRY_MAX_BODY_BYTES",
    ],
)
@pytest.mark.parametrize("value", ["0", "-5", "ten", "1.5"])
def test_counts_and_durations_below_one_are_refused_when_read(tmp_path, name, value):
    """A zero limit would trip on the first failed match (a 500 then): refused up front."""
    with pytest.raises(RegistryError) as refused:
        load_settings({"REGISTRY_DATA_DIR": str(tmp_path), name: value})
    assert refused.value.code == "SETTING_INVALID"
    assert name in refused.value.message_en and name in refused.value.message_zh
    assert load_settings({"REGISTRY_DATA_DIR": str(tmp_path), name: "7"}) is not None


def test_secrets_never_show_in_the_settings_repr(tmp_path):
    settings = load_settings(
        {
            "REGISTRY_DATA_DIR": str(tmp_path),
            "REGISTRY_KEY_PASSPHRASE": "a passphrase nobody should read",
            "REGISTRY_HASH_KEY": "ab" * 32,
        }
    )
    shown = repr(settings)
    assert "nobody should read" not in shown and "ab" * 32 not in shown
    assert "\\xab" not in shown


def test_workers_and_log_format_are_read_and_checked():
    base = {"REGISTRY_DATA_DIR": "/nonexistent"}
    assert load_settings(base).workers == 1
    assert load_settings({**base, "REGISTRY_WORKERS": "3"}).workers == 3
    assert load_settings({**base, "REGISTRY_LOG_FORMAT": " JSON "}).log_format == "json"
    for name, value in (("REGISTRY_WORKERS", "0"), ("REGISTRY_LOG_FORMAT", "xml")):
        with pytest.raises(RegistryError) as refused:
            load_settings({**base, name: value})
        assert refused.value.code == "SETTING_INVALID"
        assert name in refused.value.message_en

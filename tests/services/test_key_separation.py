"""Issue 13 (5c): secrets read from the secrets file beside the SQLite database are refused
under REGISTRY_KEY_SEPARATION=require and warned about otherwise (not for the demo)."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from registry.core.errors import RegistryError
from registry.http.app import create_app
from registry.services.runtime.key_separation import check_key_separation, secrets_beside_database
from registry.services.runtime.secrets import ensure_secrets
from registry.settings import SETTING_DOCS, load_settings
from tests.support.fixtures import TEST_ID_KEY

SECRETS = ("REGISTRY_KEY_PASSPHRASE", "REGISTRY_HASH_KEY", "REGISTRY_ID_KEY")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A data folder whose secrets `registry init` generated into secrets.env."""
    for doc in SETTING_DOCS:
        monkeypatch.delenv(doc.name, raising=False)
    data = tmp_path / "data"
    ensure_secrets(load_settings({"REGISTRY_DATA_DIR": str(data)}))
    return data


def test_the_default_layout_keeps_every_secret_beside_the_database(data_dir):
    settings = load_settings({"REGISTRY_DATA_DIR": str(data_dir)})
    assert settings.secrets_from_file == SECRETS
    problem = secrets_beside_database(settings)
    assert problem is not None and problem.code == "SECRETS_BESIDE_DATABASE"
    assert all(name in problem.message_en for name in SECRETS)
    assert "数据库" in problem.message_zh
    secret_values = (data_dir / "secrets.env").read_text(encoding="utf-8")
    for line in secret_values.splitlines()[1:]:
        value = line.partition("=")[2]
        assert value not in problem.message_zh and value not in problem.message_en


def test_require_refuses_warn_warns_and_the_demo_is_quiet(data_dir):
    warn = load_settings({"REGISTRY_DATA_DIR": str(data_dir)})
    assert warn.key_separation == "warn"
    warning = check_key_separation(warn)
    assert warning is not None and warning.code == "SECRETS_BESIDE_DATABASE"
    assert check_key_separation(warn, demo=True) is None
    strict = load_settings(
        {"REGISTRY_DATA_DIR": str(data_dir), "REGISTRY_KEY_SEPARATION": "require"}
    )
    for demo in (False, True):
        with pytest.raises(RegistryError, match="SECRETS_BESIDE_DATABASE"):
            check_key_separation(strict, demo=demo)


@pytest.mark.parametrize(
    "kept_apart",
    [
        {  # every secret from the environment (a secret store), none from the file
            "REGISTRY_KEY_PASSPHRASE": "from a secret store",
            "REGISTRY_HASH_KEY": "5a" * 32,
            "REGISTRY_ID_KEY": TEST_ID_KEY,
        },
        {"REGISTRY_DATABASE_URL": "postgresql://registry@db.internal/registry"},
        {"REGISTRY_DATABASE_URL": "sqlite:///{elsewhere}/registry.db"},
    ],
    ids=["environment", "postgresql", "sqlite-elsewhere"],
)
def test_secrets_kept_apart_from_the_database_pass_even_when_required(
    data_dir, tmp_path, kept_apart
):
    environ = {"REGISTRY_DATA_DIR": str(data_dir), "REGISTRY_KEY_SEPARATION": "require"}
    for name, value in kept_apart.items():
        environ[name] = value.format(elsewhere=tmp_path / "db")
    settings = load_settings(environ)
    assert check_key_separation(settings) is None


def test_only_known_modes_are_accepted(data_dir):
    settings = load_settings({"REGISTRY_DATA_DIR": str(data_dir), "REGISTRY_KEY_SEPARATION": "off"})
    with pytest.raises(RegistryError, match="KEY_SEPARATION_INVALID"):
        check_key_separation(settings)


def test_a_serving_app_refuses_to_start_beside_its_secrets_when_required(data_dir):
    strict = load_settings(
        {"REGISTRY_DATA_DIR": str(data_dir), "REGISTRY_KEY_SEPARATION": "require"}
    )
    with pytest.raises(ExceptionGroup) as refused, TestClient(app=create_app(strict)):
        pass  # the lifespan refuses before anything is served
    assert refused.group_contains(RegistryError, match="SECRETS_BESIDE_DATABASE")

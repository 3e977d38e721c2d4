"""Issue 13 (8b) on the command line: `registry init` refuses a weak key passphrase, and
rewrites keys stored before scrypt (or under the previous passphrase)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives import serialization

from registry.cli import serve  # noqa: F401  (importing registers `init`)
from registry.cli.main import cli
from registry.core.formats import keyfile
from registry.services.runtime.keystore import KeyStore
from registry.storage.repositories import SigningKeyRepository
from tests.support.api_checks import has_chinese
from tests.support.command_line import use_only
from tests.support.fixtures import BASE_URL

WEAK = "letmein2026"


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def test_init_refuses_a_weak_passphrase_in_both_languages(monkeypatch, tmp_path):
    data = tmp_path / "data"
    use_only(monkeypatch, DATA_DIR=str(data), BASE_URL=BASE_URL, KEY_PASSPHRASE=WEAK)
    result = run("init")
    assert result.exit_code == 2
    assert "KEY_PASSPHRASE_WEAK" in result.stderr and has_chinese(result.stderr)
    assert "at least 16 characters" in result.stderr
    assert WEAK not in result.output
    assert not (data / "registry.db").exists()  # nothing prepared with it


def test_a_weak_passphrase_in_the_secrets_file_is_refused_too(monkeypatch, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "secrets.env").write_text(f"REGISTRY_KEY_PASSPHRASE={WEAK}\n", encoding="utf-8")
    use_only(monkeypatch, DATA_DIR=str(data), BASE_URL=BASE_URL)
    result = run("init")
    assert result.exit_code == 2 and "KEY_PASSPHRASE_WEAK" in result.stderr


@pytest.fixture
def legacy_store(monkeypatch, registry, demo, settings):
    """The demo store with every issuer key written the pre-scrypt way (PBKDF2)."""
    passphrase = (settings.key_passphrase or "").encode()
    with registry.transaction() as session:
        for row in SigningKeyRepository(session).all():
            key = registry.keystore.decrypt(row.kid, row.encrypted_private_key)
            row.encrypted_private_key = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(passphrase),
            ).decode("ascii")
            session.add(row)
    assert settings.hash_key is not None
    use_only(
        monkeypatch,
        DATA_DIR=str(settings.data_dir),
        DATABASE_URL=settings.database_url,
        BASE_URL=settings.base_url,
        KEY_PASSPHRASE=settings.key_passphrase or "",
        HASH_KEY=settings.hash_key.hex(),
        ID_KEY=settings.id_key or "",
    )
    return registry


def test_init_rewrites_keys_stored_before_scrypt(legacy_store, settings):
    result = run("init")
    assert result.exit_code == 0, result.stderr
    assert "private key(s) rewritten under scrypt" in result.stderr
    fresh = KeyStore((settings.key_passphrase or "").encode())
    with legacy_store.reading() as session:
        rows = SigningKeyRepository(session).all()
    assert rows and all(keyfile.scrypt_parameters(r.encrypted_private_key) for r in rows)
    for row in rows:
        fresh.private_key(row)  # still the same key, under the same passphrase
    again = run("init")
    assert again.exit_code == 0 and "rewritten" not in again.stderr


def test_init_warns_when_secrets_sit_beside_the_database(monkeypatch, tmp_path):
    use_only(monkeypatch, DATA_DIR=str(tmp_path / "data"), BASE_URL=BASE_URL)
    result = run("init")
    assert result.exit_code == 0, result.stderr
    assert "warning SECRETS_BESIDE_DATABASE" in result.stderr and "数据库" in result.stderr
    demo = run("init", "--demo")  # fictional data: the demo stays quiet
    assert demo.exit_code == 0 and "SECRETS_BESIDE_DATABASE" not in demo.stderr


def test_init_warns_while_elicence_type_codes_are_placeholders(monkeypatch, tmp_path):
    use_only(monkeypatch, DATA_DIR=str(tmp_path / "data"), BASE_URL=BASE_URL)
    result = run("init")
    assert result.exit_code == 0, result.stderr
    assert "warning ELICENCE_TYPE_CODE_PLACEHOLDER: " in result.stderr
    assert "类型代码仍是占位值" in result.stderr and "still a placeholder" in result.stderr
    assert "ProfessionalTitleCredential" in result.stderr
    demo = run("init", "--demo")  # fictional data: the demo stays quiet
    assert demo.exit_code == 0 and "ELICENCE_TYPE_CODE_PLACEHOLDER" not in demo.stderr


def test_init_refuses_secrets_beside_the_database_when_separation_is_required(
    monkeypatch, tmp_path
):
    data = tmp_path / "data"
    use_only(monkeypatch, DATA_DIR=str(data), BASE_URL=BASE_URL, KEY_SEPARATION="require")
    result = run("init")
    assert result.exit_code == 1
    assert "error SECRETS_BESIDE_DATABASE" in result.stderr
    assert not (data / "registry.db").exists()

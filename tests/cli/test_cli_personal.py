"""``registry holder-link``, ``registry id-key reseal`` and ``tokens create
--statutory-basis`` on the local store."""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner

from registry.cli.main import cli
from registry.core.people.sealing import Keyring, key_id_of, new_key_text
from registry.services.access.tokens import authenticate
from registry.services.records.stored import load_record
from registry.services.runtime.context import Registry
from registry.storage.personal import PersonalNumberRepository
from tests.support.command_line import store_variables, use_only
from tests.support.earlier_elicence import give_earlier_form
from tests.support.fixtures import BASE_URL


@pytest.fixture
def env(monkeypatch, settings) -> dict[str, str]:
    values = store_variables(settings)
    use_only(monkeypatch, values)
    return values


def test_holder_link_by_elicence_id_and_revoke(env, registry, demo):
    record = load_record(registry, demo.records[0])
    made = CliRunner().invoke(cli, ["holder-link", str(record.electronic_licence_id)])
    assert made.exit_code == 0, made.output
    assert made.stdout.strip().startswith(f"{BASE_URL}/holder/rgh_")
    revoked = CliRunner().invoke(cli, ["holder-link", demo.records[0], "--revoke"])
    assert revoked.exit_code == 0 and "revoked 1 link(s)" in revoked.stdout
    unknown = CliRunner().invoke(cli, ["holder-link", "1.2.156.3005.2.01.X"])
    assert unknown.exit_code == 2 and "ELICENCE_ID_INVALID" in unknown.stderr


def test_holder_link_and_suspend_by_the_earlier_form_elicence_id(env, registry, demo):
    earlier = give_earlier_form(registry, demo.records[0])  # a record from before 0011
    made = CliRunner().invoke(cli, ["holder-link", earlier])
    assert made.exit_code == 0, made.output
    assert made.stdout.strip().startswith(f"{BASE_URL}/holder/rgh_")
    suspended = CliRunner().invoke(
        cli, ["suspend", earlier.lower(), "--reason", "under_investigation"]
    )
    assert suspended.exit_code == 0, suspended.output
    assert suspended.stdout.splitlines()[0] == f"{demo.records[0]}: active -> suspended"


def test_reseal_after_rotation(env, monkeypatch, registry, demo):
    old = env["REGISTRY_ID_KEY"]
    rotated = f"{new_key_text()},{old}"
    monkeypatch.setenv("REGISTRY_ID_KEY", rotated)
    with registry.reading() as session:
        stored = len(PersonalNumberRepository(session).all())
    result = CliRunner().invoke(cli, ["id-key", "reseal"])
    new_id = Keyring.from_setting(rotated).current.key_id
    assert result.exit_code == 0, result.output
    assert f"re-sealed {stored} number(s) under key {new_id}" in result.stdout
    with registry.reading() as session:
        rows = PersonalNumberRepository(session).all()
    assert {key_id_of(row.sealed) for row in rows} == {new_id}
    fresh = Registry(replace(registry.settings, id_key=rotated), registry.engine, registry.keystore)
    assert fresh.id_keyring.current.key_id == new_id


def test_reseal_without_a_key_says_so(env, monkeypatch, registry):
    monkeypatch.setenv("REGISTRY_ID_KEY", "")
    result = CliRunner().invoke(cli, ["id-key", "reseal"])
    assert result.exit_code == 1
    assert "REGISTRY_ID_KEY" in result.stderr and "Traceback" not in result.output


def test_partner_token_with_a_statutory_basis(env, registry, demo):
    created = CliRunner().invoke(
        cli,
        [
            "tokens",
            "create",
            "--role",
            "partner",
            "--region",
            "310118",
            "--statutory-basis",
            "依法",
        ],
    )
    assert created.exit_code == 0, created.output
    principal = authenticate(registry, "Bearer " + created.stdout.strip().splitlines()[-1])
    assert principal.statutory_basis == "依法"
    refused = CliRunner().invoke(
        cli, ["tokens", "create", "--role", "admin", "--statutory-basis", "依法"]
    )
    assert refused.exit_code == 2 and "STATUTORY_BASIS_INVALID" in refused.stderr

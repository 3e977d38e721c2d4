"""``registry tokens list`` and ``revoke``: secrets never shown, revoked tokens refused."""

from __future__ import annotations

import pytest

from registry.cli.main import cli
from registry.core.errors import RegistryError
from registry.services.access.tokens import authenticate, list_tokens


def test_list_shows_no_secret_and_revoke_stops_the_token(runner, registry, demo):
    secret = demo.tokens["partner:330421"]
    listed = runner.invoke(cli, ["tokens", "list"])
    assert listed.exit_code == 0
    assert secret not in listed.output
    line = next(row for row in listed.output.splitlines() if "\t330421\t" in row)
    token_id = line.split("\t")[0]
    assert line.split("\t")[4] == "active"
    revoked = runner.invoke(cli, ["tokens", "revoke", token_id])
    assert revoked.exit_code == 0, revoked.output
    with pytest.raises(RegistryError) as caught:
        authenticate(registry, f"Bearer {secret}")
    assert caught.value.code == "TOKEN_UNKNOWN"
    again = runner.invoke(cli, ["tokens", "list"])
    assert (
        next(row for row in again.output.splitlines() if row.startswith(f"{token_id}\t")).split(
            "\t"
        )[4]
        == "revoked"
    )


def test_revoking_an_unknown_token_is_bad_input(runner, registry, demo):
    result = runner.invoke(cli, ["tokens", "revoke", "99999"])
    assert result.exit_code == 2
    assert "TOKEN_NOT_FOUND" in result.output


def test_a_name_over_128_characters_is_refused_not_cut(runner, registry, demo):
    before = len(list_tokens(registry))
    refused = runner.invoke(cli, ["tokens", "create", "--role", "admin", "--name", "名" * 129])
    assert refused.exit_code == 2
    assert "FIELD_TOO_LONG" in refused.stderr and "/name" in refused.stderr
    assert "128" in refused.stderr and "名" * 8 not in refused.stderr  # the limit, not the value
    assert "Traceback" not in refused.output
    assert len(list_tokens(registry)) == before
    kept = runner.invoke(cli, ["tokens", "create", "--role", "admin", "--name", "名" * 128])
    assert kept.exit_code == 0, kept.output
    assert [t.name for t in list_tokens(registry)][-1] == "名" * 128

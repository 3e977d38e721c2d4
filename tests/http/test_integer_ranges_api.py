"""Integers that reach the store (issue 16): every id, log position and tree size is kept in
a 32-bit ``INTEGER`` column on PostgreSQL, so the API declares ``0 .. 2^31-1`` (ids from 1)
and refuses anything past it with a 400 before any query; a lookup past the column's range
finds no row; never a 500 on either database."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from registry.cli.main import cli
from registry.core.errors import RegistryError
from registry.core.formats.ranges import (
    SQL_INTEGER_MAX,
    fits_integer_column,
    require_integer_column,
)
from registry.storage.authority import ScopeRepository
from registry.storage.repositories import IssuerRepository, TokenRepository
from registry.storage.transparency import LogRepository
from tests.support.api_checks import assert_problem
from tests.support.fixtures import bearer

PAST_32_BITS = [2**31, 2**31 + 2, 2**63, 2**64]


@pytest.mark.parametrize("start", PAST_32_BITS)
def test_log_positions_past_the_column_are_refused(client, start):
    response = client.get(f"/log/entries?start={start}&end={start + 2}")
    assert_problem(response, 400, "REQUEST_INVALID")
    for query in (f"consistency?first={start}", f"inclusion?index={start}"):
        assert_problem(client.get(f"/log/proof/{query}"), 400, "REQUEST_INVALID")


def test_log_positions_at_the_column_edge_answer_an_empty_page(client):
    response = client.get(f"/log/entries?start={SQL_INTEGER_MAX - 2}&end={SQL_INTEGER_MAX}")
    assert response.status_code == 200, response.text
    assert response.json()["entries"] == []


@pytest.mark.parametrize("scope_id", [*PAST_32_BITS, 0, -1])
def test_scope_ids_past_the_column_are_refused(client, demo, scope_id):
    response = client.post(
        f"/api/v1/admin/scopes/{scope_id}/end", json={}, headers=bearer(demo.tokens["admin"])
    )
    assert_problem(response, 400, "REQUEST_INVALID")


def test_the_largest_scope_id_is_unknown(client, demo):
    response = client.post(
        f"/api/v1/admin/scopes/{SQL_INTEGER_MAX}/end", json={}, headers=bearer(demo.tokens["admin"])
    )
    assert_problem(response, 404, "SCOPE_UNKNOWN")


def test_the_openapi_declares_the_real_ranges(client):
    paths = client.get("/schema/openapi.json").json()["paths"]
    declared = {
        (path, parameter["name"]): parameter["schema"]
        for path in ("/log/entries", "/log/proof/inclusion", "/api/v1/admin/scopes/{scope_id}/end")
        for operation in paths[path].values()
        for parameter in operation.get("parameters", [])
        if parameter["name"] in ("start", "end", "size", "index", "scope_id")
    }
    assert len(declared) == 6
    for schema in declared.values():
        schemas = [schema, *schema.get("oneOf", [])]
        assert any(s.get("maximum") == SQL_INTEGER_MAX for s in schemas), schema


@pytest.mark.parametrize("row_id", [2**31, 2**63, 2**64, -1])
def test_lookups_past_the_column_find_no_row(registry, demo, row_id):
    with registry.reading() as session:
        assert ScopeRepository(session).get(row_id) is None
        assert TokenRepository(session).get(row_id) is None
        assert IssuerRepository(session).by_id(row_id) is None
        if row_id > 0:
            assert LogRepository(session).entries(row_id, row_id + 2) == []


def test_the_shared_range_rule():
    assert fits_integer_column(0) and fits_integer_column(SQL_INTEGER_MAX)
    assert not fits_integer_column(SQL_INTEGER_MAX + 1) and not fits_integer_column(-1)
    assert not fits_integer_column(0, low=1)
    with pytest.raises(RegistryError) as refused:
        require_integer_column(2**31, "start")
    assert refused.value.code == "INTEGER_OUT_OF_RANGE"
    assert refused.value.problems[0].pointer == "/start"


@pytest.mark.parametrize("command", [["scopes", "end"], ["tokens", "revoke"]])
def test_cli_ids_past_the_column_are_usage_errors(command):
    result = CliRunner().invoke(cli, [*command, str(2**31)])
    assert result.exit_code == 2
    assert "2147483647" in result.output

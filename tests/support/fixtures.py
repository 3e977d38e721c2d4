"""Fixtures shared by unit tests and BDD features: a registry on SQLite, and on PostgreSQL
when ``REGISTRY_TEST_POSTGRES_URL`` names a server (skipped cleanly otherwise)."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from typing import Any

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy.engine import make_url

from registry.demo.seed import DemoSummary, seed_demo
from registry.http.app import create_app
from registry.services.runtime.context import Registry
from registry.settings import Settings, load_settings
from tests.support.command_line import store_variables, use_only
from tests.support.keyset import test_keyset
from tests.support.privacy import assert_no_id_numbers_in_output, guard_answers, id_numbers_in

BASE_URL = "https://talent.yrd-demo.example.cn"  # 34 characters, near a real deployment's
POSTGRES_ENV = "REGISTRY_TEST_POSTGRES_URL"
TEST_ID_KEY = "dGVzdC1vbmx5IGtleSBzZWFsaW5nIElEIG51bWJlcnM="  # base64 of 32 test-only bytes


@pytest.fixture(autouse=True)
def _no_id_numbers_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Privacy guard over the whole suite: no test may leave an ID number in a log line."""
    caplog.set_level(logging.INFO)
    yield
    # caplog.text holds only the current phase (teardown); setup and call are kept apart.
    lines = [caplog.text]
    for phase in ("setup", "call"):
        lines += [caplog.handler.format(record) for record in caplog.get_records(phase)]
    leaked = id_numbers_in("\n".join(lines))
    assert not leaked, f"{len(leaked)} ID or passport number(s) reached the logs"


@pytest.fixture(autouse=True)
def _cli_output_whatever_the_logging(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep what a command prints in ``CliRunner``'s result however logging is set up.

    With live logging (``-o log_cli=true``), pytest suspends and resumes output capture
    around every log line, which puts back *its* ``sys.stdout``/``sys.stderr`` over the
    ones ``CliRunner`` swapped in: a command's output after its first log line was lost.
    The live handler writes to the terminal directly anyway, so it need not suspend.
    """
    plugin = request.config.pluginmanager.get_plugin("logging-plugin")
    handler = getattr(plugin, "log_cli_handler", None)
    if handler is not None and getattr(handler, "capture_manager", None) is not None:
        monkeypatch.setattr(handler, "capture_manager", None)


@pytest.fixture(autouse=True)
def _no_id_numbers_in_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Privacy guard over the whole suite: every answer of every Litestar test client (the
    ``client`` fixture's and any a test builds) and all a command run in process with
    click's ``CliRunner`` prints are searched for ID and passport numbers."""
    from click.testing import Result

    client_init = TestClient.__init__
    invoke = CliRunner.invoke

    def guarded_init(self: TestClient, *args: Any, **kwargs: Any) -> None:  # type: ignore[type-arg]
        client_init(self, *args, **kwargs)
        guard_answers(self)

    def guarded_invoke(self: CliRunner, *args: Any, **kwargs: Any) -> Result:
        result = invoke(self, *args, **kwargs)
        assert_no_id_numbers_in_output(result.output)
        return result

    monkeypatch.setattr(TestClient, "__init__", guarded_init)
    monkeypatch.setattr(CliRunner, "invoke", guarded_invoke)


DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"  # README, CONTRIBUTING
POSTGRES_SKIP_PREFIX = "PostgreSQL tests skipped: "


@cache
def _default_postgres_answers() -> str | None:
    """Why the default server cannot be used, probed once a run (short timeout), or
    ``None`` when it answers."""
    import psycopg

    try:
        with psycopg.connect(DEFAULT_POSTGRES, connect_timeout=2):
            return None
    except psycopg.Error as error:
        return f"no server at the default {DEFAULT_POSTGRES} ({type(error).__name__})"


def postgres_server() -> tuple[str | None, str]:
    """The server PostgreSQL tests use, or ``None`` with the reason they are skipped:
    ``REGISTRY_TEST_POSTGRES_URL`` when set, none when it is set to empty, else the
    documented default address when a server answers there."""
    configured = os.environ.get(POSTGRES_ENV)
    if configured is not None:
        if configured.strip():
            return configured, POSTGRES_ENV
        return None, f"{POSTGRES_ENV} is set to empty"
    problem = _default_postgres_answers()
    if problem is not None:
        return None, f"{POSTGRES_ENV} is not set and there is {problem}"
    return DEFAULT_POSTGRES, "the default address"


def _postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    import psycopg

    server, source = postgres_server()
    if server is None:
        pytest.skip(POSTGRES_SKIP_PREFIX + source)
    admin_url = make_url(server).set(drivername="postgresql")
    name = f"registry_test_{secrets.token_hex(6)}"
    conninfo = admin_url.render_as_string(hide_password=False)
    try:
        admin = psycopg.connect(conninfo, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(
            f"{POSTGRES_SKIP_PREFIX}the server of {source} is not reachable "
            f"({type(error).__name__})"
        )
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """At the end of a run, say how many PostgreSQL tests were skipped and why (the
    README's test command would otherwise skip them silently)."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else ""
        _, found, why = str(reason).partition(POSTGRES_SKIP_PREFIX)
        if found:
            reasons[why] = reasons.get(why, 0) + 1
    for why, count in sorted(reasons.items()):
        terminalreporter.write_line(
            f"PostgreSQL: {count} test(s) skipped because {why}; set {POSTGRES_ENV} to "
            "a server you can use to run them",
            yellow=True,
        )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The store under test: SQLite always, PostgreSQL when configured."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('store') / 'registry.db'}"
    else:
        yield from _postgres_database()


def make_settings(data_dir: str, database_url: str) -> Settings:
    """Settings for a test registry: fixed test-only secrets."""
    return load_settings(
        {
            "REGISTRY_DATA_DIR": data_dir,
            "REGISTRY_DATABASE_URL": database_url,
            "REGISTRY_BASE_URL": BASE_URL,
            "REGISTRY_KEY_PASSPHRASE": "test-only passphrase",
            "REGISTRY_HASH_KEY": "5a" * 32,
            "REGISTRY_ID_KEY": TEST_ID_KEY,
        }
    )


@pytest.fixture
def settings(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Settings:
    """Settings pointing at a fresh store."""
    return make_settings(str(tmp_path_factory.mktemp("data")), database_url)


@pytest.fixture
def registry(settings: Settings) -> Iterator[Registry]:
    """An empty, migrated registry."""
    opened = Registry.open(settings)
    yield opened
    opened.close()


@pytest.fixture
def demo(registry: Registry) -> DemoSummary:
    """The demo zone loaded with the test-only keyset; holds the demo tokens."""
    return seed_demo(registry, now=datetime.now(UTC), keyset=test_keyset())


@pytest.fixture
def client(registry: Registry, demo: DemoSummary, settings: Settings) -> Iterator[TestClient]:  # type: ignore[type-arg]
    """An HTTP client on the app over the demo registry."""
    with TestClient(app=create_app(settings, registry)) as test_client:
        yield test_client  # answers are checked by ``_no_id_numbers_in_answers``


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> CliRunner:
    """A click ``CliRunner`` whose environment names the ``registry`` fixture's store and
    no other ``REGISTRY_*`` setting."""
    use_only(monkeypatch, store_variables(settings))
    return CliRunner()


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}

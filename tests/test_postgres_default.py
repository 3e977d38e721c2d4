"""The README's test command runs the PostgreSQL tests when a server answers at the
documented default address, and says at the end how many it skipped and why when not."""

from __future__ import annotations

import psycopg
import pytest

from tests.support import fixtures
from tests.support.fixtures import DEFAULT_POSTGRES, POSTGRES_ENV, postgres_server


@pytest.fixture
def probe_fresh():
    fixtures._default_postgres_answers.cache_clear()
    yield
    fixtures._default_postgres_answers.cache_clear()


def test_a_named_server_is_used_and_an_empty_setting_disables(monkeypatch):
    monkeypatch.setenv(POSTGRES_ENV, "postgresql://registry@db.example/test")
    assert postgres_server() == ("postgresql://registry@db.example/test", POSTGRES_ENV)
    monkeypatch.setenv(POSTGRES_ENV, "")
    server, why = postgres_server()
    assert server is None
    assert "set to empty" in why


def test_unset_means_the_default_address_when_it_answers(monkeypatch, probe_fresh):
    monkeypatch.delenv(POSTGRES_ENV, raising=False)
    asked: list[tuple[str, int]] = []

    class Answering:
        def __enter__(self):
            return self

        def __exit__(self, *_):
            return False

    def connect(url, connect_timeout):
        asked.append((url, connect_timeout))
        return Answering()

    monkeypatch.setattr(psycopg, "connect", connect)
    assert postgres_server() == (DEFAULT_POSTGRES, "the default address")
    assert postgres_server()[0] == DEFAULT_POSTGRES
    assert asked == [(DEFAULT_POSTGRES, 2)]  # probed once, with a short timeout


def test_unset_and_nothing_at_the_default_address_says_so(monkeypatch, probe_fresh):
    monkeypatch.delenv(POSTGRES_ENV, raising=False)

    def refuse(url, connect_timeout):
        raise psycopg.OperationalError("connection refused")

    monkeypatch.setattr(psycopg, "connect", refuse)
    server, why = postgres_server()
    assert server is None
    assert DEFAULT_POSTGRES in why
    assert "OperationalError" in why


def test_the_run_ends_saying_how_many_postgresql_tests_were_skipped_and_why(pytester):
    pytester.makeconftest('pytest_plugins = ["tests.support.fixtures"]')
    pytester.makepyfile(
        """
        import pytest

        from tests.support.fixtures import POSTGRES_SKIP_PREFIX

        @pytest.mark.parametrize("n", range(3))
        def test_on_postgres(n):
            pytest.skip(POSTGRES_SKIP_PREFIX + "the reason given")

        def test_other():
            pytest.skip("unrelated")
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(skipped=4)
    result.stdout.fnmatch_lines(["PostgreSQL: 3 test(s) skipped because the reason given;*"])

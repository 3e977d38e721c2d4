"""The suite-wide privacy guard itself must be able to fail."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from registry.demo.data import DEMO_PEOPLE
from tests.support.privacy import assert_no_id_numbers_in_answer, id_numbers_in

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def test_finds_valid_numbers_only():
    number = DEMO_PEOPLE[0].id_number
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert id_numbers_in(f"x {number} y") == [number]
    assert id_numbers_in(f"x {wrong} y") == []
    assert id_numbers_in(f"RC1:AB{number}CD") == []


def test_response_hook_fails_on_a_leak():
    number = DEMO_PEOPLE[1].id_number
    request = httpx.Request("GET", "http://testserver/x")
    leaky = httpx.Response(200, json={"idNumber": number}, request=request)
    with pytest.raises(AssertionError):
        assert_no_id_numbers_in_answer(leaky)
    assert_no_id_numbers_in_answer(
        httpx.Response(200, json={"idNumber": number[:4] + "*" * 10 + number[-4:]}, request=request)
    )


def _fictional(prefix: str) -> str:
    """A made-up number of another kind (sequence 99x, as the demo people's)."""
    from registry.core.people.identifiers import resident_id_check_char

    first17 = f"{prefix}19900101993"
    return first17 + resident_id_check_char(first17)


@pytest.mark.parametrize("prefix", ["810000", "820000", "830000", "931826"])
def test_finds_permits_and_permanent_residence_numbers(prefix: str) -> None:
    number = _fictional(prefix)
    assert id_numbers_in(f"holder {number}.") == [number]
    assert id_numbers_in(f"holder {number[:4]}{'*' * 10}{number[-4:]}") == []


def test_finds_chinese_and_remembered_passport_numbers():
    from tests.support.privacy import remember_passport

    assert id_numbers_in("passport E99000017 and G99000017, EB9900001") == [
        "E99000017",
        "G99000017",
        "EB9900001",
    ]
    assert id_numbers_in("masked E9*****17, longer XE990000171") == []
    foreign = remember_passport("ZX9900017")
    assert id_numbers_in(f'{{"passportNumber": "{foreign.lower()}"}}') == [foreign.lower()]
    assert id_numbers_in("ZX9900017A") == []  # part of a longer token


def test_log_guard_fails_on_a_passport_number(caplog):
    import logging

    from tests.support.fixtures import _no_id_numbers_in_logs

    guard = _no_id_numbers_in_logs.__wrapped__(caplog)  # type: ignore[attr-defined]
    next(guard)
    logging.getLogger("registry.test").warning("checked passport E99000017")
    with pytest.raises(AssertionError, match="passport"):
        next(guard)
    caplog.clear()


def test_response_hook_fails_on_a_passport_number():
    request = httpx.Request("GET", "http://testserver/x")
    leaky = httpx.Response(200, text="passport G99000017", request=request)
    with pytest.raises(AssertionError, match="passport"):
        assert_no_id_numbers_in_answer(leaky)
    html = httpx.Response(
        200, text="<p>E9*****17</p>", headers={"content-type": "text/html"}, request=request
    )
    assert_no_id_numbers_in_answer(html)


def test_log_guard_sees_every_phase_of_a_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The suite-wide guard fails a test that logs a passport number in any of its phases
    (setup, call, teardown) and passes one that logs only a masked number."""
    monkeypatch.setenv("PYTHONPATH", str(PROJECT_ROOT))
    pytester.makeconftest('pytest_plugins = ["tests.support.fixtures"]')
    pytester.makepyfile(
        """
        import logging
        import pytest

        def leak():
            logging.getLogger("registry.test").warning("holder passport E99000017")

        @pytest.fixture
        def leaks_in_setup():
            leak()

        @pytest.fixture
        def leaks_in_teardown():
            yield
            leak()

        def test_setup(leaks_in_setup):
            pass

        def test_call():
            leak()

        def test_teardown(leaks_in_teardown):
            pass

        def test_masked():
            logging.getLogger("registry.test").warning("holder passport E9*****17")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=4, errors=3)
    result.stdout.fnmatch_lines(
        [
            "ERROR *::test_setup - *",
            "ERROR *::test_call - *",
            "ERROR *::test_teardown - *",
        ],
        consecutive=False,
    )
    assert "test_masked - " not in result.stdout.str()


def test_command_output_guard_fails_on_a_number() -> None:
    import click
    from click.testing import CliRunner

    @click.command()
    @click.argument("text")
    def echo(text: str) -> None:
        click.echo(text, err=True)

    assert CliRunner().invoke(echo, ["E9*****17"]).exit_code == 0
    with pytest.raises(AssertionError, match="command printed"):
        CliRunner().invoke(echo, [DEMO_PEOPLE[0].id_number])


def test_every_test_client_is_guarded() -> None:
    from litestar import Litestar, get
    from litestar.testing import TestClient

    number = DEMO_PEOPLE[0].id_number

    @get("/leak", sync_to_thread=False)
    def leak() -> dict[str, str]:
        return {"idNumber": number}

    with TestClient(app=Litestar([leak])) as client, pytest.raises(AssertionError):
        client.get("/leak")

"""Console sessions: the cookie holds no token, is bound to its token, and expires idle
after 30 minutes and absolutely after 12 hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from registry.core.errors import RegistryError
from registry.services.access.console_sessions import (
    check_csrf,
    csrf_token_of,
    resume,
    sign_in,
)

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def admin(demo):
    return demo.tokens["admin"]


def code_of(call) -> str:
    with pytest.raises(RegistryError) as raised:
        call()
    return raised.value.code


def test_the_cookie_holds_no_token_and_resumes(registry, admin):
    session, cookie = sign_in(registry, admin, now=START)
    assert admin not in cookie and admin[4:] not in cookie
    assert session.principal.stored_hash not in cookie
    resumed, _ = resume(registry, cookie, now=START + timedelta(minutes=29))
    assert resumed.principal.token_id == session.principal.token_id
    assert resumed.principal.role == "admin"


def test_idle_for_30_minutes_expires(registry, admin):
    _, cookie = sign_in(registry, admin, now=START)
    late = START + timedelta(minutes=30, seconds=1)
    assert code_of(lambda: resume(registry, cookie, now=late)) == "CONSOLE_SESSION_EXPIRED"


def test_use_keeps_it_alive_but_not_past_12_hours(registry, admin):
    _, cookie = sign_in(registry, admin, now=START)
    moment = START
    while moment < START + timedelta(hours=11, minutes=50):
        moment += timedelta(minutes=20)
        _, cookie = resume(registry, cookie, now=moment)
    past = START + timedelta(hours=12, minutes=1)
    assert code_of(lambda: resume(registry, cookie, now=past)) == "CONSOLE_SESSION_EXPIRED"


def test_a_tampered_or_foreign_cookie_is_refused(registry, admin, demo):
    _, cookie = sign_in(registry, admin, now=START)
    version, payload, mac = cookie.split(".")
    forged = f"{version}.{payload}.{mac[:-2]}AA"
    assert code_of(lambda: resume(registry, forged, now=START)) == "CONSOLE_SIGNED_OUT"
    assert code_of(lambda: resume(registry, None, now=START)) == "CONSOLE_SIGNED_OUT"
    assert code_of(lambda: resume(registry, "x" * 600, now=START)) == "CONSOLE_SIGNED_OUT"
    assert code_of(lambda: resume(registry, "c1.!!.x", now=START)) == "CONSOLE_SIGNED_OUT"
    other, other_cookie = sign_in(registry, demo.tokens[next(iter(demo.tokens))], now=START)
    # a MAC is bound to its token: one token's MAC on another's payload is refused
    other_payload = other_cookie.split(".")[1]
    swapped = f"{version}.{other_payload}.{mac}"
    if other.principal.token_id != resume(registry, cookie, now=START)[0].principal.token_id:
        assert code_of(lambda: resume(registry, swapped, now=START)) == "CONSOLE_SIGNED_OUT"


def test_partner_tokens_cannot_sign_in(registry, demo):
    token = demo.tokens["partner:330421"]
    assert code_of(lambda: sign_in(registry, token, now=START)) == "ROLE_FORBIDDEN"


def test_the_form_token_is_the_sessions_own(registry, admin):
    session, _ = sign_in(registry, admin, now=START)
    check_csrf(registry, session.nonce, csrf_token_of(registry, session.nonce))
    assert code_of(lambda: check_csrf(registry, session.nonce, None)) == "CONSOLE_CSRF_INVALID"
    assert (
        code_of(lambda: check_csrf(registry, session.nonce, csrf_token_of(registry, "other")))
        == "CONSOLE_CSRF_INVALID"
    )

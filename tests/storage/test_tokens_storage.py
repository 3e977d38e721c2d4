"""The token's "still in force?" read: on SQLite on the access log's own connection, which
still sees a revocation committed elsewhere at once."""

from __future__ import annotations

from registry.services.access.tokens import Principal, list_tokens, revoke_token
from registry.services.people.access_log import VERIFY, Caller, log_check
from registry.storage import personal
from registry.storage.tokens import token_in_force
from tests.support.clock import now


def test_a_revocation_is_seen_at_once_after_a_logged_check(registry, demo):
    token_id = next(t.token_id for t in list_tokens(registry) if t.region == "330421")
    partner = Principal(token_id, "partner", "嘉善伙伴系统", "330421", "test")
    logged = log_check(
        registry,
        Caller.of(partner),
        demo.records[0],
        action=VERIFY,
        purpose="人才引进",
        outcome="valid",
        region="330421",
        now=now(),
    )
    assert logged
    if registry.engine.dialect.name == "sqlite":  # the read goes to the log's connection
        assert personal.read_where_logged(registry.engine, "SELECT 1", ()) == [(1,)]
    assert token_in_force(registry.engine, token_id)
    revoke_token(registry, token_id, now=now())  # committed on another connection
    assert not token_in_force(registry.engine, token_id)


def test_without_a_held_connection_the_read_goes_elsewhere(registry, demo):
    registry.engine.dispose()  # closes the access log's held connections too
    assert personal.read_where_logged(registry.engine, "SELECT 1", ()) is None
    token_id = next(t.token_id for t in list_tokens(registry) if t.region == "330421")
    assert token_in_force(registry.engine, token_id)

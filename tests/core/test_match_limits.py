"""The per-record limit on failed ID-number matches: the pure rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from registry.core.errors import ErrorKind
from registry.core.people.match_limits import (
    MATCH_LOCKED,
    MatchLimitPolicy,
    MatchLimitState,
    after_failure,
    match_locked,
)

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
POLICY = MatchLimitPolicy(failures=3, window=timedelta(minutes=10), lock=timedelta(hours=1))


def failures(*minutes: float, state: MatchLimitState | None = None) -> MatchLimitState:
    for minute in minutes:
        state = after_failure(state, T0 + timedelta(minutes=minute), POLICY)
    assert state is not None
    return state


def test_the_limit_trips_on_the_last_allowed_failure_within_the_window():
    two = failures(0, 1)
    assert two.failures == 2 and not two.locked_at(T0 + timedelta(minutes=1))
    three = failures(0, 1, 9)
    assert three.locked_until == T0 + timedelta(minutes=9, hours=1)
    assert three.last_tripped_at == T0 + timedelta(minutes=9)
    assert three.times_tripped == 1
    assert three.locked_at(T0 + timedelta(minutes=68))
    assert not three.locked_at(T0 + timedelta(minutes=69))


def test_failures_in_an_ended_window_no_longer_count():
    state = failures(0, 1, 10)  # the window of the first two ended at minute 10
    assert state.failures == 1 and state.locked_until is None
    assert state.window_started_at == T0 + timedelta(minutes=10)


def test_after_a_lock_counting_starts_again_and_the_history_is_kept():
    locked = failures(0, 1, 2)
    after = failures(70, 71, state=locked)
    assert after.failures == 2 and not after.locked_at(T0 + timedelta(minutes=71))
    again = failures(72, state=after)
    assert again.times_tripped == 2 and again.locked_at(T0 + timedelta(minutes=72))


def test_the_locked_error_is_a_bilingual_429_with_a_retry_time():
    state = failures(0, 1, 2)
    error = match_locked(state, T0 + timedelta(minutes=32, seconds=30))
    assert error.code == MATCH_LOCKED and error.kind is ErrorKind.LIMITED
    assert error.retry_after == 30 * 60 - 30
    assert "核对" in error.message_zh and "matching is paused" in error.message_en


@pytest.mark.parametrize(
    "policy",
    [
        {"failures": 0},
        {"window": timedelta(0)},
        {"lock": timedelta(seconds=-1)},
    ],
)
def test_a_policy_that_could_never_or_always_lock_is_refused(policy):
    with pytest.raises(ValueError, match="a match limit needs"):
        MatchLimitPolicy(**policy)

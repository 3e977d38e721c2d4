"""The per-record limit on failed ID-number matches (issue 13).

The public match endpoint is limited per address, which does nothing against guessing one
record's number from many addresses. So each record also counts its own failed matches:
``failures`` failed matches within ``window`` lock matching of that record for ``lock``.
A successful match does not count. While a record is locked every match of it is refused
(``MATCH_LOCKED``, 429) before any number is compared, so a locked record answers nothing
about the number typed. The holder's page shows when the limit tripped and until when.

The rule is pure: the store keeps one ``MatchLimitState`` per record and asks this module
what a failure makes of it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from registry.core.errors import ErrorKind, RegistryError

MATCH_LOCKED = "MATCH_LOCKED"


@dataclass(frozen=True)
class MatchLimitPolicy:
    """How many failed matches of one record, within how long, lock it, and for how long."""

    failures: int = 5
    window: timedelta = timedelta(hours=1)
    lock: timedelta = timedelta(hours=1)

    def __post_init__(self) -> None:
        if self.failures < 1 or self.window <= timedelta(0) or self.lock <= timedelta(0):
            raise ValueError("a match limit needs at least one failure, a window and a lock")


@dataclass(frozen=True)
class MatchLimitState:
    """One record's failed matches: the current window and its count, the lock (if any),
    and how often and when the limit last tripped (kept for the holder)."""

    window_started_at: datetime
    failures: int
    locked_until: datetime | None = None
    last_tripped_at: datetime | None = None
    times_tripped: int = 0

    def locked_at(self, now: datetime) -> bool:
        """Whether matching of the record is locked at ``now``."""
        return self.locked_until is not None and now < self.locked_until


def after_failure(
    state: MatchLimitState | None, now: datetime, policy: MatchLimitPolicy
) -> MatchLimitState:
    """The state after one more failed match at ``now``: a new window when the last one
    has ended (or a lock has passed since it began), and a lock when the count reaches
    the policy's limit."""
    if state is None:
        state = MatchLimitState(window_started_at=now, failures=0)
    window_over = now >= state.window_started_at + policy.window
    lock_passed = state.locked_until is not None and now >= state.locked_until
    if window_over or lock_passed:
        state = replace(state, window_started_at=now, failures=0, locked_until=None)
    state = replace(state, failures=state.failures + 1)
    if state.failures >= policy.failures:
        state = replace(
            state,
            locked_until=now + policy.lock,
            last_tripped_at=now,
            times_tripped=state.times_tripped + 1,
        )
    return state


@dataclass
class MatchLockedError(RegistryError):
    """Matching of one record is locked; ``retry_after`` is in whole seconds."""

    retry_after: int = 0


def match_locked(state: MatchLimitState, now: datetime) -> MatchLockedError:
    """The error a locked record answers every match with (never a match or no match)."""
    assert state.locked_until is not None
    seconds = max(1, int((state.locked_until - now).total_seconds() + 0.999))
    return MatchLockedError(
        MATCH_LOCKED,
        "该记录的证件号码核对失败次数过多，已暂停核对，请稍后再试；持证人可在其访问页面看到此情况",
        "too many failed ID-number matches of this record: matching is paused, try again "
        "later; the holder can see this on their page",
        ErrorKind.LIMITED,
        retry_after=seconds,
    )


__all__ = [
    "MATCH_LOCKED",
    "MatchLimitPolicy",
    "MatchLimitState",
    "MatchLockedError",
    "after_failure",
    "match_locked",
]

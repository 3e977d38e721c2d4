"""The per-record limit on failed ID-number matches, over the store (``core.match_limits``
holds the rule): checked before a number is compared, counted after a failed match, and
shown to the holder."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from registry.core.formats.timefmt import format_instant
from registry.core.people.match_limits import (
    MatchLimitPolicy,
    MatchLimitState,
    after_failure,
    match_locked,
)
from registry.services.runtime.context import Registry
from registry.settings import Settings
from registry.storage.match_limits import MatchLimitRepository


def match_limit_policy(settings: Settings) -> MatchLimitPolicy:
    """The limit the settings ask for (``REGISTRY_MATCH_*``)."""
    return MatchLimitPolicy(
        failures=settings.match_failure_limit,
        window=timedelta(seconds=settings.match_failure_window),
        lock=timedelta(seconds=settings.match_lock_seconds),
    )


def refuse_if_locked(session: Session, record_id: str, now: datetime) -> None:
    """Raise ``MATCH_LOCKED`` (429) when matching of the record is paused at ``now``."""
    state = MatchLimitRepository(session).state(record_id)
    if state is not None and state.locked_at(now):
        raise match_locked(state, now)


def count_failure(registry: Registry, record_id: str, now: datetime) -> MatchLimitState:
    """Count one failed match of the record (one transaction, the record's row locked, so
    failures on every worker add up); returns the new state."""
    policy = match_limit_policy(registry.settings)
    with registry.transaction() as session:
        limits = MatchLimitRepository(session)
        current = limits.locked_state(record_id, MatchLimitState(now, 0))  # 0: a new row
        state = after_failure(current, now, policy)
        limits.save(record_id, state)
    return state


def match_limit_view(session: Session, record_id: str, now: datetime) -> dict[str, Any] | None:
    """What the holder's page says about the limit: ``None`` if it never tripped, else
    whether matching is paused now, until when, when it last tripped and how often."""
    state = MatchLimitRepository(session).state(record_id)
    if state is None or state.last_tripped_at is None:
        return None
    return {
        "locked": state.locked_at(now),
        "lockedUntil": format_instant(state.locked_until) if state.locked_until else None,
        "lastTrippedAt": format_instant(state.last_tripped_at),
        "timesTripped": state.times_tripped,
    }


__all__ = ["count_failure", "match_limit_policy", "match_limit_view", "refuse_if_locked"]

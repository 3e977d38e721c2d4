"""What every administration endpoint shares: the time of a change, who made it, and
refreshing this worker's directory after it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request

from registry.http.security import principal_of
from registry.services.transparency import history as authority_history
from registry.services.verification.verifier import Verifier


def utc_now() -> datetime:
    """The time of a change."""
    return datetime.now(UTC)


def admin_actor(request: Request[Any, Any, Any]) -> str:
    """How the history names the admin token that made a change."""
    return authority_history.actor_of(principal_of(request))


def refresh_directory(request: Request[Any, Any, Any]) -> None:
    """Make the change visible to this worker's verifier at once."""
    verifier: Verifier = request.app.state.verifier
    verifier.directory.refresh()

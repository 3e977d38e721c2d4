"""Drawing a new record's status-list index in one query: random candidates, as
``core.formats.statuslist.candidate_indices`` draws them, checked against the issuer's
records together with the list's current length."""

from __future__ import annotations

from sqlmodel import Session

from registry.core.formats.statuslist import candidate_indices, list_entries
from registry.storage.lifecycle import taken_indices
from registry.storage.status_indices import highest_and_taken

_HIGHEST_SEEN: dict[int, int | None] = {}  # issuer row id: its highest index last read


def draw_status_index(session: Session, issuer_id: int) -> int:
    """A random, never used status-list index for an issuer's new record.

    The candidates depend only on the list's length, which grows rarely (doubling): they
    are drawn for the length last seen, and the one query that checks them also reads the
    highest index in use; when the list has grown since, they are drawn again for its new
    length. The unique constraint on ``(issuer_id, status_list_index)`` still settles a
    race between two writers, and issuance draws again when it fires.
    """
    guess = _HIGHEST_SEEN.get(issuer_id)
    candidates = candidate_indices(guess)
    highest, taken = highest_and_taken(session, issuer_id, candidates)
    _HIGHEST_SEEN[issuer_id] = highest
    if list_entries(highest) != list_entries(guess):
        candidates = candidate_indices(highest)
        taken = taken_indices(session, issuer_id, candidates)
    return next((index for index in candidates if index not in taken), candidates[-1])


__all__ = ["draw_status_index"]

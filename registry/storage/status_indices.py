"""The status-index read of an issuance: an issuer's highest index in use and which of a
few candidate indices it already uses, in one query (the issuance hot path)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from registry.storage.raw import placeholders, raw_rows

_HIGHEST_AND_TAKEN = (  # only placeholders are filled in
    "SELECT 0, max(status_list_index) FROM credential WHERE issuer_id = ? UNION ALL"
    " SELECT 1, status_list_index FROM credential"
    " WHERE issuer_id = ? AND status_list_index IN ({marks})"
)


def highest_and_taken(
    session: Session, issuer_id: int, candidates: Sequence[int]
) -> tuple[int | None, set[int]]:
    """An issuer's highest status-list index in use (``None`` before its first record) and
    which of ``candidates`` it uses: two probes of the ``(issuer_id, status_list_index)``
    index in one statement."""
    sql = _HIGHEST_AND_TAKEN.format(marks=placeholders(len(candidates)))
    highest: int | None = None
    taken: set[int] = set()
    for part, index in raw_rows(session, sql, [issuer_id, issuer_id, *candidates]):
        if index is None:
            continue
        if part == 0:
            highest = int(index)
        else:
            taken.add(int(index))
    return highest, taken


__all__ = ["highest_and_taken"]

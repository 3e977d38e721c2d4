"""Status transitions, reasons and how a status reads in a verification answer."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from registry.core.checks import Outcome, check
from registry.core.codes import code_list
from registry.core.errors import ErrorKind, RegistryError
from registry.core.lifecycle.status import (
    ACTIONS,
    FINAL_STATES,
    STATES,
    next_status,
    purpose_bits,
    status_reason,
)
from registry.core.trust.model import RecordStatus
from registry.core.verification.record import status_check, status_of

ALLOWED = {
    ("active", "suspend"): "suspended",
    ("active", "revoke"): "revoked",
    ("active", "cancel"): "cancelled",
    ("active", "amend"): "superseded",
    ("suspended", "reinstate"): "active",
    ("suspended", "revoke"): "revoked",
    ("suspended", "cancel"): "cancelled",
}
REFUSED = {
    "revoked": "RECORD_ALREADY_REVOKED",
    "cancelled": "RECORD_ALREADY_CANCELLED",
    "superseded": "RECORD_ALREADY_SUPERSEDED",
}


@pytest.mark.parametrize(("current", "action"), list(itertools.product(STATES, ACTIONS)))
def test_every_transition_is_allowed_or_a_conflict(current, action):
    if (current, action) in ALLOWED:
        assert next_status(current, action) == ALLOWED[(current, action)]
        return
    with pytest.raises(RegistryError) as caught:
        next_status(current, action)
    assert caught.value.kind == ErrorKind.CONFLICT
    expected = (
        REFUSED.get(current)
        or {
            ("active", "reinstate"): "RECORD_NOT_SUSPENDED",
            ("suspended", "suspend"): "RECORD_ALREADY_SUSPENDED",
            ("suspended", "amend"): "RECORD_SUSPENDED",
        }[(current, action)]
    )
    assert caught.value.code == expected


def test_final_states_set_the_revocation_bit_and_suspension_its_own():
    assert purpose_bits("active") == {"revocation": False, "suspension": False}
    assert purpose_bits("suspended") == {"revocation": False, "suspension": True}
    for state in FINAL_STATES:
        assert purpose_bits(state) == {"revocation": True, "suspension": False}


def test_every_action_has_reasons_and_every_reason_an_action():
    reasons = code_list("status-reasons")
    for entry in reasons:
        assert set(entry.extra["actions"].split()) <= set(ACTIONS)
    for action in ACTIONS:
        assert any(action in entry.extra["actions"].split() for entry in reasons)


@pytest.mark.parametrize(
    ("action", "code", "note", "error"),
    [
        ("revoke", None, None, "STATUS_REASON_REQUIRED"),
        ("revoke", "nonsense", None, "STATUS_REASON_UNKNOWN"),
        ("reinstate", "obtained_by_fraud", None, "STATUS_REASON_NOT_APPLICABLE"),
        ("cancel", "other", "   ", "STATUS_NOTE_REQUIRED"),
        ("cancel", "other", "长" * 501, "STATUS_NOTE_TOO_LONG"),
    ],
)
def test_bad_reasons(action, code, note, error):
    with pytest.raises(RegistryError) as caught:
        status_reason(action, code, note)
    assert caught.value.code == error
    assert caught.value.problems[0].pointer in ("/reason", "/note")


def test_notes_are_trimmed_and_numbers_in_them_masked():
    number = "123456789012345678"  # shaped like an ID number (not a valid one)
    reason = status_reason("suspend", "other", f"  核查   {number}  ")
    assert reason.note is not None
    assert number not in reason.note
    assert reason.note == "核查 " + "*" * 14 + "5678"  # only the last four are shown


def _status(state, **changes):
    return status_check(RecordStatus(state, **changes))


def test_active_passes_and_lapses_when_the_validity_period_ended():
    assert _status("active").outcome == Outcome.PASSED
    expired = check("validity", Outcome.FAILED, "EXPIRED")
    lapsed = status_check(RecordStatus("active"), expired)
    assert (lapsed.outcome, lapsed.code, status_of(lapsed)) == (
        Outcome.FAILED,
        "STATUS_LAPSED",
        "lapsed",
    )
    revoked = status_check(RecordStatus("revoked", "issued_in_error"), expired)
    assert revoked.code == "STATUS_REVOKED"  # revocation wins over lapse


def test_reasons_come_with_their_labels_and_superseded_with_its_successor():
    revoked = _status("revoked", reason="obtained_by_fraud")
    assert revoked.outcome == Outcome.FAILED
    assert revoked.detail["reason"] == {
        "code": "obtained_by_fraud",
        "zh": "以弄虚作假、贿赂等不正当手段取得",
        "en": "obtained by fraud, forgery or bribery",
    }
    superseded = _status("superseded", superseded_by="r2", superseded_by_url="https://x/r2")
    assert superseded.code == "STATUS_SUPERSEDED"
    assert superseded.detail["supersededBy"] == {"id": "r2", "url": "https://x/r2"}


def test_list_answers_say_where_they_came_from():
    listed_at = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    revoked = _status("revoked", by_list=True, listed_at=listed_at)
    assert revoked.code == "STATUS_LIST_REVOKED"
    assert revoked.detail["source"] == "status-list"
    assert revoked.detail["listedAt"] == "2026-11-22T09:00:00Z"
    assert _status("suspended", by_list=True, listed_at=listed_at).code == "STATUS_SUSPENDED"
    unknown = status_check(None)
    assert (unknown.outcome, unknown.code, status_of(unknown)) == (
        Outcome.UNKNOWN,
        "STATUS_UNKNOWN",
        None,
    )

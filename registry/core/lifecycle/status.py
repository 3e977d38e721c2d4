"""A record's lifecycle: which status changes are allowed, and why they were made.

E-licence vocabulary (DOMAIN.md): 有效 active, 暂扣 suspended, 撤销 revoked, 注销 cancelled;
an amended record is superseded by its new version. Revoked, cancelled and superseded are
final: nothing changes them again. Lapsed (失效) is never stored: it follows from the
validity period. Every refused change names its own stable code (HTTP 409).
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.core.codes import Code, code_list
from registry.core.errors import FieldProblem, RegistryError, conflict, invalid, require_texts
from registry.core.people.privacy import redact_identifiers

ACTIVE = "active"
SUSPENDED = "suspended"
REVOKED = "revoked"
CANCELLED = "cancelled"
SUPERSEDED = "superseded"
STATES = (ACTIVE, SUSPENDED, REVOKED, CANCELLED, SUPERSEDED)
FINAL_STATES = frozenset({REVOKED, CANCELLED, SUPERSEDED})

# Bitstring Status List purposes: revocation is final (the W3C spec calls it irreversible),
# so revoked, cancelled and superseded records all set the revocation bit; suspension is
# the reversible one.
REVOCATION_STATES = FINAL_STATES
SUSPENSION_STATES = frozenset({SUSPENDED})
PURPOSE_STATES = {"revocation": REVOCATION_STATES, "suspension": SUSPENSION_STATES}

# action -> (the status it leads to, the transparency-log event it writes)
ACTIONS: dict[str, tuple[str, str]] = {
    "suspend": (SUSPENDED, "suspended"),
    "reinstate": (ACTIVE, "reinstated"),
    "revoke": (REVOKED, "revoked"),
    "cancel": (CANCELLED, "cancelled"),
    "amend": (SUPERSEDED, "amended"),
}
NOTE_MAX = 500

_FINAL_CODES = {
    REVOKED: (
        "RECORD_ALREADY_REVOKED",
        "记录已撤销，不能再变更",
        "the record is revoked: no change",
    ),
    CANCELLED: (
        "RECORD_ALREADY_CANCELLED",
        "记录已注销，不能再变更",
        "the record is cancelled: no change",
    ),
    SUPERSEDED: (
        "RECORD_ALREADY_SUPERSEDED",
        "记录已被新版本取代，请对现行版本操作",
        "the record is superseded: act on its current version",
    ),
}


def next_status(current: str, action: str) -> str:
    """The status ``action`` leads to from ``current``, or a 409 naming why not."""
    if action not in ACTIONS:
        raise invalid(
            "STATUS_ACTION_UNKNOWN", "未知的状态操作", f"unknown status action {action!r}"
        )
    if current in _FINAL_CODES:
        code, zh, en = _FINAL_CODES[current]
        raise conflict(code, zh, en)
    target = ACTIONS[action][0]
    if action == "reinstate" and current != SUSPENDED:
        raise conflict(
            "RECORD_NOT_SUSPENDED",
            "记录未被暂扣，无需恢复",
            "the record is not suspended: nothing to reinstate",
        )
    if action == "suspend" and current == SUSPENDED:
        raise conflict(
            "RECORD_ALREADY_SUSPENDED", "记录已被暂扣", "the record is already suspended"
        )
    if action == "amend" and current == SUSPENDED:
        raise conflict(
            "RECORD_SUSPENDED",
            "记录已被暂扣，不能修订：请先恢复该记录",
            "the record is suspended and cannot be amended: reinstate it first",
        )
    return target


@dataclass(frozen=True)
class StatusReason:
    """Why a status changed: a code of the ``status-reasons`` list and an optional note."""

    code: str
    note: str | None = None

    @property
    def entry(self) -> Code:
        """The code-list entry with its labels."""
        return code_list("status-reasons").by_code(self.code)


def _reason_problem(code: str, zh: str, en: str, pointer: str) -> RegistryError:
    return invalid(code, zh, en, (FieldProblem(pointer, code, zh, en),))


def status_reason(
    action: str, code: str | None, note: str | None, pointer: str = ""
) -> StatusReason:
    """A checked reason for ``action``: a known code meant for that action, and a note.

    The note is trimmed, limited to 500 characters and stored with anything shaped like
    an ID or passport number masked. The reason ``other`` needs a note.
    """
    reasons = code_list("status-reasons")
    if not code:
        raise _reason_problem(
            "STATUS_REASON_REQUIRED",
            "必须给出原因代码",
            "a reason code is required",
            f"{pointer}/reason",
        )
    if code not in reasons:
        raise _reason_problem(
            "STATUS_REASON_UNKNOWN",
            "原因代码不在代码表 status-reasons 中",
            "the reason is not a code of the status-reasons list",
            f"{pointer}/reason",
        )
    if action not in reasons.by_code(code).extra.get("actions", "").split():
        raise _reason_problem(
            "STATUS_REASON_NOT_APPLICABLE",
            "该原因不适用于此操作",
            f"this reason does not apply to {action}",
            f"{pointer}/reason",
        )
    text = " ".join((note or "").split())
    if len(text) > NOTE_MAX:
        raise _reason_problem(
            "STATUS_NOTE_TOO_LONG",
            "说明不能超过 500 字",
            "the note is longer than 500 characters",
            f"{pointer}/note",
        )
    require_texts((f"{pointer}/note", text, NOTE_MAX))  # a control character (NUL: PostgreSQL)
    if code == "other" and not text:
        raise _reason_problem(
            "STATUS_NOTE_REQUIRED",
            "原因为“其他”时必须填写说明",
            "the reason 'other' needs a note",
            f"{pointer}/note",
        )
    return StatusReason(code, redact_identifiers(text) or None)


def purpose_bits(status: str) -> dict[str, bool]:
    """Which status-list bits a record in ``status`` sets, by purpose."""
    return {purpose: status in states for purpose, states in PURPOSE_STATES.items()}

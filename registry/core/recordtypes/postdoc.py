"""Postdoctoral affiliation (博士后在站记录) at the zone's pilot postdoctoral workstation: its
station and branch (分站), the host enterprise, entry and exit dates and the state
(在站 in station, 出站 completed, 退站 withdrawn). Leaving the station is an amendment: a new
version of the record that supersedes the previous one.

Leaving is final: a fresh record of leaving is refused while the holder's in-station record
at that station is still active (amend that record instead), and no amendment brings a
completed or withdrawn record back in station.

Public (QR and page): station, branch, host unit, entry date, exit date, state. Partner API
only: partner university, its 流动站 discipline, supervisors, certificate number.

QR record-map keys: ``16`` station (``postdoc-stations`` QR number), ``17`` branch and
``18`` host unit (text), ``19`` entry date and ``20`` exit date (days since 1970-01-01;
no exit date while in station), ``21`` state (``postdoc-states`` QR number).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from registry.core.errors import ErrorKind, FieldProblem, RegistryError
from registry.core.formats.timefmt import parse_date
from registry.core.recordtypes.base import (
    FIRST_TYPE_KEY,
    RecordDetails,
    RecordTypeSpec,
    code_at,
    consistency_error,
    day_claim,
    day_number,
    optional_day_claim,
    qr_number,
    text_claim,
)

POSTDOC_AFFILIATION = "PostdocAffiliationCredential"
SUBJECT_KEY = "postdocAffiliation"
IN_STATION = "在站"
COMPLETED = "出站"
WITHDRAWN = "退站"
LEFT_STATES = frozenset({COMPLETED, WITHDRAWN})
BRANCH_MAX = 12
HOST_UNIT_MAX = 28

STATION, BRANCH, HOST_UNIT, ENTRY, EXIT, STATE = (FIRST_TYPE_KEY + n for n in range(6))
_POINTER = f"/credentialSubject/{SUBJECT_KEY}"


@dataclass(frozen=True)
class PostdocFacts(RecordDetails):
    """The public facts of a postdoctoral affiliation."""

    station: str
    branch: str
    host_unit: str
    entry_date: date
    state: str
    exit_date: date | None = None


def read_postdoc(block: Mapping[str, Any]) -> PostdocFacts:
    """The public facts of a postdoc block."""
    exit_date = block.get("exitDate")
    return PostdocFacts(
        station=str(block["station"]),
        branch=str(block["branch"]),
        host_unit=str(block["hostUnit"]),
        entry_date=parse_date(block["entryDate"], "entryDate"),
        state=str(block["state"]),
        exit_date=parse_date(exit_date, "exitDate") if exit_date is not None else None,
    )


def write_postdoc(facts: PostdocFacts) -> dict[str, Any]:
    """A postdoc record's public fields as the credential carries them."""
    body: dict[str, Any] = {
        "station": facts.station,
        "branch": facts.branch,
        "hostUnit": facts.host_unit,
        "entryDate": facts.entry_date.isoformat(),
        "state": facts.state,
    }
    if facts.exit_date is not None:
        body["exitDate"] = facts.exit_date.isoformat()
    return body


def encode_postdoc(facts: PostdocFacts) -> dict[int, Any]:
    """A postdoc record's entries of the QR record map."""
    record: dict[int, Any] = {
        STATION: qr_number("postdoc-stations", facts.station),
        BRANCH: facts.branch,
        HOST_UNIT: facts.host_unit,
        ENTRY: day_number(facts.entry_date),
        STATE: qr_number("postdoc-states", facts.state),
    }
    if facts.exit_date is not None:
        record[EXIT] = day_number(facts.exit_date)
    return record


def decode_postdoc(record: Mapping[Any, Any]) -> PostdocFacts:
    """A postdoc record's facts from the QR record map."""
    return PostdocFacts(
        station=code_at("postdoc-stations", record.get(STATION)),
        branch=text_claim(record.get(BRANCH), BRANCH_MAX),
        host_unit=text_claim(record.get(HOST_UNIT), HOST_UNIT_MAX),
        entry_date=day_claim(record.get(ENTRY)),
        state=code_at("postdoc-states", record.get(STATE)),
        exit_date=optional_day_claim(record.get(EXIT)),
    )


def check_postdoc(
    facts: PostdocFacts,
    block: Mapping[str, Any],
    valid_from: datetime,
    valid_until: datetime | None,
) -> None:
    """In station means no exit date; having left means one, not before entry."""
    if facts.state == IN_STATION and facts.exit_date is not None:
        raise consistency_error(
            f"{_POINTER}/exitDate",
            "POSTDOC_EXIT_DATE_IN_STATION",
            "在站人员不应有出站日期",
            "a postdoc still in station has no exit date",
        )
    if facts.state != IN_STATION and facts.exit_date is None:
        raise consistency_error(
            f"{_POINTER}/exitDate",
            "POSTDOC_EXIT_DATE_MISSING",
            "出站或退站须填写出站日期",
            "leaving the station needs an exit date",
        )
    if facts.exit_date is not None and facts.exit_date < facts.entry_date:
        raise consistency_error(
            f"{_POINTER}/exitDate",
            "POSTDOC_EXIT_BEFORE_ENTRY",
            "出站日期早于进站日期",
            "the exit date is before the entry date",
        )


_STATE_EN = {COMPLETED: "completed", WITHDRAWN: "withdrawn"}


def _state_conflict(code: str, zh: str, en: str) -> RegistryError:
    problem = FieldProblem(f"{_POINTER}/state", code, zh, en)
    return RegistryError(code, zh, en, ErrorKind.CONFLICT, (problem,))


def check_fresh_postdoc(facts: PostdocFacts, open_records: Iterable[PostdocFacts]) -> None:
    """A fresh record of leaving (出站, 退站) is refused while one of ``open_records`` (the
    holder's active records from the same issuer) is in station at the same station:
    leaving is an amendment of that record, so the old QR shows it was superseded."""
    if facts.state not in LEFT_STATES:
        return
    if any(r.state == IN_STATION and r.station == facts.station for r in open_records):
        raise _state_conflict(
            "POSTDOC_ACTIVE_AFFILIATION",
            "该博士后在本工作站仍有有效的在站记录：请修订该在站记录办理出站或退站，不要另发新记录",
            "the postdoc still has an active in-station record at this station: amend that "
            "record to record leaving, rather than issuing a new one",
        )


def check_postdoc_amendment(previous: PostdocFacts, amended: PostdocFacts) -> None:
    """Leaving is final: an amendment may correct a completed or withdrawn record (its exit
    date, or which of the two it was), but never bring it back in station."""
    if previous.state in LEFT_STATES and amended.state == IN_STATION:
        raise _state_conflict(
            "POSTDOC_STATE_FINAL",
            f"记录的在站状态已是“{previous.state}”，不能修订回“在站”；重新进站须另行登记",
            f"the record's state is already {_STATE_EN[previous.state]}, which is final: an "
            "amendment cannot return it to in station (record a new entry instead)",
        )


POSTDOC_SPEC: RecordTypeSpec[PostdocFacts] = RecordTypeSpec(
    name=POSTDOC_AFFILIATION,
    subject_key=SUBJECT_KEY,
    details_type=PostdocFacts,
    elicence_type="05",
    public_fields=("station", "branch", "hostUnit", "entryDate", "exitDate", "state"),
    partner_fields=("university", "discipline", "supervisors", "certificateNumber"),
    labels={
        "station": ("博士后工作站", "Postdoctoral workstation"),
        "branch": ("分站", "Branch"),
        "hostUnit": ("设站单位", "Host enterprise"),
        "entryDate": ("进站日期", "Entry date"),
        "exitDate": ("出站日期", "Exit date"),
        "state": ("在站状态", "State"),
        "university": ("合作高校（流动站）", "Partner university (mobile station)"),
        "discipline": ("流动站学科", "Discipline of the mobile station"),
        "supervisors": ("合作导师", "Supervisors"),
        "certificateNumber": ("证书编号", "Certificate number"),
    },
    code_fields={"station": "postdoc-stations", "state": "postdoc-states"},
    read=read_postdoc,
    write=write_postdoc,
    encode=encode_postdoc,
    decode=decode_postdoc,
    check=check_postdoc,
)

__all__ = [
    "COMPLETED",
    "IN_STATION",
    "LEFT_STATES",
    "POSTDOC_AFFILIATION",
    "POSTDOC_SPEC",
    "WITHDRAWN",
    "PostdocFacts",
    "check_fresh_postdoc",
    "check_postdoc_amendment",
    "read_postdoc",
]

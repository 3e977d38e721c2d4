"""Postdoctoral affiliations: public facts, QR claims, the state/exit-date rules, and the
rules that make leaving an amendment and leaving final."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from registry.core.errors import ErrorKind, RegistryError
from registry.core.recordtypes.postdoc import (
    BRANCH,
    EXIT,
    POSTDOC_SPEC,
    PostdocFacts,
    check_fresh_postdoc,
    check_postdoc,
    check_postdoc_amendment,
    decode_postdoc,
    encode_postdoc,
    read_postdoc,
)

NOW = datetime(2026, 3, 2, tzinfo=UTC)
IN_STATION = PostdocFacts(
    "示范区博士后科研工作站总站",
    "吴江演示精密机械分站",
    "吴江演示精密机械有限公司",
    date(2024, 9, 1),
    "在站",
)
LEFT = replace(IN_STATION, state="出站", exit_date=date(2026, 8, 31))


def test_in_station_has_no_exit_claim_and_round_trips() -> None:
    claims = encode_postdoc(IN_STATION)
    assert EXIT not in claims
    assert claims[BRANCH] == "吴江演示精密机械分站"
    assert decode_postdoc(claims) == IN_STATION
    assert decode_postdoc(encode_postdoc(LEFT)) == LEFT


def test_block_without_exit_date_reads_as_none() -> None:
    written = POSTDOC_SPEC.write(IN_STATION)
    assert "exitDate" not in written
    assert read_postdoc(written) == IN_STATION
    assert POSTDOC_SPEC.write(LEFT)["exitDate"] == "2026-08-31"


def test_an_overlong_branch_in_a_qr_is_refused() -> None:
    claims = encode_postdoc(IN_STATION)
    claims[BRANCH] = "站" * 13
    with pytest.raises(RegistryError):
        decode_postdoc(claims)


@pytest.mark.parametrize("facts", [IN_STATION, LEFT, replace(LEFT, state="退站")])
def test_consistent_states_pass(facts: PostdocFacts) -> None:
    check_postdoc(facts, {}, NOW, None)


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        (replace(IN_STATION, exit_date=date(2026, 1, 1)), "POSTDOC_EXIT_DATE_IN_STATION"),
        (replace(IN_STATION, state="出站"), "POSTDOC_EXIT_DATE_MISSING"),
        (replace(LEFT, exit_date=date(2024, 8, 31)), "POSTDOC_EXIT_BEFORE_ENTRY"),
    ],
    ids=["in-station-with-exit", "left-without-exit", "exit-before-entry"],
)
def test_inconsistent_states_are_refused(facts: PostdocFacts, code: str) -> None:
    with pytest.raises(RegistryError) as caught:
        check_postdoc(facts, {}, NOW, None)
    assert caught.value.code == code
    assert caught.value.problems[0].pointer == "/credentialSubject/postdocAffiliation/exitDate"


def test_university_and_supervisors_are_partner_only() -> None:
    assert {"university", "discipline", "supervisors", "certificateNumber"} == set(
        POSTDOC_SPEC.partner_fields
    )


WITHDRAWN = replace(LEFT, state="退站")
ELSEWHERE = replace(IN_STATION, station="另一个博士后工作站")


@pytest.mark.parametrize("leaving", [LEFT, WITHDRAWN], ids=["completed", "withdrawn"])
def test_a_fresh_record_of_leaving_is_refused_while_in_station_there(
    leaving: PostdocFacts,
) -> None:
    with pytest.raises(RegistryError) as caught:
        check_fresh_postdoc(leaving, [LEFT, IN_STATION])
    error = caught.value
    assert (error.code, error.kind) == ("POSTDOC_ACTIVE_AFFILIATION", ErrorKind.CONFLICT)
    assert "修订" in error.message_zh and "amend" in error.message_en
    assert error.problems[0].pointer == "/credentialSubject/postdocAffiliation/state"


@pytest.mark.parametrize(
    ("facts", "open_records"),
    [
        (LEFT, []),
        (LEFT, [LEFT, WITHDRAWN]),  # records of leaving are not an open affiliation
        (WITHDRAWN, [ELSEWHERE]),  # in station at another station
        (IN_STATION, [IN_STATION]),  # entering is not what this rule judges
    ],
    ids=["nothing-open", "only-left", "other-station", "entering"],
)
def test_a_fresh_record_passes_without_an_open_affiliation_there(
    facts: PostdocFacts, open_records: list[PostdocFacts]
) -> None:
    check_fresh_postdoc(facts, open_records)


@pytest.mark.parametrize("previous", [LEFT, WITHDRAWN], ids=["completed", "withdrawn"])
def test_an_amendment_never_returns_to_in_station(previous: PostdocFacts) -> None:
    with pytest.raises(RegistryError) as caught:
        check_postdoc_amendment(previous, IN_STATION)
    error = caught.value
    assert (error.code, error.kind) == ("POSTDOC_STATE_FINAL", ErrorKind.CONFLICT)
    assert previous.state in error.message_zh
    assert error.problems[0].pointer == "/credentialSubject/postdocAffiliation/state"


@pytest.mark.parametrize(
    ("previous", "amended"),
    [
        (IN_STATION, LEFT),
        (IN_STATION, WITHDRAWN),
        (IN_STATION, replace(IN_STATION, branch="另一分站")),
        (LEFT, WITHDRAWN),  # correcting how she left
        (WITHDRAWN, replace(WITHDRAWN, exit_date=date(2026, 9, 30))),
    ],
    ids=["complete", "withdraw", "in-station-correction", "left-correction", "exit-date"],
)
def test_other_amendments_pass(previous: PostdocFacts, amended: PostdocFacts) -> None:
    check_postdoc_amendment(previous, amended)

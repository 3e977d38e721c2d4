"""Postdoctoral affiliations: public facts, QR claims, and the state/exit-date rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from registry.core.errors import RegistryError
from registry.core.recordtypes.postdoc import (
    BRANCH,
    EXIT,
    POSTDOC_SPEC,
    PostdocFacts,
    check_postdoc,
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

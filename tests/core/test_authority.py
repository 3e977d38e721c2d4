"""Issuer authority: dated scopes, and the dimension an out-of-scope record fails on."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from registry.core.checks import Outcome
from registry.core.errors import ErrorKind
from registry.core.records import qrclaims
from registry.core.records.credential import JOINT_TITLE, TITLE
from registry.core.recordtypes.recommendation import RecommendationFacts
from registry.core.trust.authority import (
    AuthorityClaim,
    authority_check,
    china_date,
    decide,
    effective_scopes,
    level_rank,
    out_of_scope_error,
)
from registry.core.trust.model import IssuerScope
from registry.core.verification.record import VerifyRequest, verify_qr
from tests.support.memory_trust import COMMITTEE, kid_for, title_facts, zone_trust

MECHANICAL_TO_FULL_SENIOR = IssuerScope(
    record_types=(JOINT_TITLE,),
    series=("工程技术",),
    specialties=("机械工程",),
    highest_level="正高级",
    valid_from=date(2021, 1, 1),
    scope_id=7,
)


def claim(**changes: object) -> AuthorityClaim:
    base = AuthorityClaim(JOINT_TITLE, date(2024, 12, 20), "工程技术", "机械工程", "副高级")
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_record_inside_the_scope_is_allowed():
    decision = decide([MECHANICAL_TO_FULL_SENIOR], claim())
    assert decision.allowed and decision.scope == MECHANICAL_TO_FULL_SENIOR


@pytest.mark.parametrize(
    ("changes", "dimension"),
    [
        ({"record_type": TITLE}, "type"),
        ({"on": date(2020, 12, 31)}, "date"),
        ({"series": "经济"}, "series"),
        ({"specialty": "纺织工程"}, "specialty"),
    ],
)
def test_each_dimension_is_named(changes, dimension):
    decision = decide([MECHANICAL_TO_FULL_SENIOR], claim(**changes))
    assert not decision.allowed
    assert decision.dimension == dimension


def test_highest_level_is_inclusive_and_ranks_follow_the_code_list():
    up_to_associate = replace(MECHANICAL_TO_FULL_SENIOR, highest_level="副高级")
    assert decide([up_to_associate], claim(level="副高级")).allowed
    assert decide([up_to_associate], claim(level="中级")).allowed
    assert decide([up_to_associate], claim(level="正高级")).dimension == "level"
    assert level_rank("助理级") == level_rank("初级") == 2
    assert level_rank("不存在") is None
    assert decide([up_to_associate], claim(level="不存在")).dimension == "level"


def test_an_ended_scope_covers_only_its_dates():
    ended = replace(MECHANICAL_TO_FULL_SENIOR, valid_until=date(2024, 1, 1))
    assert decide([ended], claim(on=date(2023, 12, 31))).allowed
    assert decide([ended], claim(on=date(2024, 1, 1))).dimension == "date"


def test_a_later_scope_takes_over_from_an_ended_one():
    ended = replace(MECHANICAL_TO_FULL_SENIOR, valid_until=date(2024, 1, 1))
    wider = replace(MECHANICAL_TO_FULL_SENIOR, valid_from=date(2024, 1, 1), specialties=())
    assert decide([ended, wider], claim(specialty="纺织工程")).allowed
    assert decide([ended, wider], claim(on=date(2022, 6, 1), specialty="纺织工程")).dimension == (
        "specialty"
    )


def test_non_title_records_are_judged_by_type_and_dates_only():
    scope = IssuerScope(("ContinuingEducationCredential",), (), (), None, date(2022, 1, 1))
    allowed = AuthorityClaim("ContinuingEducationCredential", date(2023, 3, 1))
    assert decide([scope], allowed).allowed
    assert decide([scope], replace(allowed, on=date(2021, 1, 1))).dimension == "date"


def test_issuers_without_recorded_scopes_fall_back_to_their_record_types():
    scopes = effective_scopes((), frozenset({TITLE}))
    assert decide(scopes, claim(record_type=TITLE, on=date(1990, 1, 1))).allowed
    assert decide(scopes, claim()).dimension == "type"
    assert effective_scopes((MECHANICAL_TO_FULL_SENIOR,), {TITLE}) == (MECHANICAL_TO_FULL_SENIOR,)


def test_the_issue_date_is_the_date_in_china():
    assert china_date(datetime(2024, 12, 31, 16, 30, tzinfo=UTC)) == date(2025, 1, 1)
    assert china_date(datetime(2024, 12, 31, 15, 59, tzinfo=UTC)) == date(2024, 12, 31)


def test_claims_from_an_issuance_request():
    request = {
        "credentialSubject": {
            "professionalTitle": {"series": "工程技术", "specialty": "机械工程", "level": "正高级"}
        }
    }
    at = datetime(2025, 3, 1, tzinfo=UTC)
    assert AuthorityClaim.of_request(JOINT_TITLE, request, at) == AuthorityClaim(
        JOINT_TITLE, date(2025, 3, 1), "工程技术", "机械工程", "正高级"
    )
    assert AuthorityClaim.of_request("X", {"credentialSubject": {}}, at) == AuthorityClaim(
        "X", date(2025, 3, 1)
    )


def test_the_refusal_is_a_bilingual_403_naming_the_dimension():
    error = out_of_scope_error(decide([MECHANICAL_TO_FULL_SENIOR], claim(specialty="纺织工程")))
    assert error.kind == ErrorKind.FORBIDDEN
    assert error.code == "ISSUER_OUT_OF_SCOPE"
    assert "专业" in error.message_zh and "specialties" in error.message_en
    assert "specialty" in error.message_en


def test_verification_fails_a_record_issued_outside_the_scope_on_its_issue_date():
    now = datetime.now(UTC).replace(microsecond=0)
    trust = zone_trust(now)
    committee = trust.issuers[COMMITTEE]
    since = china_date(now) - timedelta(days=30)
    trust.issuers[COMMITTEE] = replace(
        committee, scopes=(replace(MECHANICAL_TO_FULL_SENIOR, valid_from=since),)
    )
    key = trust.private[COMMITTEE]
    inside = title_facts(str(uuid.uuid4()), joint=True)
    before = replace(inside, record_id=str(uuid.uuid4()), issued_at=now - timedelta(days=40))
    for facts, outcome in ((inside, Outcome.PASSED), (before, Outcome.FAILED)):
        trust.statuses[facts.record_id] = "active"
        result = verify_qr(
            qrclaims.sign_payload(facts, key, kid_for(key)), trust, trust, VerifyRequest(now)
        )
        authorised = next(c for c in result.checks if c.name == "issuer_authorised")
        assert authorised.outcome == outcome
    assert authorised.code == "ISSUER_OUT_OF_SCOPE"
    assert authorised.detail["dimension"] == "date"
    passed = authority_check(trust.issuers[COMMITTEE], inside)
    assert passed.detail["scope"] == 7


def _scoped_committee(scope: IssuerScope):
    now = datetime.now(UTC).replace(microsecond=0)
    trust = zone_trust(now)
    valid_from = china_date(now) - timedelta(days=30)
    return replace(trust.issuers[COMMITTEE], scopes=(replace(scope, valid_from=valid_from),))


@pytest.mark.parametrize(
    ("title_changes", "scope_changes", "dimension"),
    [
        ({"series": "卫生"}, {}, "series"),
        ({"specialty": "电气工程"}, {}, "specialty"),
        ({"level": "正高级"}, {"highest_level": "副高级"}, "level"),
    ],
)
def test_a_title_outside_its_issuers_scope_fails_issuer_authorised(
    title_changes, scope_changes, dimension
):
    issuer = _scoped_committee(replace(MECHANICAL_TO_FULL_SENIOR, **scope_changes))
    inside = title_facts(str(uuid.uuid4()), joint=True)
    assert authority_check(issuer, inside).outcome == Outcome.PASSED
    outside = replace(inside, details=replace(inside.details, **title_changes))
    failed = authority_check(issuer, outside)
    assert failed.outcome == Outcome.FAILED
    assert failed.code == "ISSUER_OUT_OF_SCOPE"
    assert failed.detail["dimension"] == dimension


def test_a_record_that_is_not_a_title_is_judged_without_title_dimensions():
    letter_type = "RecommendationLetterCredential"
    issuer = _scoped_committee(
        IssuerScope((letter_type,), ("工程技术",), ("机械工程",), "中级", date(2021, 1, 1))
    )
    letter = RecommendationFacts(
        "示范区执委推〔2026〕演示1号", date(2026, 3, 1), "直接申请永久居留", date(2030, 2, 28)
    )
    facts = replace(
        title_facts(str(uuid.uuid4()), joint=True), record_type=letter_type, details=letter
    )
    assert facts.title is None
    claim_of_letter = AuthorityClaim.of_facts(facts)
    assert (claim_of_letter.series, claim_of_letter.specialty, claim_of_letter.level) == (
        None,
        None,
        None,
    )
    assert authority_check(issuer, facts).outcome == Outcome.PASSED


def test_the_one_pass_decision_is_the_staged_filters_decision():
    # ``decide`` answers in one pass over the scopes and falls back to the staged filters
    # (type, date, series, specialty, level) only to name a failed dimension; the staged
    # filters alone (``_first_gap``) must reach the same decision on every combination.
    from itertools import product

    from registry.core.trust.authority import _first_gap

    levels = ("初级", "中级", "副高级", "正高级", "不存在", None)
    scopes = [
        IssuerScope(
            record_types=types,
            series=series,
            specialties=specialties,
            highest_level=level,
            valid_from=date(2021, 1, 1),
            valid_until=until,
            scope_id=number,
        )
        for number, (types, series, specialties, level, until) in enumerate(
            product(
                [(JOINT_TITLE,), (TITLE, JOINT_TITLE)],
                [(), ("工程技术",)],
                [(), ("机械工程",)],
                levels,
                [None, date(2024, 1, 1)],
            )
        )
    ]
    claims = [
        AuthorityClaim(record_type, on, series, specialty, level)
        for record_type, on, series, specialty, level in product(
            [TITLE, JOINT_TITLE],
            [date(2020, 12, 31), date(2021, 1, 1), date(2023, 12, 31), date(2024, 1, 1)],
            ["工程技术", "经济", None],
            ["机械工程", "纺织工程", None],
            levels,
        )
    ]
    for start in range(0, len(scopes), 7):
        chosen = scopes[start : start + 9]
        for asked in claims:
            assert decide(chosen, asked) == _first_gap(tuple(chosen), asked)

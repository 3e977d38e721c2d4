"""Recognition in the asking region: native, under an agreement, or not and why."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from registry.core.checks import Outcome
from registry.core.recognition.rules import recognise, recognition_check
from registry.core.records import qrclaims
from registry.core.records.credential import JOINT_TITLE, TITLE
from registry.core.recordtypes.equivalence import EquivalenceFacts
from registry.core.trust.model import Agreement, Equivalence
from registry.core.verification.record import VerifyRequest, verify_qr
from tests.support.memory_trust import BUREAUS, kid_for, title_facts, zone_trust

NOW = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)
TODAY = date(2026, 5, 1)
ZONE = Agreement(
    agreement_id="YRDZ-MR-2020",
    name_zh="示范区专业技术人才资格和继续教育学时互认暂行办法",
    name_en="Interim measures on mutual recognition (demo)",
    parties=("310118", "320509", "330421"),
    record_types=(TITLE, JOINT_TITLE),
    series=(),
    levels=("初级", "中级", "副高级", "正高级"),
    effective_from=date(2020, 9, 1),
    effective_until=None,
    legal_basis="示范区专业技术人才资格和继续教育学时互认暂行办法",
)
RENAMED = Equivalence(
    "320509",
    "330421",
    "title_name",
    "高级工程师",
    "高级工程师",
    "高级工程师（浙江）",
    "Senior Engineer (Zhejiang term)",
    "YRDZ-MR-2020",
    demo=True,
)


@pytest.fixture
def trust():
    found = zone_trust(NOW)
    found.agreement_list.append(ZONE)
    return found


def wujiang_title(**changes):
    return title_facts(str(uuid.uuid4()), issued=NOW - timedelta(days=1), **changes)


def decide(trust, facts, region, on=TODAY):
    return recognise(facts, trust.issuers[facts.issuer_uscc], region, trust, on)


def test_native_where_issued_and_where_co_reviewed(trust):
    assert decide(trust, wujiang_title(), "320509").via == "issuer"
    joint = title_facts(str(uuid.uuid4()), joint=True)
    decision = decide(trust, joint, "330421")
    assert (decision.code, decision.via) == ("RECOGNITION_NATIVE", "co_review")


def test_recognised_under_the_agreement_with_the_same_national_term(trust):
    decision = decide(trust, wujiang_title(), "330421")
    assert decision.code == "RECOGNITION_AGREEMENT"
    assert decision.agreement == ZONE
    named = {e.kind: e for e in decision.equivalents}
    assert (named["title_name"].target, named["title_name"].basis) == ("高级工程师", "same")
    assert named["title_name"].label_en == "Senior Engineer"
    assert named["level"].target == "副高级"


def test_an_equivalence_entry_renames_the_title_and_is_marked_demo(trust):
    trust.equivalence_list.append(RENAMED)
    check = recognition_check(
        wujiang_title(), trust.issuers[BUREAUS["320509"]], "330421", trust, NOW
    )
    assert (check.outcome, check.code) == (Outcome.PASSED, "RECOGNITION_AGREEMENT")
    assert "高级工程师（浙江）" in check.message_zh and "YRDZ-MR-2020" in check.message_en
    title = next(e for e in check.detail["equivalent"] if e["kind"] == "title_name")
    assert title == {
        "kind": "title_name",
        "source": "高级工程师",
        "target": "高级工程师",
        "label": {"zh": "高级工程师（浙江）", "en": "Senior Engineer (Zhejiang term)"},
        "basis": "table",
        "demo": True,
    }
    assert check.detail["agreement"]["legalBasis"] == ZONE.legal_basis
    # the table maps Wujiang's terms to Jiashan's, not to Qingpu's
    other = recognition_check(
        wujiang_title(), trust.issuers[BUREAUS["320509"]], "310118", trust, NOW
    )
    assert next(e for e in other.detail["equivalent"] if e["kind"] == "title_name")["basis"] == (
        "same"
    )


def test_no_agreement(trust):
    decision = decide(trust, wujiang_title(), "440100")
    assert decision.code == "RECOGNITION_NO_AGREEMENT" and not decision.recognised


@pytest.mark.parametrize(
    ("agreement_changes", "code", "dimension"),
    [
        ({"record_types": (JOINT_TITLE,)}, "RECOGNITION_OUT_OF_SCOPE", "type"),
        ({"series": ("经济",)}, "RECOGNITION_OUT_OF_SCOPE", "series"),
        ({"levels": ("初级", "中级")}, "RECOGNITION_OUT_OF_SCOPE", "level"),
        ({"effective_from": date(2026, 6, 1)}, "RECOGNITION_NOT_YET_IN_FORCE", None),
        ({"effective_until": date(2026, 5, 1)}, "RECOGNITION_AGREEMENT_EXPIRED", None),
    ],
)
def test_not_recognised_says_why(trust, agreement_changes, code, dimension):
    trust.agreement_list[:] = [replace(ZONE, **agreement_changes)]
    decision = decide(trust, wujiang_title(), "330421")
    assert (decision.code, decision.dimension) == (code, dimension)
    check = recognition_check(
        wujiang_title(), trust.issuers[BUREAUS["320509"]], "330421", trust, NOW
    )
    assert check.outcome == Outcome.FAILED and check.code == code


def test_a_sub_level_counts_under_its_parent_level(trust):
    assistant = wujiang_title()
    assistant = replace(assistant, details=replace(assistant.details, level="助理级"))
    assert decide(trust, assistant, "330421").code == "RECOGNITION_AGREEMENT"


def test_the_day_of_the_question_is_taken_in_china_time(trust):
    trust.agreement_list[:] = [replace(ZONE, effective_from=date(2026, 5, 1))]
    late_evening_utc = datetime(2026, 4, 30, 17, 0, tzinfo=UTC)  # 1 May, 01:00 in China
    check = recognition_check(
        wujiang_title(), trust.issuers[BUREAUS["320509"]], "330421", trust, late_evening_utc
    )
    assert check.code == "RECOGNITION_AGREEMENT"


def test_any_covering_agreement_in_force_wins(trust):
    trust.agreement_list.insert(
        0, replace(ZONE, agreement_id="OLD", effective_until=date(2021, 1, 1))
    )
    assert decide(trust, wujiang_title(), "330421").agreement == ZONE


def test_the_verify_answer_carries_the_recognition(trust):
    facts = wujiang_title()
    trust.statuses[facts.record_id] = "active"
    key = trust.private[BUREAUS["320509"]]
    text = qrclaims.sign_payload(facts, key, kid_for(key))
    for region, code in (
        ("330421", "RECOGNITION_AGREEMENT"),
        ("440100", "RECOGNITION_NO_AGREEMENT"),
    ):
        result = verify_qr(text, trust, trust, VerifyRequest(NOW, region))
        recognition = next(c for c in result.checks if c.name == "recognition")
        assert recognition.code == code
    assert recognition_check(facts, None, "330421", trust, NOW).code == "NOT_CHECKED"
    assert recognition_check(facts, trust.issuers[BUREAUS["320509"]], None, trust, NOW).code == (
        "RECOGNITION_NOT_ASKED"
    )


def test_a_zone_wide_body_is_native_in_its_jurisdiction(trust):
    facts = wujiang_title()
    issuer = replace(trust.issuers[BUREAUS["320509"]], jurisdiction=("310118", "330421"))
    decision = recognise(facts, issuer, "330421", trust, TODAY)
    assert (decision.code, decision.via) == ("RECOGNITION_NATIVE", "issuer")
    assert recognise(facts, issuer, "440100", trust, TODAY).code == "RECOGNITION_NO_AGREEMENT"


EQUIVALENCE_TYPE = "QualificationEquivalenceCredential"
ZHEJIANG_LEVEL = Equivalence(
    "320509",
    "330421",
    "level",
    "副高级",
    "高级",
    "高级（浙江）",
    "Senior (Zhejiang term)",
    "YRDZ-MR-2020",
)
CATALOGUE_ITEM = Equivalence(
    "320509",
    "330421",
    "catalogue_item",
    "SH-FQ:ACCA-01",
    "ZJ-FQ:07",
    "浙江目录第 7 项：国际注册会计师",
    "Zhejiang catalogue item 7: chartered accountant",
    "YRDZ-MR-2020",
)


def equivalence_decision(item="ACCA-01"):
    details = EquivalenceFacts(
        catalogue="SH-FQ",
        catalogue_version="2025.1",
        item=item,
        mapped_series="会计",
        mapped_level="中级",
        decided_on=date(2025, 1, 1),
    )
    return wujiang_title(record_type=EQUIVALENCE_TYPE, details=details)


@pytest.fixture
def equivalence_trust(trust):
    trust.agreement_list.append(
        replace(ZONE, agreement_id="YRDZ-FQ", record_types=(EQUIVALENCE_TYPE,))
    )
    trust.equivalence_list.append(replace(CATALOGUE_ITEM, agreement_id="YRDZ-FQ"))
    return trust


def test_a_catalogue_item_is_named_in_the_asking_regions_catalogue(equivalence_trust):
    check = recognition_check(
        equivalence_decision(),
        equivalence_trust.issuers[BUREAUS["320509"]],
        "330421",
        equivalence_trust,
        NOW,
    )
    assert (check.outcome, check.code) == (Outcome.PASSED, "RECOGNITION_AGREEMENT")
    assert check.detail["equivalent"] == [
        {
            "kind": "catalogue_item",
            "source": "SH-FQ:ACCA-01",
            "target": "ZJ-FQ:07",
            "label": {"zh": CATALOGUE_ITEM.label_zh, "en": CATALOGUE_ITEM.label_en},
            "basis": "table",
        }
    ]
    assert CATALOGUE_ITEM.label_zh in check.message_zh
    assert CATALOGUE_ITEM.label_en in check.message_en


def test_a_catalogue_item_without_an_entry_keeps_its_own_term(equivalence_trust):
    check = recognition_check(
        equivalence_decision("OTHER-9"),
        equivalence_trust.issuers[BUREAUS["320509"]],
        "330421",
        equivalence_trust,
        NOW,
    )
    (equivalent,) = check.detail["equivalent"]
    assert (equivalent["target"], equivalent["basis"]) == ("SH-FQ:OTHER-9", "same")
    assert "equivalent here" not in check.message_en
    # the entry maps Wujiang's catalogue to Jiashan's, not to Qingpu's
    qingpu = recognition_check(
        equivalence_decision(),
        equivalence_trust.issuers[BUREAUS["320509"]],
        "310118",
        equivalence_trust,
        NOW,
    )
    assert qingpu.detail["equivalent"][0]["basis"] == "same"


def test_a_level_entry_renames_the_level(trust):
    trust.equivalence_list.append(ZHEJIANG_LEVEL)
    check = recognition_check(
        wujiang_title(), trust.issuers[BUREAUS["320509"]], "330421", trust, NOW
    )
    named = {e["kind"]: e for e in check.detail["equivalent"]}
    assert named["level"] == {
        "kind": "level",
        "source": "副高级",
        "target": "高级",
        "label": {"zh": "高级（浙江）", "en": "Senior (Zhejiang term)"},
        "basis": "table",
    }
    assert named["title_name"]["basis"] == "same"  # only the level has an entry
    assert "高级（浙江）" in check.message_zh and "Senior (Zhejiang term)" in check.message_en
    plain = decide(trust, wujiang_title(), "310118")
    assert {e.kind: e.basis for e in plain.equivalents} == {"title_name": "same", "level": "same"}


def test_a_level_outside_the_code_list_is_outside_a_limited_agreement(trust):
    trust.agreement_list[:] = [replace(ZONE, levels=("初级", "中级"))]
    unknown = wujiang_title()
    unknown = replace(unknown, details=replace(unknown.details, level="特级"))  # no such code
    decision = decide(trust, unknown, "330421")
    assert (decision.code, decision.dimension) == ("RECOGNITION_OUT_OF_SCOPE", "level")


def test_an_agreement_naming_only_a_jurisdiction_region_is_reached(trust):
    """A body whose jurisdiction reaches beyond its seat: an agreement between one of those
    other regions and the asking region covers its records."""
    facts = wujiang_title()
    issuer = replace(trust.issuers[BUREAUS["320509"]], jurisdiction=("320509", "320500"))
    trust.agreement_list[:] = [replace(ZONE, parties=("320500", "440100"))]
    decision = recognise(facts, issuer, "440100", trust, TODAY)
    assert (decision.code, decision.agreement.parties) == (
        "RECOGNITION_AGREEMENT",
        ("320500", "440100"),
    )

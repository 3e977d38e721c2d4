"""A schema refusal says what is allowed: a code-list field lists its values, a date
field shows the expected form, and neither echoes what was given."""

from __future__ import annotations

from registry.core.records.schemas import allowed_values, schema_problems

TITLE = "ProfessionalTitleCredential"


def _title(**fields: str) -> dict[str, object]:
    block = {
        "series": "工程技术",
        "specialty": "电气工程",
        "level": "中级",
        "titleName": "工程师",
        "obtainedBy": "评审",
        "obtainedOn": "2026-11-20",
        **fields,
    }
    return {
        "type": ["VerifiableCredential", TITLE],
        "credentialSubject": {
            "name": "王建华",
            "idNumber": "310118199001010018",
            "professionalTitle": block,
        },
    }


def test_a_wrong_level_lists_the_allowed_levels():
    (problem,) = schema_problems(TITLE, _title(level="高级"))
    assert problem.pointer == "/credentialSubject/professionalTitle/level"
    assert "allowed: " in problem.message_en
    for level in ("初级", "中级", "副高级", "正高级"):
        assert level in problem.message_en and level in problem.message_zh
    assert "高级、" not in problem.message_zh.split("允许：")[0]


def test_a_date_in_another_form_is_refused_once_with_the_expected_form():
    problems = schema_problems(TITLE, _title(obtainedOn="2026/11/20"))
    assert len(problems) == 1  # the format and the pattern rule, said once
    assert "YYYY-MM-DD" in problems[0].message_en
    assert "2026/11/20" not in problems[0].message_en


def test_a_long_list_is_cut_and_says_where_the_rest_is():
    zh, en = allowed_values([str(n) for n in range(50)], limit=3)
    assert en == "0, 1, 2, … (47 more; every code list is at /api/v1/codes)"
    assert zh.startswith("0、1、2 等（另有 47 项")
    assert allowed_values(["a", "b"]) == ("a、b", "a, b")

import json

import pytest

from registry.core.codes import CODE_LIST_NAMES, Code, CodeList, code_list
from registry.core.errors import RegistryError
from registry.core.resources import schemas_dir


@pytest.mark.parametrize("name", CODE_LIST_NAMES)
def test_each_list_loads_with_unique_codes_and_qr_numbers(name: str) -> None:
    codes = code_list(name)
    assert codes.name == name
    assert codes.version >= 1
    assert codes.title_zh
    assert codes.title_en
    assert len({entry.code for entry in codes}) == len(codes)
    assert len({entry.qr for entry in codes}) == len(codes)
    for entry in codes:
        assert entry.zh
        assert entry.en
        assert entry.qr > 0
        assert codes.by_code(entry.code) is entry
        assert codes.by_qr(entry.qr) is entry
        assert entry.code in codes


def test_list_file_names_match_list_names() -> None:
    files = {path.stem for path in (schemas_dir() / "codes").glob("*.json")}
    assert files == set(CODE_LIST_NAMES)
    for name in CODE_LIST_NAMES:
        raw = json.loads((schemas_dir() / "codes" / f"{name}.json").read_text(encoding="utf-8"))
        assert raw["name"] == name


def test_lists_are_cached() -> None:
    assert code_list("title-series") is code_list("title-series")


def test_unknown_code_names_the_list() -> None:
    with pytest.raises(RegistryError) as caught:
        code_list("specialties").by_code("炼丹")
    assert caught.value.code == "CODE_UNKNOWN"
    assert "specialties" in caught.value.message_en
    assert "specialties" in caught.value.message_zh
    with pytest.raises(RegistryError, match="CODE_UNKNOWN"):
        code_list("title-levels").by_qr(999)
    assert "炼丹" not in code_list("specialties")
    assert 1 not in code_list("specialties")


def test_unknown_list_is_refused() -> None:
    with pytest.raises(RegistryError, match="CODE_LIST_UNKNOWN"):
        code_list("../codes/title-series")


def test_series_list_holds_the_national_series() -> None:
    series = code_list("title-series")
    assert len(series) == 27
    for name in ("工程技术", "经济", "会计", "卫生技术", "高等学校教师"):
        assert name in series
    assert series.by_code("工程技术").en == "Engineering"


def test_level_ranks_order_the_levels() -> None:
    levels = code_list("title-levels")
    rank = {entry.code: int(entry.extra["rank"]) for entry in levels}
    assert rank["员级"] < rank["助理级"] < rank["中级"] < rank["副高级"] < rank["正高级"]
    assert rank["员级"] <= rank["初级"] < rank["中级"]
    assert levels.by_code("员级").extra["parent"] == "初级"


def test_title_names_point_at_known_series_and_levels() -> None:
    engineering = [
        entry for entry in code_list("title-names") if entry.extra["series"] == "工程技术"
    ]
    assert [entry.code for entry in engineering] == [
        "技术员",
        "助理工程师",
        "工程师",
        "高级工程师",
        "正高级工程师",
    ]
    for entry in code_list("title-names"):
        assert entry.extra["series"] in code_list("title-series")
        assert entry.extra["level"] in code_list("title-levels")


def test_specialties_belong_to_the_engineering_series() -> None:
    specialties = code_list("specialties")
    assert len(specialties) >= 30
    assert {"机械工程", "纺织工程", "集成电路"} <= set(specialties.codes)
    assert {entry.extra["series"] for entry in specialties} == {"工程技术"}


def test_division_qr_numbers_are_the_codes_and_parents_exist() -> None:
    divisions = code_list("divisions")
    for region in ("310118", "320509", "330421", "440100"):
        assert region in divisions
    for entry in divisions:
        assert entry.qr == int(entry.code)
        assert entry.extra["province"] in divisions
        if "city" in entry.extra:
            assert entry.extra["city"] in divisions
    assert divisions.by_code("320509").extra == {
        "level": "county",
        "province": "320000",
        "city": "320500",
    }


def test_record_types_have_fixed_numbers() -> None:
    types = code_list("record-types")
    assert types.by_qr(1).code == "ProfessionalTitleCredential"
    assert types.by_qr(2).code == "JointTitleCredential"
    assert types.by_qr(8).code == "QualificationEquivalenceCredential"
    assert [entry.extra["status"] for entry in types][:2] == ["active", "active"]


def test_code_is_frozen_and_hashable() -> None:
    entry = code_list("obtained-by").by_code("评审")
    assert entry == Code("评审", 1, "评审", "Review", {})
    assert hash(entry) == hash(Code("评审", 1, "评审", "Review"))
    with pytest.raises(AttributeError):
        entry.qr = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    "entries",
    [
        (Code("a", 1, "甲", "A"), Code("a", 2, "乙", "B")),  # the code repeated, QR numbers not
        (Code("a", 1, "甲", "A"), Code("b", 1, "乙", "B")),  # the QR number repeated, codes not
    ],
    ids=["repeated-code", "repeated-qr"],
)
def test_a_list_repeating_a_code_or_a_qr_number_is_refused(entries: tuple[Code, ...]) -> None:
    with pytest.raises(ValueError, match="code list demo repeats a code or a QR number"):
        CodeList("demo", 1, "示例", "Demo", entries)
    CodeList("demo", 1, "示例", "Demo", (entries[0], Code("c", 3, "丙", "C")))  # distinct: read

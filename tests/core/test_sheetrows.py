"""Review-session sheets: header paths checked against the schema, rows turned into
issuance requests, cells typed by the schema."""

from __future__ import annotations

import pytest

from registry.core.errors import RegistryError
from registry.core.records.sheetrows import (
    column_of,
    credential_of_row,
    read_columns,
    template_columns,
)
from registry.core.recordtypes import RECORD_TYPES

TITLE = "ProfessionalTitleCredential"
JOINT = "JointTitleCredential"
CE = "ContinuingEducationCredential"
POSTDOC = "PostdocAffiliationCredential"


def _refused(call) -> RegistryError:
    with pytest.raises(RegistryError) as caught:
        call()
    return caught.value


def test_a_row_becomes_an_issuance_request_of_the_type():
    header = ["name", "idNumber", "professionalTitle.series", "validFrom"]
    columns = read_columns(TITLE, header)
    row = ["周文涛", "310118198503129999", "工程技术", "2026-01-01T00:00:00Z"]
    assert credential_of_row(TITLE, columns, row) == {
        "type": ["VerifiableCredential", TITLE],
        "credentialSubject": {
            "name": "周文涛",
            "idNumber": "310118198503129999",
            "professionalTitle": {"series": "工程技术"},
        },
        "validFrom": "2026-01-01T00:00:00Z",
    }


def test_the_credential_subject_prefix_is_optional():
    columns = read_columns(TITLE, ["credentialSubject.name"])
    assert credential_of_row(TITLE, columns, ["王建华"])["credentialSubject"] == {"name": "王建华"}


def test_empty_cells_leave_their_fields_out_and_cells_are_trimmed():
    columns = read_columns(TITLE, ["name", "professionalTitle.employer"])
    credential = credential_of_row(TITLE, columns, ["  王建华 ", "   "])
    assert credential["credentialSubject"] == {"name": "王建华"}


def test_cells_are_typed_by_the_schema():
    header = [
        "continuingEducation.year",
        "continuingEducation.generalHours",
        "continuingEducation.professionalHours",
        "continuingEducation.regions",
    ]
    columns = read_columns(CE, header)
    subject = credential_of_row(CE, columns, ["2026", "30.0", "62.5", "310118；320509; "])[
        "credentialSubject"
    ]
    assert subject["continuingEducation"] == {
        "year": 2026,
        "generalHours": 30,
        "professionalHours": 62.5,
        "regions": ["310118", "320509"],
    }


def test_nested_objects_and_lists_of_objects_take_json():
    columns = read_columns(
        JOINT, ["professionalTitle.reviewSession.year", "professionalTitle.reviewRegions"]
    )
    subject = credential_of_row(JOINT, columns, ["2025", '["310118", "330421"]'])[
        "credentialSubject"
    ]
    assert subject["professionalTitle"] == {
        "reviewSession": {"year": 2025},
        "reviewRegions": ["310118", "330421"],
    }
    supervisors = read_columns(POSTDOC, ["postdocAffiliation.supervisors"])
    row = ['[{"name": "陈导师", "role": "enterprise"}]']
    block = credential_of_row(POSTDOC, supervisors, row)["credentialSubject"]["postdocAffiliation"]
    assert block == {"supervisors": [{"name": "陈导师", "role": "enterprise"}]}


@pytest.mark.parametrize(
    ("header", "cell", "pointer"),
    [
        (
            "continuingEducation.year",
            "二〇二六",
            "/credential/credentialSubject/continuingEducation/year",
        ),
        (
            "continuingEducation.generalHours",
            "many",
            "/credential/credentialSubject/continuingEducation/generalHours",
        ),
        (
            "continuingEducation.generalHours",
            "nan",
            "/credential/credentialSubject/continuingEducation/generalHours",
        ),
        (
            "continuingEducation.courses",
            "[not json",
            "/credential/credentialSubject/continuingEducation/courses",
        ),
    ],
)
def test_a_cell_that_cannot_be_read_names_its_field_not_its_value(header, cell, pointer):
    columns = read_columns(CE, [header])
    error = _refused(lambda: credential_of_row(CE, columns, [cell]))
    assert error.code == "SHEET_CELL_INVALID"
    assert [problem.pointer for problem in error.problems] == [pointer]
    assert cell not in error.message_zh + error.message_en


def test_every_header_problem_is_reported_at_once():
    header = [
        "name",
        "professionalTitle.seris",
        "",
        "name",
        "professionalTitle",
        "professionalTitle.level",
    ]
    rows = [["a", "b", "data without a header", "c", "{}", "中级"]]
    error = _refused(lambda: read_columns(TITLE, header, rows))
    assert error.code == "SHEET_COLUMNS_INVALID"
    assert [(p.pointer, p.code) for p in error.problems] == [
        ("/columns/1", "COLUMN_UNKNOWN"),
        ("/columns/2", "COLUMN_UNNAMED"),
        ("/columns/3", "COLUMN_DUPLICATE"),
        ("/columns/5", "COLUMN_DUPLICATE"),  # professionalTitle.level lies inside professionalTitle
    ]


def test_an_empty_column_without_a_header_is_ignored():
    columns = read_columns(TITLE, ["name", ""], [["王建华", " "]])
    assert [column.header for column in columns] == ["name"]


def test_paths_must_name_fields_of_this_type():
    for header in ("professionalTitle.", "postdocAffiliation.state", "validUntil.x", "proof"):
        assert (
            _refused(lambda h=header: read_columns(TITLE, [h])).problems[0].code == "COLUMN_UNKNOWN"
        )


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_every_template_column_is_accepted_and_the_required_fields_are_there(record_type):
    template = [column for column, _ in template_columns(record_type)]
    assert len(read_columns(record_type, template)) == len(template)
    assert {"name", "validFrom", "validUntil"} <= set(template)


def test_template_columns_carry_the_schema_descriptions():
    described = dict(template_columns(TITLE))
    assert described["name"].startswith("姓名")


def test_a_problem_pointer_is_traced_back_to_its_column():
    columns = read_columns(JOINT, ["idNumber", "professionalTitle.reviewRegions"])
    assert column_of(columns, "/credential/credentialSubject/idNumber") == "idNumber"
    assert (
        column_of(columns, "/credential/credentialSubject/professionalTitle/reviewRegions/1")
        == "professionalTitle.reviewRegions"
    )
    assert column_of(columns, "/credential/credentialSubject/name") is None

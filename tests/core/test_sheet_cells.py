"""Sheet cells as clerks type them: dates in the usual Chinese forms, and long numbers
that a spreadsheet has already cut short refused with the advice to format as text."""

from __future__ import annotations

import pytest

from registry.core.errors import RegistryError
from registry.core.records.sheetrows import InexactNumber, credential_of_row, read_columns

TITLE = "ProfessionalTitleCredential"
OBTAINED_ON = "professionalTitle.obtainedOn"


def _refused(call) -> RegistryError:
    with pytest.raises(RegistryError) as caught:
        call()
    return caught.value


def _obtained_on(cell: str) -> object:
    columns = read_columns(TITLE, [OBTAINED_ON])
    credential = credential_of_row(TITLE, columns, [cell])
    return credential["credentialSubject"]["professionalTitle"]["obtainedOn"]


@pytest.mark.parametrize(
    "cell",
    [
        "2026-11-20",
        "2026/11/20",
        "2026.11.20",
        "2026年11月20日",
        "2026年11月20",
        " 2026 / 11 / 20 ",
    ],
)
def test_a_date_in_a_usual_chinese_form_is_read(cell):
    assert _obtained_on(cell) == "2026-11-20"


def test_single_digit_months_and_days_are_read():
    assert _obtained_on("2026/1/5") == "2026-01-05"


@pytest.mark.parametrize("cell", ["20/11/2026", "2026-02-30", "next week", "2026/13/01"])
def test_a_date_that_cannot_be_read_is_refused_with_the_expected_forms(cell):
    error = _refused(lambda: _obtained_on(cell))
    assert error.code == "SHEET_CELL_INVALID"
    (problem,) = error.problems
    assert problem.pointer == "/credential/credentialSubject/professionalTitle/obtainedOn"
    assert "2026/11/20" in problem.message_en and "2026年11月20日" in problem.message_zh
    assert cell not in problem.message_en


def test_validity_dates_are_the_start_and_end_of_the_day_in_china_time():
    columns = read_columns(TITLE, ["validFrom", "validUntil"])
    credential = credential_of_row(TITLE, columns, ["2026/1/1", "2030年12月31日"])
    assert credential["validFrom"] == "2026-01-01T00:00:00+08:00"
    assert credential["validUntil"] == "2030-12-31T23:59:59+08:00"


def test_a_validity_instant_with_its_offset_is_kept_and_anything_else_refused():
    columns = read_columns(TITLE, ["validFrom"])
    assert credential_of_row(TITLE, columns, ["2026-01-01T08:00:00Z"])["validFrom"] == (
        "2026-01-01T08:00:00Z"
    )
    error = _refused(lambda: credential_of_row(TITLE, columns, ["2026-01-01 08:00"]))
    assert "+08:00" in error.problems[0].message_en


@pytest.mark.parametrize("cell", ["3.10118E+17", "3.10118199003072e17", "3E+17"])
def test_an_id_number_shown_in_scientific_form_is_refused_as_lost_digits(cell):
    columns = read_columns(TITLE, ["idNumber"])
    error = _refused(lambda: credential_of_row(TITLE, columns, [cell]))
    (problem,) = error.problems
    assert problem.pointer == "/credential/credentialSubject/idNumber"
    assert "format the column as text" in problem.message_en
    assert "文本" in problem.message_zh


def test_a_number_cell_that_may_have_lost_digits_is_refused_in_a_text_field():
    columns = read_columns(TITLE, ["idNumber"])
    error = _refused(
        lambda: credential_of_row(TITLE, columns, [InexactNumber("310118199003072000")])
    )
    assert "lost its last digits" in error.problems[0].message_en


def test_the_same_digits_as_plain_text_are_kept_whole():
    columns = read_columns(TITLE, ["idNumber", "professionalTitle.certificateNumber"])
    credential = credential_of_row(TITLE, columns, ["310118199003072316", "20260001"])
    assert credential["credentialSubject"]["idNumber"] == "310118199003072316"
    assert credential["credentialSubject"]["professionalTitle"]["certificateNumber"] == "20260001"

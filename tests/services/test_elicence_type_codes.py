"""The start-up warning while any record type's licence type code is a placeholder."""

from __future__ import annotations

from registry.core.records import elicence
from registry.services.records.elicence_type_codes import (
    ELICENCE_TYPE_CODE_PLACEHOLDER,
    placeholder_type_codes_warning,
)


def test_placeholders_are_warned_about_outside_the_demo() -> None:
    warning = placeholder_type_codes_warning()
    assert warning is not None and warning.code == ELICENCE_TYPE_CODE_PLACEHOLDER
    for name in elicence.placeholder_type_codes():
        assert name in warning.message_zh and name in warning.message_en
    assert "elicenceTypeCode" in warning.message_en and "代码表" in warning.message_zh
    assert placeholder_type_codes_warning(demo=True) is None


def test_no_warning_once_every_code_is_set(monkeypatch) -> None:
    monkeypatch.setattr(elicence, "placeholder_type_codes", lambda: ())
    assert placeholder_type_codes_warning() is None

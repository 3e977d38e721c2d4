"""Licence type codes still at their placeholder (issue 19): the operator's to set.

The national e-licence identifier of every record begins with its licence type code, the
USCC of the authority that defines the licence type and a three-digit sequence. The
registry does not know the real codes of its record types, so the ``record-types`` code
list ships placeholders (``elicenceTypeCodePlaceholder``); identifiers built with them are
well formed but name no real authority, and once printed they never change. ``registry
init`` and ``serve`` therefore warn while any placeholder is in use (never for the demo,
whose records are fictional).
"""

from __future__ import annotations

from registry.core.errors import ErrorKind, RegistryError
from registry.core.records import elicence

ELICENCE_TYPE_CODE_PLACEHOLDER = "ELICENCE_TYPE_CODE_PLACEHOLDER"


def placeholder_type_codes_warning(*, demo: bool = False) -> RegistryError | None:
    """The warning to print while any record type's licence type code is a placeholder
    (``None`` for the demo, or once every code is set)."""
    placeholders = elicence.placeholder_type_codes()
    if demo or not placeholders:
        return None
    names = ", ".join(placeholders)
    return RegistryError(
        ELICENCE_TYPE_CODE_PLACEHOLDER,
        f"以下记录类型的电子证照类型代码仍是占位值：{names}。新记录的电子证照标识将带占位"
        "代码且打印后不可更改；请在代码表 record-types 中设置定义机构的21位类型代码"
        "（elicenceTypeCode）并去掉 elicenceTypeCodePlaceholder（见 README）",
        f"the e-licence type code of these record types is still a placeholder: {names}. "
        "New records' e-licence identifiers carry it, and once printed they cannot change; "
        "set each defining authority's 21-character code (elicenceTypeCode) in the "
        "record-types code list and remove elicenceTypeCodePlaceholder (see the README)",
        ErrorKind.UNAVAILABLE,
    )


__all__ = ["ELICENCE_TYPE_CODE_PLACEHOLDER", "placeholder_type_codes_warning"]

"""The range of every integer that reaches an SQL INTEGER column (registry/core/formats/ranges)."""

from __future__ import annotations

import pytest

from registry.core.errors import RegistryError
from registry.core.formats.ranges import (
    SQL_INTEGER_MAX,
    fits_integer_column,
    require_integer_column,
)


def test_the_column_range_is_zero_to_the_32_bit_maximum_by_default() -> None:
    assert SQL_INTEGER_MAX == 2**31 - 1
    assert fits_integer_column(0)
    assert fits_integer_column(SQL_INTEGER_MAX)
    assert not fits_integer_column(-1)
    assert not fits_integer_column(SQL_INTEGER_MAX + 1)


def test_a_lower_bound_can_be_raised() -> None:
    assert fits_integer_column(1, low=1)
    assert not fits_integer_column(0, low=1)


def test_a_value_in_range_is_returned_itself() -> None:
    assert require_integer_column(0, "start") == 0
    assert require_integer_column(SQL_INTEGER_MAX, "end") == SQL_INTEGER_MAX
    assert require_integer_column(1, "id", low=1) == 1


@pytest.mark.parametrize(
    ("value", "low", "message"),
    [
        (-1, 0, f"start must be between 0 and {SQL_INTEGER_MAX}"),  # below the default
        (SQL_INTEGER_MAX + 1, 0, f"start must be between 0 and {SQL_INTEGER_MAX}"),  # above
        (0, 1, f"start must be between 1 and {SQL_INTEGER_MAX}"),  # below a raised bound
    ],
    ids=["below-zero", "above-max", "below-low"],
)
def test_a_value_out_of_range_is_refused_naming_its_field(value: int, low: int, message: str):
    keywords = {"low": low} if low else {}  # 0: the default lower bound
    with pytest.raises(RegistryError) as refused:
        require_integer_column(value, "start", **keywords)
    error = refused.value
    assert error.code == "INTEGER_OUT_OF_RANGE"
    assert error.message_en == message
    assert [(p.pointer, p.code) for p in error.problems] == [("/start", "INTEGER_OUT_OF_RANGE")]

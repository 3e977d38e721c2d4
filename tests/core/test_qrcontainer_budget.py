"""The QR payload budget: a payload of at most ``MAX_SIGNED_BYTES`` signed bytes passes, one
byte more is refused with ``QR_PAYLOAD_TOO_LONG`` in both languages, naming no value."""

from __future__ import annotations

import os

import pytest

from registry.core.errors import ErrorKind, RegistryError
from registry.core.formats.qrcontainer import (
    MAX_SIGNED_BYTES,
    encode_payload,
    require_within_budget,
)


def test_the_budget_is_designs_395_bytes():
    assert MAX_SIGNED_BYTES == 395


def test_a_payload_of_exactly_the_budget_passes():
    require_within_budget(encode_payload(os.urandom(MAX_SIGNED_BYTES)))


@pytest.mark.parametrize("size", [MAX_SIGNED_BYTES + 1, 2 * MAX_SIGNED_BYTES])
def test_a_payload_over_the_budget_is_refused(size):
    signed = b"\x00" * size  # compresses to a few bytes: the signed size counts, not the text
    with pytest.raises(RegistryError) as excinfo:
        require_within_budget(encode_payload(signed))
    error = excinfo.value
    assert (error.code, error.kind, error.problems) == (
        "QR_PAYLOAD_TOO_LONG",
        ErrorKind.INVALID,
        (),
    )
    assert "395" in error.message_zh
    assert "395" in error.message_en
    assert error.message_en.isascii()

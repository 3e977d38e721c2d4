"""``require_texts``: texts over their limit are refused together, naming each field and
its limit and never the value."""

from __future__ import annotations

import pytest

from registry.core.errors import FIELD_TOO_LONG, ErrorKind, RegistryError, require_texts


def test_texts_within_their_limits_and_absent_ones_pass():
    require_texts(("/a", "x" * 10, 10), ("/b", None, 1), ("/c", "", 0))


def test_every_text_over_its_limit_is_named_with_its_limit_only():
    with pytest.raises(RegistryError) as caught:
        require_texts(("/nameZh", "秘密" * 40, 64), ("/ok", "fine", 8), ("/nameEn", "s" * 9, 8))
    error = caught.value
    assert (error.code, error.kind) == (FIELD_TOO_LONG, ErrorKind.INVALID)
    assert [(p.pointer, p.code) for p in error.problems] == [
        ("/nameZh", FIELD_TOO_LONG),
        ("/nameEn", FIELD_TOO_LONG),
    ]
    assert "64" in error.problems[0].message_zh and "64" in error.problems[0].message_en
    assert "/nameZh" in error.message_en and "8 characters" in error.message_en
    assert "秘密" not in str(error) and "sss" not in str(error)

"""Sealing personal numbers: AES-GCM round trip, tamper, wrong record, wrong or rotated key."""

from __future__ import annotations

import base64
import string

import pytest

from registry.core.errors import ErrorKind, RegistryError
from registry.core.people.sealing import Keyring, SealingKey, key_id_of, new_key_text, seal, unseal

NUMBER = "11010519491231002X"  # the worked example printed in GB 11643
RECORD = "3f2b8c1e-5d4a-4b6f-9e7d-0a1b2c3d4e5f"
KEY = base64.b64encode(bytes(range(32))).decode()
OTHER = base64.b64encode(bytes(range(1, 33))).decode()


def _code(call) -> str:
    with pytest.raises(RegistryError) as caught:
        call()
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert NUMBER not in str(caught.value)
    return caught.value.code


def test_round_trip_with_a_versioned_format_and_fresh_nonces() -> None:
    keyring = Keyring.from_setting(KEY)
    first = seal(keyring.current, NUMBER, RECORD)
    second = seal(keyring.current, NUMBER, RECORD)
    assert first != second  # a random nonce each time
    version, key_id, body = first.split(".")
    assert (version, key_id, key_id_of(first)) == ("s1", keyring.current.key_id, key_id)
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert len(raw) == 12 + len(NUMBER) + 16  # nonce, ciphertext, tag
    assert NUMBER not in first and NUMBER.encode() not in raw
    assert unseal(keyring, first, RECORD) == NUMBER
    assert unseal(keyring, second, RECORD) == NUMBER


def test_any_changed_character_fails_to_open() -> None:
    keyring = Keyring.from_setting(KEY)
    sealed = seal(keyring.current, NUMBER, RECORD)
    prefix = len("s1.") + 8 + 1
    for position in range(prefix, len(sealed)):
        replacement = "A" if sealed[position] != "A" else "B"
        changed = sealed[:position] + replacement + sealed[position + 1 :]
        assert _code(lambda c=changed: unseal(keyring, c, RECORD)) == "SEALED_DATA_INVALID"
    assert _code(lambda: unseal(keyring, sealed + "A", RECORD)) == "SEALED_DATA_INVALID"
    assert _code(lambda: unseal(keyring, sealed[:-1], RECORD)) == "SEALED_DATA_INVALID"


def test_another_records_row_or_a_relabelled_key_fails() -> None:
    keyring = Keyring.from_setting(f"{KEY},{OTHER}")
    sealed = seal(keyring.current, NUMBER, RECORD)
    assert _code(lambda: unseal(keyring, sealed, RECORD.replace("3f", "4f"))) == (
        "SEALED_DATA_INVALID"
    )
    other_id = keyring.retired[0].key_id
    relabelled = sealed.replace(keyring.current.key_id, other_id, 1)
    assert _code(lambda: unseal(keyring, relabelled, RECORD)) == "SEALED_DATA_INVALID"
    assert _code(lambda: unseal(keyring, "not sealed", RECORD)) == "SEALED_DATA_INVALID"
    assert _code(lambda: unseal(keyring, "s2." + sealed[3:], RECORD)) == "SEALED_DATA_INVALID"


def test_wrong_key_and_rotation() -> None:
    old = Keyring.from_setting(KEY)
    sealed = seal(old.current, NUMBER, RECORD)
    assert _code(lambda: unseal(Keyring.from_setting(OTHER), sealed, RECORD)) == "ID_KEY_UNKNOWN"
    rotated = Keyring.from_setting(f"{OTHER}, {KEY}")  # new key first, old one retired
    assert rotated.current.key_id != old.current.key_id
    assert rotated.key_ids == (rotated.current.key_id, old.current.key_id)
    assert unseal(rotated, sealed, RECORD) == NUMBER
    resealed = seal(rotated.current, unseal(rotated, sealed, RECORD), RECORD)
    assert key_id_of(resealed) == rotated.current.key_id


@pytest.mark.parametrize("text", ["", " , ", "c2hvcnQ=", "not base64!", KEY + "AAAA"])
def test_bad_key_settings_are_refused_clearly(text: str) -> None:
    assert _code(lambda: Keyring.from_setting(text)) == "ID_KEY_INVALID"


def test_keys_never_show_their_secret() -> None:
    key = SealingKey.from_base64(KEY)
    assert KEY not in repr(key) and repr(key) == f"SealingKey(key_id={key.key_id!r})"
    assert SealingKey.from_base64(KEY.replace("+", "-").replace("/", "_").rstrip("=")) == key
    assert len(base64.b64decode(new_key_text())) == 32


def _raw(sealed: str) -> bytes:
    body = sealed.split(".")[2]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def test_another_encoding_of_the_same_bytes_fails_to_open() -> None:
    """Only the canonical base64url form is read: flipping an unused trailing bit of the last
    character keeps the bytes, and is still refused."""
    keyring = Keyring.from_setting(KEY)
    sealed = seal(keyring.current, NUMBER, RECORD)
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    changed = sealed[:-1] + alphabet[alphabet.index(sealed[-1]) ^ 1]
    assert changed != sealed and _raw(changed) == _raw(sealed)
    assert _code(lambda: unseal(keyring, changed, RECORD)) == "SEALED_DATA_INVALID"

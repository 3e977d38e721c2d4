"""The registry's own keys are created once, however many workers create them at once:
every creator ends up with the same current key, and the store holds one."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import select

from registry.services.runtime import systemkeys
from registry.services.runtime.keystore import kid_of
from registry.services.runtime.systemkeys import LOG, TRUST_ROOT, signing_key
from registry.storage.system_keys import SystemKeyRepository
from registry.storage.tables import SystemKeyRow

NOW = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
CREATORS = 6


def _rows(registry, purpose: str) -> list[SystemKeyRow]:
    with registry.reading() as session:
        return list(session.exec(select(SystemKeyRow).where(SystemKeyRow.purpose == purpose)))


def test_creators_racing_for_the_first_key_all_get_one_key(registry, monkeypatch):
    # Every creator reads "no key yet" before any of them writes: the race of several
    # workers signing their first trust list at once.
    barrier = threading.Barrier(CREATORS, timeout=30)

    def absent_for_everyone(session: object, purpose: str) -> None:
        barrier.wait()  # and then, for everyone, no key

    monkeypatch.setattr(systemkeys, "current_row", absent_for_everyone)

    def create(_: int) -> tuple[str, bytes]:
        with registry.transaction() as session:
            key, private = signing_key(session, registry.keystore, TRUST_ROOT, NOW)
        return key.kid, private.sign(b"trust list")

    with ThreadPoolExecutor(CREATORS) as pool:
        answers = list(pool.map(create, range(CREATORS)))
    monkeypatch.undo()

    assert len({kid for kid, _ in answers}) == 1
    rows = _rows(registry, TRUST_ROOT)
    assert len(rows) == 1 and rows[0].kid == answers[0][0]
    with registry.transaction() as session:
        key, _ = signing_key(session, registry.keystore, TRUST_ROOT, NOW)
    for _, signature in answers:  # each creator signs with the stored key's private part
        key.public_key.verify(signature, b"trust list")


def test_a_key_created_meanwhile_wins_over_ours(registry):
    first, second = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    made = []
    for private in (first, second):
        with registry.transaction() as session:
            row = SystemKeyRepository(session).create_unless_current(
                LOG,
                kid=kid_of(private.public_key()).hex(),
                public_multikey=systemkeys.public_multikey(private.public_key()),
                encrypted_private_key=registry.keystore.encrypt(private),
                created_at=NOW,
            )
            made.append(row.kid)
    assert made == [kid_of(first.public_key()).hex()] * 2
    assert [row.kid for row in _rows(registry, LOG)] == made[:1]


def test_a_retired_key_makes_way_for_a_new_one(registry):
    with registry.transaction() as session:
        old, _ = signing_key(session, registry.keystore, LOG, NOW)
    with registry.transaction() as session:
        row = SystemKeyRepository(session).current(LOG)
        assert row is not None
        row.retired_at = NOW
        session.add(row)
    with registry.transaction() as session:
        new, _ = signing_key(session, registry.keystore, LOG, NOW)
    assert new.kid != old.kid
    assert sorted(row.retired_at is None for row in _rows(registry, LOG)) == [False, True]

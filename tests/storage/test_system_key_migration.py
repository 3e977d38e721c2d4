"""Revision 0012: a store where two workers each created a key for one purpose keeps the
newest as current (the one readers already picked) and retires the other; afterwards a
second current key for a purpose cannot be stored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from registry.storage.engine import create_registry_engine, migrate
from tests.support.migrations import upgrade_to

INSERT = text(
    "insert into system_key (purpose, kid, public_multikey, encrypted_private_key, created_at)"
    " values (:purpose, :kid, 'z6Mk', 'sealed', :at)"
)
AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_duplicates_keep_the_newest_and_no_new_duplicate_is_stored(database_url):
    engine = create_registry_engine(database_url)
    upgrade_to(engine, "0011")
    with engine.begin() as connection:
        for kid in ("aa01", "aa02"):
            connection.execute(INSERT, {"purpose": "trust-root", "kid": kid, "at": AT})
        connection.execute(INSERT, {"purpose": "log", "kid": "bb01", "at": AT})
    migrate(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text("select kid, retired_at is null from system_key order by id")
        ).all()
    assert [(kid, bool(current)) for kid, current in rows] == [
        ("aa01", False),
        ("aa02", True),
        ("bb01", True),
    ]
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(INSERT, {"purpose": "log", "kid": "bb02", "at": AT})
    engine.dispose()

"""Readiness: whether this process can serve requests now (``/readyz``).

Liveness (``/healthz``) needs nothing; readiness asks the database for one row, opens
the registry's current signing key with the passphrase (once per process: the key store
caches it) and makes sure the secrets that matching and sealing need are present. Every
failure is a ``RegistryError`` of kind ``UNAVAILABLE`` (503) with a bilingual reason that
names the part, never a connection string or a secret.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from registry.core.errors import ErrorKind, RegistryError
from registry.services.runtime.context import Registry
from registry.services.runtime.systemkeys import PURPOSES, current_row
from registry.storage.health import store_answers

log = logging.getLogger("registry.readiness")


def database_unreachable() -> RegistryError:
    """The database did not answer."""
    return RegistryError(
        "DATABASE_UNREACHABLE",
        "数据库无法连接，服务暂不可用",
        "the database cannot be reached: the registry is not ready",
        ErrorKind.UNAVAILABLE,
    )


def check_store(registry: Registry) -> None:
    """The database answers a trivial query."""
    try:
        store_answers(registry.engine)
    except (SQLAlchemyError, OSError) as error:
        log.warning("readiness: database unreachable (%s)", type(error).__name__)
        raise database_unreachable() from error


def check_keys(registry: Registry) -> None:
    """The secrets are present and the registry's current signing keys open with the
    passphrase (a key not yet created is created on first use, so it is not missing)."""
    _ = registry.hash_key, registry.id_keyring  # REGISTRY_NOT_INITIALISED when absent
    try:
        with Session(registry.engine) as session:
            rows = [current_row(session, purpose) for purpose in PURPOSES]
    except (SQLAlchemyError, OSError) as error:
        raise database_unreachable() from error
    for row in rows:
        if row is not None:
            registry.keystore.decrypt(row.kid, row.encrypted_private_key)


def check_ready(registry: Registry) -> None:
    """Everything ``/readyz`` checks in the process itself (Redis is the HTTP tier's)."""
    check_store(registry)
    check_keys(registry)


__all__ = ["check_keys", "check_ready", "check_store", "database_unreachable"]

"""The registry's runtime: settings, database engine and key store, opened once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from registry.core.errors import ErrorKind, RegistryError
from registry.core.people.sealing import Keyring
from registry.core.records.credential import RegistryUrls
from registry.services.runtime.keystore import KeyStore
from registry.settings import Settings
from registry.storage.engine import create_registry_engine, migrate, writing_engine


def not_initialised(what: str) -> RegistryError:
    """The error for a registry missing a secret or its schema."""
    return RegistryError(
        "REGISTRY_NOT_INITIALISED",
        f"登记系统尚未初始化（缺少{what}），请先运行 registry init",
        f"the registry is not initialised ({what} missing): run `registry init` first",
        ErrorKind.UNAVAILABLE,
    )


@dataclass
class Registry:
    """Everything a use case needs; built once per process from the settings."""

    settings: Settings
    engine: Engine
    keystore: KeyStore
    urls: RegistryUrls = field(init=False)

    def __post_init__(self) -> None:
        self.urls = RegistryUrls(self.settings.base_url)

    @classmethod
    def open(cls, settings: Settings, *, migrate_schema: bool = True) -> Registry:
        """Connect to the store named by the settings and bring its schema up to date."""
        engine = create_registry_engine(settings.database_url)
        if migrate_schema:
            migrate(engine)
        passphrase = settings.key_passphrase.encode() if settings.key_passphrase else None
        previous = settings.key_passphrase_previous
        keystore = KeyStore(passphrase, previous.encode() if previous else None)
        return cls(settings=settings, engine=engine, keystore=keystore)

    @cached_property
    def writer(self) -> Engine:
        """The engine of ``transaction``: same pool, transactions that write."""
        return writing_engine(self.engine)

    @property
    def hash_key(self) -> bytes:
        """The keyed-hash secret for ID-number matching."""
        if not self.settings.hash_key:
            raise not_initialised("REGISTRY_HASH_KEY")
        return self.settings.hash_key

    @cached_property
    def id_keyring(self) -> Keyring:
        """The keys that seal ID and passport numbers at rest (``REGISTRY_ID_KEY``)."""
        if not self.settings.id_key:
            raise not_initialised("REGISTRY_ID_KEY")
        return Keyring.from_setting(self.settings.id_key)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or not at all (on SQLite it holds
        the write lock from its first statement)."""
        with Session(self.writer, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A Core connection in a writing transaction, for hot paths that write a row or
        two with prepared statements and need no ORM session; committed on exit."""
        with self.writer.begin() as connection:
            yield connection

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

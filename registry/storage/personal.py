"""Repositories of personal data around records: sealed numbers, the access log, holder
links, and records found by their national e-licence identifier."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, exists, or_
from sqlalchemy import insert as sa_insert
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlmodel import Session, col, select

from registry.storage.raw import HeldConnections, committed_rows
from registry.storage.tables import (
    CredentialRow,
    HolderLinkRow,
    PersonalNumberRow,
    RecordAccessRow,
)

_PERSONAL_NUMBER: Table = PersonalNumberRow.__table__  # type: ignore[attr-defined]
_INSERT_PERSONAL_NUMBER = sa_insert(_PERSONAL_NUMBER)
_ACCESS: Table = RecordAccessRow.__table__  # type: ignore[attr-defined]
_CREDENTIAL: Table = CredentialRow.__table__  # type: ignore[attr-defined]
ACCESS_COLUMNS = (
    "record_id",
    "token_id",
    "client_name",
    "client_role",
    "region_code",
    "action",
    "purpose",
    "outcome",
    "created_at",
)
# One prepared statement: the access-log row goes in only when the record is held, so a
# check is logged (or not) in a single round trip, with no ORM object or flush.
_LOG_IF_HELD = (
    sa_insert(_ACCESS)
    .from_select(
        list(ACCESS_COLUMNS),
        sa_select(*(bindparam(name, type_=_ACCESS.c[name].type) for name in ACCESS_COLUMNS)).where(
            exists().where(_CREDENTIAL.c.id == bindparam("record_id"))
        ),
    )
    .returning(_ACCESS.c.id)
)  # rowcount of INSERT ... SELECT is not reliable on every driver


# ``_LOG_IF_HELD`` compiled once per dialect: its SQL, its positional parameter names
# (``None`` for a named style) and the bind processors of its columns (a datetime becomes
# the text SQLAlchemy stores on SQLite), so the row is stored exactly as through Core.
_compiled_log: dict[type[Dialect], tuple[str, list[str] | None, dict[str, Any]]] = {}


def _log_statement(dialect: Dialect) -> tuple[str, list[str] | None, dict[str, Any]]:
    found = _compiled_log.get(type(dialect))
    if found is None:
        compiled = _LOG_IF_HELD.compile(dialect=dialect)
        processors = {
            name: processor
            for name in ACCESS_COLUMNS
            if (processor := _ACCESS.c[name].type.dialect_impl(dialect).bind_processor(dialect))
            is not None
        }
        found = (compiled.string, compiled.positiontup, processors)
        _compiled_log[type(dialect)] = found
    return found


def log_access_committed(engine: Engine, values: Mapping[str, Any]) -> bool:
    """Insert one access-log row (``ACCESS_COLUMNS``) if the registry holds its record and
    commit it, in one statement on a driver connection; whether it was logged."""
    sql, order, processors = _log_statement(engine.dialect)
    bound = {
        name: processors[name](value) if name in processors else value
        for name, value in values.items()
    }
    parameters = bound if order is None else tuple(bound[name] for name in order)
    if HeldConnections.suits(engine):
        logged = _committed_at_once(engine, sql, parameters)
        if logged is not None:
            return logged
    return bool(committed_rows(engine, sql, parameters))


# SQLite file stores: driver connections detached from the pool and kept for the access
# log's commits, one per concurrent writer, with ``busy_timeout=0``. The pool's checkout
# and reset, and switching the busy timeout off and on around each commit of a check on
# the event loop, cost a check more than SQLite's own insert and commit (≈ 40 µs). A held
# connection never waits for the write lock: when another writer holds it, the row goes
# through ``committed_rows``, which waits, or refuses at once under ``without_waiting``.
_writers = HeldConnections(setup="PRAGMA busy_timeout=0")


def _committed_at_once(engine: Engine, sql: str, parameters: Any) -> bool | None:
    """Insert and commit on a held connection if the write lock is free at once: whether
    a row went in, or ``None`` when another writer held the lock (nothing was done)."""
    connection, spare = _writers.take(engine)
    try:
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # "database is locked": another writer's turn
            spare.append(connection)
            return None
        try:
            rows = connection.execute(sql, parameters).fetchall()
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    except BaseException:
        connection.close()
        raise
    spare.append(connection)
    return bool(rows)


def read_where_logged(engine: Engine, sql: str, parameters: tuple[Any, ...]) -> list[Any] | None:
    """Run one small read on a connection the access log keeps (autocommit: it sees the
    newest commit), or ``None`` when there is none free or it could not read at once.

    The partner check's token read goes here: after a check's commit, another
    connection's page cache is stale and the read costs it several times as much."""
    spare = _writers.spare(engine)
    if not spare:
        return None
    try:
        connection = spare.pop()
    except IndexError:
        return None
    try:
        rows = connection.execute(sql, parameters).fetchall()
    except sqlite3.OperationalError:  # busy (a checkpoint, a recovery): read elsewhere
        spare.append(connection)
        return None
    spare.append(connection)
    return list(rows)


def log_access_if_held(connection: Connection, values: Mapping[str, Any]) -> bool:
    """Insert one access-log row (``ACCESS_COLUMNS``) in the connection's transaction if
    the registry holds its record; whether it did."""
    return connection.execute(_LOG_IF_HELD, dict(values)).first() is not None


def record_id_by_elicence_id(session: Session, electronic_licence_id: str) -> str | None:
    """The record id behind a national e-licence identifier, if one is stored (in the
    national form, or in the earlier form a record issued before migration 0011 carries)."""
    query = select(CredentialRow.id).where(
        or_(
            col(CredentialRow.electronic_licence_id) == electronic_licence_id,
            col(CredentialRow.legacy_electronic_licence_id) == electronic_licence_id,
        )
    )
    found = session.exec(query).first()
    return str(found) if found is not None else None


def elicence_id_of(session: Session, record_id: str) -> str | None:
    """The national e-licence identifier of a record, if it has one."""
    query = select(CredentialRow.electronic_licence_id).where(CredentialRow.id == record_id)
    found = session.exec(query).first()
    return str(found) if found is not None else None


class PersonalNumberRepository:
    """Sealed ID and passport numbers, by record."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_all(self, rows: Sequence[PersonalNumberRow]) -> None:
        """Store a record's numbers, or a session chunk's, in the caller's transaction with
        one Core INSERT: this is on the issuance hot path, where ORM objects and a flush
        cost a record 0.5 ms."""
        if not rows:
            return
        values = [row.model_dump(exclude={"id"}) for row in rows]
        self.session.connection().execute(_INSERT_PERSONAL_NUMBER, values)

    def of_record(self, record_id: str) -> Sequence[PersonalNumberRow]:
        """A record's numbers, holder's first, in pointer order."""
        query = (
            select(PersonalNumberRow)
            .where(PersonalNumberRow.record_id == record_id)
            .order_by(col(PersonalNumberRow.holder).desc(), col(PersonalNumberRow.pointer))
        )
        return self.session.exec(query).all()

    def holder_digests(self, record_id: str) -> Sequence[str]:
        """Keyed digests of the holder's own numbers (ID number, passport)."""
        query = select(PersonalNumberRow.digest).where(
            PersonalNumberRow.record_id == record_id, col(PersonalNumberRow.holder).is_(True)
        )
        return self.session.exec(query).all()

    def all(self) -> Sequence[PersonalNumberRow]:
        """Every sealed number (for re-sealing under a new key)."""
        return self.session.exec(
            select(PersonalNumberRow).order_by(col(PersonalNumberRow.id))
        ).all()


class RecordAccessRepository:
    """Who checked which record, when and why."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: RecordAccessRow) -> RecordAccessRow:
        """Log one check."""
        self.session.add(row)
        self.session.flush()
        return row

    def of_record(self, record_id: str, limit: int) -> Sequence[RecordAccessRow]:
        """The latest checks of a record, newest first."""
        query = (
            select(RecordAccessRow)
            .where(RecordAccessRow.record_id == record_id)
            .order_by(col(RecordAccessRow.created_at).desc(), col(RecordAccessRow.id).desc())
            .limit(limit)
        )
        return self.session.exec(query).all()


class HolderLinkRepository:
    """Holders' personal access links, found by the hash of their token."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: HolderLinkRow) -> HolderLinkRow:
        """Store a new link."""
        self.session.add(row)
        self.session.flush()
        return row

    def by_token_hash(self, token_hash: str) -> HolderLinkRow | None:
        """The link whose token has this hash (revoked or not)."""
        query = select(HolderLinkRow).where(HolderLinkRow.token_hash == token_hash)
        return self.session.exec(query).first()

    def active_of_record(self, record_id: str) -> Sequence[HolderLinkRow]:
        """A record's links that still work."""
        query = select(HolderLinkRow).where(
            HolderLinkRow.record_id == record_id, col(HolderLinkRow.revoked_at).is_(None)
        )
        return self.session.exec(query).all()


__all__ = [
    "ACCESS_COLUMNS",
    "HolderLinkRepository",
    "PersonalNumberRepository",
    "RecordAccessRepository",
    "elicence_id_of",
    "log_access_committed",
    "log_access_if_held",
    "read_where_logged",
    "record_id_by_elicence_id",
]

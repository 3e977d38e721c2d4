"""Repositories: every query the registry runs lives here, turning rows into values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Table, bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from registry.core.formats.ranges import fits_integer_column
from registry.storage.prepared import PreparedInsert
from registry.storage.tables import (
    ApiTokenRow,
    CredentialRow,
    IssuerRow,
    RegionRow,
    SigningKeyRow,
)

_ISSUER: Table = IssuerRow.__table__  # type: ignore[attr-defined]
_KEY: Table = SigningKeyRow.__table__  # type: ignore[attr-defined]
_CREDENTIAL: Table = CredentialRow.__table__  # type: ignore[attr-defined]
_INSERT_NEW_CREDENTIAL = PreparedInsert(_CREDENTIAL, skip_taken=True)
_BY_IDEMPOTENCY_KEY = sa_select(_CREDENTIAL).where(
    _CREDENTIAL.c.issuer_id == bindparam("issuer_id"),
    _CREDENTIAL.c.idempotency_key == bindparam("key"),
)
_KEYS_TAKEN = (
    sa_select(_CREDENTIAL.c.idempotency_key)
    .select_from(_CREDENTIAL.join(_ISSUER, _ISSUER.c.id == _CREDENTIAL.c.issuer_id))
    .where(
        _ISSUER.c.uscc == bindparam("uscc"),
        _CREDENTIAL.c.idempotency_key.in_(bindparam("keys", expanding=True)),
    )
)
_ISSUER_WITH_KEY = (
    sa_select(
        *[c.label(f"i_{c.name}") for c in _ISSUER.c],
        *[c.label(f"k_{c.name}") for c in _KEY.c],
    )
    .select_from(
        _ISSUER.outerjoin(_KEY, (_KEY.c.issuer_id == _ISSUER.c.id) & (_KEY.c.state == "active"))
    )
    .where(_ISSUER.c.uscc == bindparam("uscc"))
    .order_by(_KEY.c.id.desc())
    .limit(1)
)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; the registry stores UTC, so say so."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class RegionRepository:
    """Regions (GB/T 2260 divisions)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, code: str) -> RegionRow | None:
        """The region with this division code."""
        return self.session.get(RegionRow, code)

    def all(self) -> Sequence[RegionRow]:
        """Every region, by code."""
        return self.session.exec(select(RegionRow).order_by(col(RegionRow.code))).all()

    def add(self, row: RegionRow) -> RegionRow:
        """Store a new region."""
        self.session.add(row)
        self.session.flush()
        return row


class IssuerRepository:
    """Issuing organisations."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_uscc(self, uscc: str) -> IssuerRow | None:
        """The issuer with this USCC."""
        return self.session.exec(select(IssuerRow).where(IssuerRow.uscc == uscc)).first()

    def with_signing_key(self, uscc: str) -> tuple[IssuerRow | None, SigningKeyRow | None]:
        """An issuer and its newest active key, in one Core query (the issuance hot path)."""
        found = self.session.connection().execute(_ISSUER_WITH_KEY, {"uscc": uscc}).first()
        if found is None:
            return None, None
        values = found._mapping
        issuer = IssuerRow.model_construct(**{c.name: values[f"i_{c.name}"] for c in _ISSUER.c})
        if values["k_id"] is None:
            return issuer, None
        key = SigningKeyRow.model_construct(**{c.name: values[f"k_{c.name}"] for c in _KEY.c})
        return issuer, key

    def by_id(self, issuer_id: int) -> IssuerRow | None:
        """The issuer with this row id (none past the column's range)."""
        if not fits_integer_column(issuer_id):
            return None
        return self.session.get(IssuerRow, issuer_id)

    def all(self) -> Sequence[IssuerRow]:
        """Every issuer, by USCC."""
        return self.session.exec(select(IssuerRow).order_by(col(IssuerRow.uscc))).all()

    def in_region(self, region: str, kind: str) -> Sequence[IssuerRow]:
        """Issuers of one kind in one region."""
        query = (
            select(IssuerRow)
            .where(IssuerRow.region_code == region, IssuerRow.kind == kind)
            .order_by(col(IssuerRow.uscc))
        )
        return self.session.exec(query).all()

    def add(self, row: IssuerRow) -> IssuerRow:
        """Store a new issuer."""
        self.session.add(row)
        self.session.flush()
        return row


class SigningKeyRepository:
    """Issuer keys; none is ever deleted."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_kid(self, kid: str) -> SigningKeyRow | None:
        """The key with this key id (hex)."""
        return self.session.exec(select(SigningKeyRow).where(SigningKeyRow.kid == kid)).first()

    def for_issuer(self, issuer_id: int) -> Sequence[SigningKeyRow]:
        """An issuer's keys, oldest first."""
        query = (
            select(SigningKeyRow)
            .where(SigningKeyRow.issuer_id == issuer_id)
            .order_by(col(SigningKeyRow.id))
        )
        return self.session.exec(query).all()

    def all(self) -> Sequence[SigningKeyRow]:
        """Every key, oldest first."""
        return self.session.exec(select(SigningKeyRow).order_by(col(SigningKeyRow.id))).all()

    def signing_key_of(self, issuer_id: int) -> SigningKeyRow | None:
        """The newest active key of an issuer: the one that signs now."""
        query = (
            select(SigningKeyRow)
            .where(SigningKeyRow.issuer_id == issuer_id, SigningKeyRow.state == "active")
            .order_by(col(SigningKeyRow.id).desc())
        )
        return self.session.exec(query).first()

    def add(self, row: SigningKeyRow) -> SigningKeyRow:
        """Store a new key."""
        self.session.add(row)
        self.session.flush()
        return row


class TokenRepository:
    """API tokens, found by the hash of their secret."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def with_issuer(self, token_hash: str) -> tuple[ApiTokenRow | None, str | None]:
        """A token and the USCC of the issuer it is bound to, in one query."""
        query = (
            select(ApiTokenRow, IssuerRow.uscc)
            .join(IssuerRow, col(IssuerRow.id) == col(ApiTokenRow.issuer_id), isouter=True)
            .where(ApiTokenRow.token_hash == token_hash)
        )
        found = self.session.exec(query).first()
        return (found[0], found[1]) if found else (None, None)

    def all(self) -> Sequence[ApiTokenRow]:
        """Every token (hashes only), oldest first."""
        return self.session.exec(select(ApiTokenRow).order_by(col(ApiTokenRow.id))).all()

    def get(self, token_id: int) -> ApiTokenRow | None:
        """The token with this row id (none past the column's range)."""
        if not fits_integer_column(token_id):
            return None
        return self.session.get(ApiTokenRow, token_id)

    def add(self, row: ApiTokenRow) -> ApiTokenRow:
        """Store a new token."""
        self.session.add(row)
        self.session.flush()
        return row


class CredentialRepository:
    """Issued records."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, record_id: str) -> CredentialRow | None:
        """The record with this id."""
        return self.session.get(CredentialRow, record_id)

    def by_idempotency_key(self, issuer_id: int, key: str) -> CredentialRow | None:
        """A record an issuer already created under this idempotency key (every issuance
        with a key and every review-session row asks: one prepared Core statement, the row
        built without validation)."""
        found = (
            self.session.connection()
            .execute(_BY_IDEMPOTENCY_KEY, {"issuer_id": issuer_id, "key": key})
            .first()
        )
        if found is None:
            return None
        return CredentialRow.model_construct(**found._mapping)

    def idempotency_keys_taken(self, issuer_uscc: str, keys: Sequence[str]) -> set[str]:
        """Which of these idempotency keys the issuer's records already hold (one query
        for a chunk of review-session rows)."""
        if not keys:
            return set()
        rows = self.session.connection().execute(_KEYS_TAKEN, {"uscc": issuer_uscc, "keys": keys})
        return {str(key) for (key,) in rows}

    def of_holder(self, digest: str, record_type: str) -> list[tuple[CredentialRow, IssuerRow]]:
        """Every record of one type whose holder has this ID-number digest, whatever its
        status, with its issuer."""
        query = (
            select(CredentialRow, IssuerRow)
            .join(IssuerRow, col(IssuerRow.id) == col(CredentialRow.issuer_id))
            .where(
                CredentialRow.id_number_digest == digest,
                CredentialRow.record_type == record_type,
            )
            .order_by(col(CredentialRow.issued_at))
        )
        return [(row, issuer) for row, issuer in self.session.exec(query).all()]

    def add_unless_taken(self, row: CredentialRow) -> bool:
        """Store a new record unless a unique value of it (id, status index, e-licence id,
        idempotency key) is already taken; True when stored. One Core ``INSERT ... ON
        CONFLICT DO NOTHING`` on the driver (the issuance hot path): a clash needs no
        savepoint."""
        values = {c.name: getattr(row, c.name) for c in _CREDENTIAL.c}
        return _INSERT_NEW_CREDENTIAL.add(self.session, values)


__all__ = [
    "CredentialRepository",
    "IntegrityError",
    "IssuerRepository",
    "RegionRepository",
    "SigningKeyRepository",
    "TokenRepository",
    "as_utc",
]

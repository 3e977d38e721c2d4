"""SQLModel tables. Schema changes go through Alembic migrations in ``migrations/``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def _utc_column(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_column=Column(DateTime(timezone=True), nullable=nullable, index=index),
    )


class RegionRow(SQLModel, table=True):
    """An administrative division taking part in the registry (GB/T 2260 code)."""

    __tablename__ = "region"

    code: str = Field(primary_key=True, max_length=6)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=128)


class IssuerRow(SQLModel, table=True):
    """An organisation that issues records, identified by its USCC."""

    __tablename__ = "issuer"

    id: int | None = Field(default=None, primary_key=True)
    uscc: str = Field(max_length=18, unique=True, index=True)
    name_zh: str = Field(max_length=128)
    name_en: str = Field(max_length=256)
    region_code: str = Field(foreign_key="region.code", max_length=6)
    kind: str = Field(max_length=32)
    record_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _utc_column()


class SigningKeyRow(SQLModel, table=True):
    """An issuer's Ed25519 key: public part in clear, private part as encrypted PKCS#8."""

    __tablename__ = "signing_key"

    id: int | None = Field(default=None, primary_key=True)
    kid: str = Field(max_length=32, unique=True, index=True)
    issuer_id: int = Field(foreign_key="issuer.id", index=True)
    public_multikey: str = Field(max_length=64)
    encrypted_private_key: str = Field(sa_column=Column(Text, nullable=False))
    state: str = Field(default="active", max_length=16)
    valid_from: datetime = _utc_column()
    valid_until: datetime | None = _utc_column(nullable=True)
    compromised_at: datetime | None = _utc_column(nullable=True)
    created_at: datetime = _utc_column()


class ApiTokenRow(SQLModel, table=True):
    """A bearer token, stored only as its SHA-256 hash."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    role: str = Field(max_length=16)
    issuer_id: int | None = Field(default=None, foreign_key="issuer.id")
    region_code: str | None = Field(default=None, foreign_key="region.code", max_length=6)
    name: str = Field(default="", max_length=128)
    created_at: datetime = _utc_column()
    revoked_at: datetime | None = _utc_column(nullable=True)


class CredentialRow(SQLModel, table=True):
    """An issued record: the signed credential, its QR payload and its live status."""

    __tablename__ = "credential"
    __table_args__ = (
        UniqueConstraint("issuer_id", "status_list_index", name="uq_credential_status_index"),
        UniqueConstraint("issuer_id", "idempotency_key", name="uq_credential_idempotency"),
    )

    id: str = Field(primary_key=True, max_length=36)
    issuer_id: int = Field(foreign_key="issuer.id", index=True)
    record_type: str = Field(max_length=64)
    issued_at: datetime = _utc_column()
    valid_from: datetime = _utc_column()
    valid_until: datetime | None = _utc_column(nullable=True)
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    qr_payload: str = Field(sa_column=Column(Text, nullable=False))
    id_number_digest: str = Field(max_length=64, index=True)
    status: str = Field(default="active", max_length=16)
    status_list_index: int
    idempotency_key: str | None = Field(default=None, max_length=128)
    request_digest: str = Field(max_length=64)


class LogEntryRow(SQLModel, table=True):
    """One leaf of the transparency log; ``seq`` runs 0, 1, 2, ... without gaps."""

    __tablename__ = "log_entry"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    leaf: bytes
    leaf_hash: bytes
    kind: str = Field(max_length=32)
    record_id: str | None = Field(default=None, max_length=36, index=True)
    issuer_uscc: str = Field(max_length=18)
    created_at: datetime = _utc_column()


class SystemKeyRow(SQLModel, table=True):
    """A key of the registry itself (the log key, the trust-list root key), not an issuer's."""

    __tablename__ = "system_key"

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=32, index=True)
    kid: str = Field(max_length=32, unique=True)
    public_multikey: str = Field(max_length=64)
    encrypted_private_key: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _utc_column()
    retired_at: datetime | None = _utc_column(nullable=True)

"""SQLModel tables. Schema changes go through Alembic migrations in ``migrations/``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text, UniqueConstraint, text
from sqlalchemy.orm import configure_mappers
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
    jurisdiction: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


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
    # A partner's statutory basis for seeing masked ID numbers; none means match only.
    statutory_basis: str | None = Field(default=None, max_length=256)


class CredentialRow(SQLModel, table=True):
    """An issued record: the signed credential, its QR payload and its live status."""

    __tablename__ = "credential"
    __table_args__ = (
        UniqueConstraint("issuer_id", "status_list_index", name="uq_credential_status_index"),
        UniqueConstraint("issuer_id", "idempotency_key", name="uq_credential_idempotency"),
        Index("ix_credential_issuer_status", "issuer_id", "status"),
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
    # The national e-licence identifier (GB/T 36904), an alternative id of the record.
    electronic_licence_id: str | None = Field(default=None, max_length=96, unique=True, index=True)
    # The registry's earlier-form identifier of a record issued before migration 0011 (its
    # signed credential carries it): it keeps naming the record.
    legacy_electronic_licence_id: str | None = Field(
        default=None, max_length=96, unique=True, index=True
    )
    # Lifecycle (migration 0006): the reason code of the current status, and the versions
    # an amendment links (the record this one replaced, the record that replaced it).
    status_reason: str | None = Field(default=None, max_length=32)
    supersedes: str | None = Field(default=None, max_length=36)
    superseded_by: str | None = Field(default=None, max_length=36)


class StatusChangeRow(SQLModel, table=True):
    """One change of a record's status: who, when, from what to what, and why.

    Append-only: a reinstatement is a new row, never the deletion of a suspension.
    """

    __tablename__ = "status_change"
    # An issuer's latest change is one probe: the status-list publisher's change marker.
    __table_args__ = (Index("ix_status_change_issuer_change", "issuer_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: str = Field(foreign_key="credential.id", max_length=36, index=True)
    issuer_id: int = Field(foreign_key="issuer.id")
    action: str = Field(max_length=16)
    from_status: str = Field(max_length=16)
    to_status: str = Field(max_length=16)
    reason: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    related_record_id: str | None = Field(default=None, max_length=36)
    token_id: int | None = Field(default=None, foreign_key="api_token.id")
    actor: str = Field(max_length=160)
    at: datetime = _utc_column()


class PersonalNumberRow(SQLModel, table=True):
    """An ID or passport number named in a record: sealed (AES-GCM, ``core.people.sealing``) and
    as a keyed digest for matching. The plain number is stored nowhere."""

    __tablename__ = "personal_number"
    __table_args__ = (UniqueConstraint("record_id", "pointer", name="uq_personal_number_pointer"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: str = Field(foreign_key="credential.id", max_length=36, index=True)
    pointer: str = Field(max_length=256)
    kind: str = Field(max_length=32)
    holder: bool
    digest: str = Field(max_length=64, index=True)
    sealed: str = Field(sa_column=Column(Text, nullable=False))


class RecordAccessRow(SQLModel, table=True):
    """One check of a record by a partner (or on the public page): who, why, when, answer.

    The holder reads these through their personal access link (``holder_link``)."""

    __tablename__ = "record_access"

    id: int | None = Field(default=None, primary_key=True)
    record_id: str = Field(foreign_key="credential.id", max_length=36, index=True)
    token_id: int | None = Field(default=None, foreign_key="api_token.id")
    client_name: str = Field(max_length=128)
    client_role: str = Field(max_length=16)
    region_code: str | None = Field(default=None, max_length=6)
    action: str = Field(max_length=16)
    purpose: str = Field(max_length=256)
    outcome: str = Field(max_length=16)
    created_at: datetime = _utc_column()


class HolderLinkRow(SQLModel, table=True):
    """A personal access link an issuer handed to a record's holder; only its hash is kept."""

    __tablename__ = "holder_link"

    id: int | None = Field(default=None, primary_key=True)
    record_id: str = Field(foreign_key="credential.id", max_length=36, index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_by: str = Field(max_length=160)
    created_at: datetime = _utc_column()
    revoked_at: datetime | None = _utc_column(nullable=True)


class MatchLimitRow(SQLModel, table=True):
    """One record's failed ID-number matches (``core.match_limits``): kept in the store so
    every worker and host counts the same failures and sees the same lock."""

    __tablename__ = "match_limit"

    record_id: str = Field(foreign_key="credential.id", max_length=36, primary_key=True)
    window_started_at: datetime = _utc_column()
    failures: int
    locked_until: datetime | None = _utc_column(nullable=True)
    last_tripped_at: datetime | None = _utc_column(nullable=True)
    times_tripped: int = 0


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
    __table_args__ = (  # one current key per purpose, whichever worker creates it first
        Index(
            "ux_system_key_current_purpose",
            "purpose",
            unique=True,
            sqlite_where=text("retired_at IS NULL"),
            postgresql_where=text("retired_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=32, index=True)
    kid: str = Field(max_length=32, unique=True)
    public_multikey: str = Field(max_length=64)
    encrypted_private_key: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _utc_column()
    retired_at: datetime | None = _utc_column(nullable=True)


class LogNodeRow(SQLModel, table=True):
    """A complete subtree hash of the transparency log above the leaves: the ``2**level``
    leaves from ``idx * 2**level``. Written once, when its last leaf is appended; leaf
    hashes (level 0) stay in ``log_entry``."""

    __tablename__ = "log_node"

    level: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    idx: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    digest: bytes


class IssuerScopeRow(SQLModel, table=True):
    """A dated grant of authority: record types, series, specialties, highest level.

    Never deleted: ending a scope sets ``valid_until`` (exclusive) and ``ended_at``.
    """

    __tablename__ = "issuer_scope"

    id: int | None = Field(default=None, primary_key=True)
    issuer_id: int = Field(foreign_key="issuer.id", index=True)
    record_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    series: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    specialties: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    highest_level: str | None = Field(default=None, max_length=32)
    valid_from: date
    valid_until: date | None = None
    created_at: datetime = _utc_column()
    ended_at: datetime | None = _utc_column(nullable=True)


class AgreementRow(SQLModel, table=True):
    """A recognition agreement among regions, with its scope, dates and legal basis."""

    __tablename__ = "agreement"

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: str = Field(max_length=64, unique=True, index=True)
    name_zh: str = Field(max_length=256)
    name_en: str = Field(max_length=512)
    parties: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    record_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    series: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    levels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    effective_from: date
    effective_until: date | None = None
    legal_basis: str = Field(max_length=512)
    legal_article: str | None = Field(default=None, max_length=128)
    created_at: datetime = _utc_column()


class EquivalenceRow(SQLModel, table=True):
    """One entry of an equivalence table: a region's term in another region's vocabulary."""

    __tablename__ = "equivalence"
    __table_args__ = (
        UniqueConstraint(
            "from_region", "to_region", "kind", "source", name="uq_equivalence_source"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    from_region: str = Field(foreign_key="region.code", max_length=6)
    to_region: str = Field(foreign_key="region.code", max_length=6)
    kind: str = Field(max_length=32)
    source: str = Field(max_length=128)
    target: str = Field(max_length=128)
    label_zh: str = Field(max_length=128)
    label_en: str = Field(max_length=256)
    agreement_id: str | None = Field(default=None, max_length=64)
    demo: bool = False
    created_at: datetime = _utc_column()


class AuthorityChangeRow(SQLModel, table=True):
    """One recorded change to issuers, scopes, keys, agreements or equivalences.

    Append-only: who made it, when, to what, and what it was.
    """

    __tablename__ = "authority_change"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc_column()
    actor: str = Field(max_length=160)
    subject: str = Field(max_length=32)
    subject_ref: str = Field(max_length=64, index=True)
    action: str = Field(max_length=32)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CatalogueRow(SQLModel, table=True):
    """A qualification-equivalence catalogue (比照认定目录); its items live in versions."""

    __tablename__ = "catalogue"

    id: str = Field(primary_key=True, max_length=32)
    name_zh: str = Field(max_length=128)
    name_en: str = Field(max_length=256)
    created_at: datetime = _utc_column()


class CatalogueVersionRow(SQLModel, table=True):
    """One imported version of a catalogue; never changed once stored."""

    __tablename__ = "catalogue_version"
    __table_args__ = (UniqueConstraint("catalogue_id", "version", name="uq_catalogue_version"),)

    id: int | None = Field(default=None, primary_key=True)
    catalogue_id: str = Field(foreign_key="catalogue.id", max_length=32)
    version: str = Field(max_length=16)
    name_zh: str = Field(max_length=128)
    name_en: str = Field(max_length=256)
    item_count: int
    source_name: str = Field(max_length=255)
    source_digest: str = Field(max_length=64)
    imported_by: str = Field(max_length=160)
    imported_at: datetime = _utc_column()


class CatalogueItemRow(SQLModel, table=True):
    """One item of a catalogue version: a foreign qualification and its domestic mapping."""

    __tablename__ = "catalogue_item"
    __table_args__ = (UniqueConstraint("version_id", "item", name="uq_catalogue_item"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="catalogue_version.id")
    position: int
    item: str = Field(max_length=32)
    foreign_qualification: str = Field(max_length=256)
    awarding_body: str = Field(max_length=256)
    country: str = Field(max_length=64)
    mapped_series: str = Field(max_length=32)
    mapped_level: str = Field(max_length=16)
    mapped_specialty: str | None = Field(default=None, max_length=32)
    industry: str = Field(max_length=32)


class TrustListPublicationRow(SQLModel, table=True):
    """A published trust list sequence: its content digest and the signed document served.

    A new row (sequence + 1) only when the content changes; re-signing the same content
    later (a fresher issue time) updates the row of the same sequence.
    """

    __tablename__ = "trust_list_publication"

    sequence: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    content_digest: str = Field(max_length=64)
    root_kid: str = Field(max_length=32)
    issued_at: datetime = _utc_column()
    expires_at: datetime = _utc_column()
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class ImportedTrustListRow(SQLModel, table=True):
    """Another registry's trust list, imported under a pinned root-key fingerprint."""

    __tablename__ = "imported_trust_list"

    id: int | None = Field(default=None, primary_key=True)
    base_url: str = Field(max_length=255, unique=True, index=True)
    root_fingerprint: str = Field(max_length=64)
    sequence: int
    content_digest: str = Field(max_length=64)
    issued_at: datetime = _utc_column()
    expires_at: datetime = _utc_column()
    imported_at: datetime = _utc_column()
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


# SQLAlchemy finishes the mapped classes lazily, on the first ORM query. Rows built with
# ``model_construct`` from Core results (the issuance hot path) need them finished before
# that, or reading an attribute fails in a process that has run no ORM query yet (a
# fresh `registry issue`).
configure_mappers()

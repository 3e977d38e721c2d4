"""personal data: sealed numbers, e-licence ids, access log, holder links

Also a partner token's statutory basis for seeing masked ID numbers.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from registry.core.records import elicence

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "credential", sa.Column("electronic_licence_id", sa.String(length=96), nullable=True)
    )
    op.create_index(
        "ix_credential_electronic_licence_id", "credential", ["electronic_licence_id"], unique=True
    )
    op.add_column("api_token", sa.Column("statutory_basis", sa.String(length=256), nullable=True))
    op.create_table(
        "personal_number",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("pointer", sa.String(length=256), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("holder", sa.Boolean(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["credential.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", "pointer", name="uq_personal_number_pointer"),
    )
    op.create_index("ix_personal_number_record_id", "personal_number", ["record_id"])
    op.create_index("ix_personal_number_digest", "personal_number", ["digest"])
    op.create_table(
        "record_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("client_name", sa.String(length=128), nullable=False),
        sa.Column("client_role", sa.String(length=16), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=256), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["credential.id"]),
        sa.ForeignKeyConstraint(["token_id"], ["api_token.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_record_access_record_id", "record_access", ["record_id"])
    op.create_table(
        "holder_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=160), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["record_id"], ["credential.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_holder_link_record_id", "holder_link", ["record_id"])
    op.create_index("ix_holder_link_token_hash", "holder_link", ["token_hash"], unique=True)
    _give_existing_records_an_elicence_id()


def _give_existing_records_an_elicence_id() -> None:
    """Records issued before this revision get their identifier in the store (their signed
    credential, already signed, does not carry it), in the form of the time (revision 0011
    adds the national form)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "select credential.id, credential.record_type, credential.issued_at, issuer.uscc "
            "from credential join issuer on issuer.id = credential.issuer_id"
        )
    ).all()
    for record_id, record_type, issued_at, uscc in rows:
        identifier = elicence.legacy_for_record(record_type, uscc, record_id, _utc_day(issued_at))
        connection.execute(
            sa.text("update credential set electronic_licence_id = :e where id = :i"),
            {"e": str(identifier), "i": record_id},
        )


def _utc_day(value: Any) -> date:
    """The UTC day of a stored instant (SQLite hands back text, PostgreSQL a datetime)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).date() if value.tzinfo else value.date()
    return date.fromisoformat(str(value)[:10])


def downgrade() -> None:
    op.drop_index("ix_holder_link_token_hash", table_name="holder_link")
    op.drop_index("ix_holder_link_record_id", table_name="holder_link")
    op.drop_table("holder_link")
    op.drop_index("ix_record_access_record_id", table_name="record_access")
    op.drop_table("record_access")
    op.drop_index("ix_personal_number_digest", table_name="personal_number")
    op.drop_index("ix_personal_number_record_id", table_name="personal_number")
    op.drop_table("personal_number")
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("statutory_basis")
    op.drop_index("ix_credential_electronic_licence_id", table_name="credential")
    with op.batch_alter_table("credential") as batch:
        batch.drop_column("electronic_licence_id")

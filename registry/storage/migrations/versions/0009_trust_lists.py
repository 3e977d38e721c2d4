"""published trust list sequences and imported trust lists of other registries

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trust_list_publication",
        sa.Column("sequence", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("root_kid", sa.String(length=32), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("sequence"),
    )
    op.create_table(
        "imported_trust_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base_url", sa.String(length=255), nullable=False),
        sa.Column("root_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_imported_trust_list_base_url", "imported_trust_list", ["base_url"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_imported_trust_list_base_url", table_name="imported_trust_list")
    op.drop_table("imported_trust_list")
    op.drop_table("trust_list_publication")

"""qualification-equivalence catalogues, their versions and items

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name_zh", sa.String(length=128), nullable=False),
        sa.Column("name_en", sa.String(length=256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "catalogue_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("catalogue_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("name_zh", sa.String(length=128), nullable=False),
        sa.Column("name_en", sa.String(length=256), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("source_digest", sa.String(length=64), nullable=False),
        sa.Column("imported_by", sa.String(length=160), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["catalogue_id"], ["catalogue.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("catalogue_id", "version", name="uq_catalogue_version"),
    )
    op.create_table(
        "catalogue_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=32), nullable=False),
        sa.Column("foreign_qualification", sa.String(length=256), nullable=False),
        sa.Column("awarding_body", sa.String(length=256), nullable=False),
        sa.Column("country", sa.String(length=64), nullable=False),
        sa.Column("mapped_series", sa.String(length=32), nullable=False),
        sa.Column("mapped_level", sa.String(length=16), nullable=False),
        sa.Column("mapped_specialty", sa.String(length=32), nullable=True),
        sa.Column("industry", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["catalogue_version.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "item", name="uq_catalogue_item"),
    )


def downgrade() -> None:
    op.drop_table("catalogue_item")
    op.drop_table("catalogue_version")
    op.drop_table("catalogue")

"""per-record limit on failed ID-number matches (issue 13)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_limit",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_tripped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("times_tripped", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["credential.id"]),
        sa.PrimaryKeyConstraint("record_id"),
    )


def downgrade() -> None:
    op.drop_table("match_limit")

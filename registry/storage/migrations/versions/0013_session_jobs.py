"""console review-session jobs kept in the store, so every worker answers for them (issue 18)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "session_job",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("issuer_uscc", sa.String(length=18), nullable=True),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=64), nullable=False),
        sa.Column("session_key", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_session_job_issuer_uscc", "session_job", ["issuer_uscc"])
    op.create_index("ix_session_job_started_at", "session_job", ["started_at"])


def downgrade() -> None:
    op.drop_index("ix_session_job_started_at", table_name="session_job")
    op.drop_index("ix_session_job_issuer_uscc", table_name="session_job")
    op.drop_table("session_job")

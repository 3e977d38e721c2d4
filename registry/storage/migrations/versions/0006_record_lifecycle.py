"""record lifecycle: status-change history, status reasons, amendment links

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("credential", sa.Column("status_reason", sa.String(length=32), nullable=True))
    op.add_column("credential", sa.Column("supersedes", sa.String(length=36), nullable=True))
    op.add_column("credential", sa.Column("superseded_by", sa.String(length=36), nullable=True))
    # Publishing a status list reads only an issuer's flagged records through this index.
    op.create_index("ix_credential_issuer_status", "credential", ["issuer_id", "status"])
    op.create_table(
        "status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("issuer_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("related_record_id", sa.String(length=36), nullable=True),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=160), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["credential.id"]),
        sa.ForeignKeyConstraint(["issuer_id"], ["issuer.id"]),
        sa.ForeignKeyConstraint(["token_id"], ["api_token.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_status_change_record_id", "status_change", ["record_id"])
    op.create_index("ix_status_change_issuer_change", "status_change", ["issuer_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_status_change_issuer_change", table_name="status_change")
    op.drop_index("ix_status_change_record_id", table_name="status_change")
    op.drop_table("status_change")
    op.drop_index("ix_credential_issuer_status", table_name="credential")
    with op.batch_alter_table("credential") as batch:
        batch.drop_column("superseded_by")
        batch.drop_column("supersedes")
        batch.drop_column("status_reason")

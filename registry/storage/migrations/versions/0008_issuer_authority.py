"""issuer scopes and jurisdiction, recognition agreements, equivalence tables and their
change history

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("issuer", sa.Column("jurisdiction", sa.JSON(), nullable=True))
    op.create_table(
        "issuer_scope",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer_id", sa.Integer(), nullable=False),
        sa.Column("record_types", sa.JSON(), nullable=False),
        sa.Column("series", sa.JSON(), nullable=False),
        sa.Column("specialties", sa.JSON(), nullable=False),
        sa.Column("highest_level", sa.String(length=32), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["issuer_id"], ["issuer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_issuer_scope_issuer_id", "issuer_scope", ["issuer_id"])
    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.String(length=64), nullable=False),
        sa.Column("name_zh", sa.String(length=256), nullable=False),
        sa.Column("name_en", sa.String(length=512), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("record_types", sa.JSON(), nullable=False),
        sa.Column("series", sa.JSON(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_until", sa.Date(), nullable=True),
        sa.Column("legal_basis", sa.String(length=512), nullable=False),
        sa.Column("legal_article", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_agreement_agreement_id", "agreement", ["agreement_id"], unique=True)
    op.create_table(
        "equivalence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_region", sa.String(length=6), nullable=False),
        sa.Column("to_region", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=128), nullable=False),
        sa.Column("target", sa.String(length=128), nullable=False),
        sa.Column("label_zh", sa.String(length=128), nullable=False),
        sa.Column("label_en", sa.String(length=256), nullable=False),
        sa.Column("agreement_id", sa.String(length=64), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["from_region"], ["region.code"]),
        sa.ForeignKeyConstraint(["to_region"], ["region.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "from_region", "to_region", "kind", "source", name="uq_equivalence_source"
        ),
    )
    op.create_table(
        "authority_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=160), nullable=False),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("subject_ref", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_authority_change_subject_ref", "authority_change", ["subject_ref"])


def downgrade() -> None:
    op.drop_index("ix_authority_change_subject_ref", table_name="authority_change")
    op.drop_table("authority_change")
    op.drop_table("equivalence")
    op.drop_index("ix_agreement_agreement_id", table_name="agreement")
    op.drop_table("agreement")
    op.drop_index("ix_issuer_scope_issuer_id", table_name="issuer_scope")
    op.drop_table("issuer_scope")
    with op.batch_alter_table("issuer") as batch:
        batch.drop_column("jurisdiction")

"""an authority generation bumped by triggers on issuers, keys and scopes (issue 18)

Issuance keeps the issuer, its signing key and its scopes across transactions and re-reads
them when this counter has moved. Triggers bump it in the same transaction as every
INSERT, UPDATE or DELETE of ``issuer``, ``signing_key`` and ``issuer_scope``, whichever
process or tool writes, so every worker sees a change on its next issuance.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("issuer", "signing_key", "issuer_scope")
EVENTS = ("insert", "update", "delete")
BUMP = "UPDATE authority_generation SET generation = generation + 1 WHERE id = 1"
FUNCTION = "registry_bump_authority_generation"


def upgrade() -> None:
    op.create_table(
        "authority_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO authority_generation (id, generation) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_authority_generation"
                f" AFTER INSERT OR UPDATE OR DELETE ON {table}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
            )
        return
    for table in TABLES:  # SQLite: one trigger per event, run for each row
        for event in EVENTS:
            op.execute(
                f"CREATE TRIGGER {table}_{event}_authority_generation"
                f" AFTER {event.upper()} ON {table} BEGIN {BUMP}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_authority_generation ON {table}")
        op.execute(f"DROP FUNCTION {FUNCTION}()")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER {table}_{event}_authority_generation")
    op.drop_table("authority_generation")

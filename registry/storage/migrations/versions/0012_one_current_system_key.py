"""at most one current (unretired) registry key per purpose (issue 18)

Several workers may each create a purpose's first key at once; a unique index over the
purpose of unretired keys makes the second creation a no-op, so every worker signs with
one key. A store where the race already happened keeps its newest unretired key per
purpose (the one every reader picked) and retires the others.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 17:45:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ux_system_key_current_purpose"
CURRENT = sa.text("retired_at IS NULL")


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("select id, purpose from system_key where retired_at is null order by id desc")
    ).all()
    seen: set[str] = set()
    now = datetime.now(UTC)
    for key_id, purpose in rows:
        if purpose in seen:
            connection.execute(
                sa.text("update system_key set retired_at = :now where id = :id"),
                {"now": now, "id": key_id},
            )
        seen.add(purpose)
    op.create_index(
        INDEX,
        "system_key",
        ["purpose"],
        unique=True,
        sqlite_where=CURRENT,
        postgresql_where=CURRENT,
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="system_key")

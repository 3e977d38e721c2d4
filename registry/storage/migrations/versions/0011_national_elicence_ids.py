"""national-form e-licence identifiers; the earlier form kept as an alternative (issue 19)

Every record known by an identifier in the registry's earlier form
(``1.2.156.3005.2.01.<USCC>.<serial>.1.<check>``) gets its national-form identifier
(21-character type code, three-digit version) in ``electronic_licence_id``; the earlier one
moves to ``legacy_electronic_licence_id``, where it keeps naming the record. Same issuer,
serial and version; the type code is the record type's ``elicenceTypeCode`` at the time of
the upgrade (set the real codes first: see the README).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from registry.core.records import elicence

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "credential",
        sa.Column("legacy_electronic_licence_id", sa.String(length=96), nullable=True),
    )
    op.create_index(
        "ix_credential_legacy_electronic_licence_id",
        "credential",
        ["legacy_electronic_licence_id"],
        unique=True,
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "select id, record_type, electronic_licence_id from credential "
            "where electronic_licence_id is not null"
        )
    ).all()
    for record_id, record_type, stored in rows:
        earlier = elicence.parse(stored)
        if not earlier.legacy:
            continue
        national = elicence.national_form_of(record_type, earlier)
        connection.execute(
            sa.text(
                "update credential set legacy_electronic_licence_id = :old, "
                "electronic_licence_id = :new where id = :id"
            ),
            {"old": str(earlier), "new": str(national), "id": record_id},
        )


def downgrade() -> None:
    """Records that had an earlier-form identifier get it back; records issued since get
    theirs rewritten in the earlier form (code before this revision reads no other; their
    signed credentials keep the national form)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "select id, record_type, electronic_licence_id, legacy_electronic_licence_id "
            "from credential where electronic_licence_id is not null"
        )
    ).all()
    for record_id, record_type, stored, legacy in rows:
        earlier = legacy or _earlier_form(record_type, stored)
        connection.execute(
            sa.text(
                "update credential set electronic_licence_id = null, "
                "legacy_electronic_licence_id = :old where id = :id"
            ),
            {"old": earlier, "id": record_id},
        )
    connection.execute(
        sa.text(
            "update credential set electronic_licence_id = legacy_electronic_licence_id "
            "where legacy_electronic_licence_id is not null"
        )
    )
    op.drop_index("ix_credential_legacy_electronic_licence_id", table_name="credential")
    with op.batch_alter_table("credential") as batch:
        batch.drop_column("legacy_electronic_licence_id")


def _earlier_form(record_type: str, stored: str) -> str:
    """A national-form identifier written in the earlier form (same issuer, serial,
    version; the record type's two-digit code)."""
    national = elicence.parse(stored)
    return str(
        elicence.build_legacy(
            elicence.legacy_type_code_of(record_type),
            national.issuer_uscc,
            national.serial,
            national.version,
        )
    )

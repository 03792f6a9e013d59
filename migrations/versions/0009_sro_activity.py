"""the school resource officer's activity log (by triad role) and training records

Revision ID: 0009_sro_activity
Revises: 0008_fidelity_surveys
Create Date: 2026-12-01 22:30:00

The text below is frozen on purpose: a migration must keep building the same schema even when the
application code changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_sro_activity"
down_revision = "0008_fidelity_surveys"
branch_labels = None
depends_on = None


def _record_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "sro_activity",
        sa.Column("officer", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("activity_type", sa.String(length=30), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("attendance", sa.Integer(), nullable=True),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("incident_type_id", sa.Integer(), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["person.id"],
            name=op.f("fk_sro_activity_student_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["incident_type_id"],
            ["incident_type.id"],
            name=op.f("fk_sro_activity_incident_type_id_incident_type"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sro_activity")),
        sa.UniqueConstraint("uuid", name=op.f("uq_sro_activity_uuid")),
    )
    with op.batch_alter_table("sro_activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sro_activity_officer"), ["officer"], unique=False)
        batch_op.create_index(batch_op.f("ix_sro_activity_on_date"), ["on_date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sro_activity_student_id"), ["student_id"], unique=False
        )
    op.create_table(
        "training_record",
        sa.Column("trainee", sa.String(length=200), nullable=False),
        sa.Column("course", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("tenths", sa.Integer(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=True),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_record")),
        sa.UniqueConstraint("uuid", name=op.f("uq_training_record_uuid")),
    )
    with op.batch_alter_table("training_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_record_trainee"), ["trainee"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_training_record_completed_on"), ["completed_on"], unique=False
        )


def downgrade() -> None:
    op.drop_table("training_record")
    op.drop_table("sro_activity")

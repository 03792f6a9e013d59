"""programme evaluation: the fidelity checklist per circle and anonymous participant surveys

Revision ID: 0008_fidelity_surveys
Revises: 0007_incident_vocabulary

A survey response has no person and no timestamps, and its key is drawn at random, so nothing in
the file links an answer to the person who gave it. The text below is frozen on purpose: a
migration must keep building the same schema even when the application code changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_fidelity_surveys"
down_revision = "0007_incident_vocabulary"
branch_labels = None
depends_on = None


def _record_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "fidelity_check",
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.String(length=400), nullable=False),
        sa.Column("prefilled", sa.String(length=400), nullable=False),
        sa.Column("completed_by", sa.String(length=200), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["circle_id"],
            ["circle.id"],
            name=op.f("fk_fidelity_check_circle_id_circle"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fidelity_check")),
        sa.UniqueConstraint("circle_id", name=op.f("uq_fidelity_check_circle_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_fidelity_check_uuid")),
    )
    op.create_index(
        op.f("ix_fidelity_check_completed_on"), "fidelity_check", ["completed_on"], unique=False
    )
    op.create_table(
        "survey_sitting",
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.String(length=32), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["circle_id"],
            ["circle.id"],
            name=op.f("fk_survey_sitting_circle_id_circle"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_sitting")),
        sa.UniqueConstraint("uuid", name=op.f("uq_survey_sitting_uuid")),
    )
    op.create_index(
        op.f("ix_survey_sitting_circle_id"), "survey_sitting", ["circle_id"], unique=False
    )
    op.create_index(op.f("ix_survey_sitting_held_on"), "survey_sitting", ["held_on"], unique=False)
    op.create_table(
        "survey_response",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("heard", sa.String(length=12), nullable=True),
        sa.Column("safe", sa.String(length=12), nullable=True),
        sa.Column("fair", sa.String(length=12), nullable=True),
        sa.Column("again", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["sitting_id"],
            ["survey_sitting.id"],
            name=op.f("fk_survey_response_sitting_id_survey_sitting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_response")),
        sa.UniqueConstraint("uuid", name=op.f("uq_survey_response_uuid")),
    )
    op.create_index(
        op.f("ix_survey_response_sitting_id"), "survey_response", ["sitting_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("survey_response")
    op.drop_table("survey_sitting")
    op.drop_table("fidelity_check")

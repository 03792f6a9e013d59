"""hand-offs to BTAM, Title IX, child protection, mental health or police, and the record of
disclosures kept per student

Revision ID: 0010_hand_offs
Revises: 0009_sro_activity

The text below is frozen on purpose: a migration must keep building the same schema even when the
application code changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_hand_offs"
down_revision = "0009_sro_activity"
branch_labels = None
depends_on = None


def _record_columns(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("uuid", name=op.f(f"uq_{table}_uuid")),
    ]


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "hand_off",
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("circle_id", sa.Integer(), nullable=True),
        sa.Column("handed_to", sa.String(length=24), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("handed_on", sa.Date(), nullable=False),
        sa.Column("shared", sa.Text(), nullable=False),
        sa.Column("basis", sa.String(length=32), nullable=False),
        sa.Column("threat", sa.Text(), nullable=True),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("return_note", sa.Text(), nullable=True),
        sa.Column("reentry_circle_id", sa.Integer(), nullable=True),
        *_record_columns("hand_off"),
        _fk("hand_off", "case_id", "case_file", "CASCADE"),
        _fk("hand_off", "circle_id", "circle", "SET NULL"),
        _fk("hand_off", "reentry_circle_id", "circle", "SET NULL"),
    )
    for column in ("case_id", "circle_id", "handed_on", "reentry_circle_id"):
        op.create_index(op.f(f"ix_hand_off_{column}"), "hand_off", [column], unique=False)
    op.create_table(
        "disclosure",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("disclosed_on", sa.Date(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("shared", sa.Text(), nullable=False),
        sa.Column("basis", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("disclosed_by", sa.String(length=200), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("hand_off_id", sa.Integer(), nullable=True),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        *_record_columns("disclosure"),
        _fk("disclosure", "person_id", "person", "CASCADE"),
        _fk("disclosure", "case_id", "case_file", "SET NULL"),
        _fk("disclosure", "hand_off_id", "hand_off", "SET NULL"),
        _fk("disclosure", "agreement_id", "agreement", "SET NULL"),
    )
    for column in ("person_id", "disclosed_on", "case_id", "hand_off_id", "agreement_id"):
        op.create_index(op.f(f"ix_disclosure_{column}"), "disclosure", [column], unique=False)


def downgrade() -> None:
    op.drop_table("disclosure")
    op.drop_table("hand_off")

"""who is using it: facilitator profiles (name, role, optional PIN)

Revision ID: 0003_profiles
Revises: 0002_search_index
Create Date: 2026-11-27 12:00:00

The text below is frozen on purpose: a migration must keep building the same schema even when the
application code changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_profiles"
down_revision = "0002_search_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "profile",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("pin_hash", sa.Text(), nullable=True),
        sa.Column("archived_at", sa.String(length=32), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile")),
        sa.UniqueConstraint("uuid", name=op.f("uq_profile_uuid")),
    )


def downgrade() -> None:
    op.drop_table("profile")

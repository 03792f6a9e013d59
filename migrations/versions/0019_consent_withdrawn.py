"""consent to a circle is dated and can be withdrawn, so a withdrawal stops the circle

Revision ID: 0019_consent_withdrawn
Revises: 0018_merges

``participant.consent_given_on`` (when the person's consent was last recorded; unknown for
consent recorded before this revision), ``consent_withdrawn_on`` and ``consent_withdrawn_by``
(``participant`` or ``guardian``; empty when the keeper did not say). Plain ADD COLUMN on both
engines; dates are DATE on PostgreSQL and ISO text on SQLite, as every other date column. On
PostgreSQL the new enumerated column gets its CHECK (as 0013 gave the others). The SRO group
role reads ``participant`` table-wide (only ``person`` and ``profile`` are granted column by
column), so no grant changes.

The text below is frozen on purpose: a migration must keep building the same schema even when the
application code changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_consent_withdrawn"
down_revision = "0018_merges"
branch_labels = None
depends_on = None

CHECK = "ck_participant_consent_withdrawn_by_known"


def upgrade() -> None:
    op.add_column("participant", sa.Column("consent_given_on", sa.Date(), nullable=True))
    op.add_column("participant", sa.Column("consent_withdrawn_on", sa.Date(), nullable=True))
    op.add_column(
        "participant", sa.Column("consent_withdrawn_by", sa.String(length=16), nullable=True)
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE participant ADD CONSTRAINT {CHECK} "
            "CHECK (consent_withdrawn_by IN ('participant', 'guardian'))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE participant DROP CONSTRAINT IF EXISTS {CHECK}")
    for column in ("consent_withdrawn_by", "consent_withdrawn_on", "consent_given_on"):
        op.drop_column("participant", column)

"""an agreement item can carry its Spanish wording, so a Spanish copy prints what was agreed

Revision ID: 0016_item_spanish_wording
Revises: 0015_edit_versions

``agreement_item.action_es`` and ``verification_es`` hold the item's words in Spanish ("" when
nobody wrote them; the Spanish copy then says so). Plain ADD COLUMN on both engines keeps the
table, and the search triggers on it, as they are; the server's table-wide grants cover the new
columns.
"""

from __future__ import annotations

from alembic import op

revision = "0016_item_spanish_wording"
down_revision = "0015_edit_versions"
branch_labels = None
depends_on = None

_COLUMNS = ("action_es", "verification_es")


def upgrade() -> None:
    for column in _COLUMNS:
        op.execute(f"ALTER TABLE agreement_item ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")


def downgrade() -> None:
    for column in _COLUMNS:
        op.execute(f"ALTER TABLE agreement_item DROP COLUMN {column}")

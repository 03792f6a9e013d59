"""Index the references to participants and circles that deletes look up

Revision ID: 0006_reference_indexes
Revises: 0005_one_eligibility_screen

Deleting a participant makes SQLite find every turn, note and supporter pointing at it (their
foreign keys set it to NULL); without an index that is a scan of the whole table per deleted
participant. Retention removes participants by the thousand: on the small demo, removing 200
circles' participants took about 1 s, and about 20 ms with these indexes. A follow-up's circle
is looked up the same way when a circle goes.
"""

from __future__ import annotations

from alembic import op

revision = "0006_reference_indexes"
down_revision = "0005_one_eligibility_screen"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_turn_participant_id", "turn", "participant_id"),
    ("ix_note_participant_id", "note", "participant_id"),
    ("ix_participant_supporter_of_id", "participant", "supporter_of_id"),
    ("ix_follow_up_circle_id", "follow_up", "circle_id"),
)


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], unique=False)


def downgrade() -> None:
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)

"""merging laptops: a record of each merge, and what each merged record looked like after it

Revision ID: 0018_merges
Revises: 0017_schools

``merge_run`` keeps one line per merge into this database (which file, when, by whom, up to which
change of the source, and what it did). ``merge_base`` keeps, for each record a merge brought in
or matched, the time it was last changed on each side right after that merge: the next merge of
the same laptop tells from it what changed since, and which records were edited on both sides.
On PostgreSQL the moments are ``timestamptz`` as everywhere else (see 0013).

The text below is frozen on purpose: a migration must keep building the same schema even when the
application code changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_merges"
down_revision = "0017_schools"
branch_labels = None
depends_on = None


def _moment() -> sa.types.TypeEngine[object]:
    if op.get_bind().dialect.name == "postgresql":
        return sa.DateTime(timezone=True)
    return sa.String(length=32)


def upgrade() -> None:
    op.create_table(
        "merge_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        sa.Column("updated_at", _moment(), nullable=False),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("source_newest", _moment(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_run")),
        sa.UniqueConstraint("uuid", name=op.f("uq_merge_run_uuid")),
    )
    op.create_table(
        "merge_base",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_uuid", sa.String(length=36), nullable=False),
        sa.Column("target_uuid", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("source_seen", _moment(), nullable=True),
        sa.Column("target_seen", _moment(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_base")),
        sa.UniqueConstraint("source_uuid", name=op.f("uq_merge_base_source_uuid")),
    )
    op.create_index(op.f("ix_merge_base_target_uuid"), "merge_base", ["target_uuid"])


def downgrade() -> None:
    op.drop_index(op.f("ix_merge_base_target_uuid"), table_name="merge_base")
    op.drop_table("merge_base")
    op.drop_table("merge_run")

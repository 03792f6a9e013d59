"""the records two people edit carry a version counter, so a stale save is refused

Revision ID: 0015_edit_versions
Revises: 0014_server_roles

``row_version`` on ``case_file``, ``agreement``, ``agreement_item``, ``follow_up`` and
``person``: every saved change adds one (SQLAlchemy's ``version_id_col``), and a save made from
a copy loaded before another person's change is refused instead of overwriting it. Existing rows
start at 1. On PostgreSQL the SRO group role (which reads ``person`` column by column) is given
the new column too: it is no demographic.

The text below is frozen on purpose: a migration must keep building the same schema even when the
application code changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_edit_versions"
down_revision = "0014_server_roles"
branch_labels = None
depends_on = None

TABLES = ("case_file", "agreement", "agreement_item", "follow_up", "person")
SRO = "circlekeeper_sro"


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table, sa.Column("row_version", sa.Integer(), nullable=False, server_default="1")
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{SRO}') THEN "
            f"GRANT SELECT (row_version) ON person TO {SRO}; END IF; END $$"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{SRO}') THEN "
            f"REVOKE SELECT (row_version) ON person FROM {SRO}; END IF; END $$"
        )
    for table in reversed(TABLES):
        op.drop_column(table, "row_version")

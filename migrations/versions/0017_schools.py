"""schools become records: people, cases and circles carry a reference to their school

Revision ID: 0017_schools
Revises: 0016_item_spanish_wording

A district's server holds several schools, and a school's name is typed differently over ten
years ("Riverside MS", "Riverside Middle School "). Each school is now one row of ``school``
(a UUID, its name, the district's code for it), and ``person``, ``case_file`` and ``circle``
refer to it by ``school_id`` (indexed, like every reference).

Existing free text is kept: every distinct name written on a person or a case (and the school
named in Settings) becomes one school row, matched without regard to case or spacing, and each
record points at it. A circle takes its case's school, else its facilitator's. The free-text
columns are then dropped. Downgrading writes each record's school name back as text.

On PostgreSQL the group roles of 0014 get the same rights on the new table as on the others,
and an SRO role may read ``person.school_id`` (a school is not a demographic).

The text below is frozen on purpose: a migration must keep building the same schema even when the
application code changes later.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0017_schools"
down_revision = "0016_item_spanish_wording"
branch_labels = None
depends_on = None

COUNSELOR = "circlekeeper_counselor"
ADMINISTRATOR = "circlekeeper_administrator"
SRO = "circlekeeper_sro"
KEEPERS = f"{COUNSELOR}, {ADMINISTRATOR}"
EVERYONE = f"{COUNSELOR}, {ADMINISTRATOR}, {SRO}"
REFERRING = ("person", "case_file", "circle")


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def upgrade() -> None:
    conn = op.get_bind()
    server = conn.dialect.name == "postgresql"
    moment: sa.types.TypeEngine[object] = (
        sa.DateTime(timezone=True) if server else sa.String(length=32)
    )
    op.create_table(
        "school",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("district_code", sa.String(length=40), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("updated_at", moment, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school")),
        sa.UniqueConstraint("name", name=op.f("uq_school_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_school_uuid")),
    )
    # Plain ADD COLUMN keeps each table (and the search triggers on it) as it is.
    for table in REFERRING:
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN school_id INTEGER "
            f"CONSTRAINT fk_{table}_school_id_school REFERENCES school (id)"
        )
        op.create_index(op.f(f"ix_{table}_school_id"), table, ["school_id"], unique=False)

    now: object = datetime.now(UTC) if server else datetime.now(UTC).isoformat()
    names: list[str] = []
    for table in ("person", "case_file"):
        names.extend(
            conn.execute(sa.text(f"SELECT DISTINCT school FROM {table} ORDER BY school")).scalars()
        )
    names.extend(
        conn.execute(sa.text("SELECT value FROM setting WHERE key = 'school_name'")).scalars()
    )
    chosen: dict[str, int] = {}
    for written in names:
        tidy = " ".join((written or "").split())[:200]
        if not tidy or _fold(tidy) in chosen:
            continue
        conn.execute(
            sa.text(
                "INSERT INTO school (name, uuid, created_at, updated_at) "
                "VALUES (:name, :uuid, :now, :now)"
            ),
            {"name": tidy, "uuid": str(uuid_module.uuid4()), "now": now},
        )
        chosen[_fold(tidy)] = int(
            conn.execute(sa.text("SELECT id FROM school WHERE name = :n"), {"n": tidy}).scalar_one()
        )
    for table in ("person", "case_file"):
        for written in list(
            conn.execute(sa.text(f"SELECT DISTINCT school FROM {table}")).scalars()
        ):
            school_id = chosen.get(_fold(written or ""))
            if school_id is not None:
                conn.execute(
                    sa.text(f"UPDATE {table} SET school_id = :id WHERE school = :written"),
                    {"id": school_id, "written": written},
                )
    conn.execute(
        sa.text(
            "UPDATE circle SET school_id = coalesce("
            "(SELECT c.school_id FROM case_file c WHERE c.id = circle.case_id), "
            "(SELECT p.school_id FROM person p WHERE p.id = circle.facilitator_id))"
        )
    )
    for table in ("person", "case_file"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN school")

    if server:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON school TO {KEEPERS}")
        op.execute(f"GRANT SELECT ON school TO {SRO}")
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE school_id_seq TO {EVERYONE}")
        op.execute(f"GRANT SELECT (school_id) ON person TO {SRO}")


def downgrade() -> None:
    conn = op.get_bind()
    for table in ("person", "case_file"):
        op.execute(f"ALTER TABLE {table} ADD COLUMN school VARCHAR(200)")
        conn.execute(
            sa.text(
                f"UPDATE {table} SET school = "
                f"(SELECT s.name FROM school s WHERE s.id = {table}.school_id)"
            )
        )
    if conn.dialect.name == "postgresql":
        op.execute(f"GRANT SELECT (school) ON person TO {SRO}")
    for table in REFERRING:
        op.drop_index(op.f(f"ix_{table}_school_id"), table_name=table)
        # A column in a foreign key leaves SQLite only by copying the table, which drops the
        # search triggers on it: keep their definitions and make them again afterwards.
        triggers = []
        if conn.dialect.name == "sqlite":
            triggers = list(
                conn.execute(
                    sa.text(
                        "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                        "AND tbl_name = :table AND sql IS NOT NULL"
                    ),
                    {"table": table},
                ).scalars()
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("school_id")
        for sql in triggers:
            op.execute(sql)
    op.drop_table("school")

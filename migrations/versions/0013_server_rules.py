"""a district's server keeps its own rules: real times, checked values, indexed references

Revision ID: 0013_server_rules
Revises: 0012_search_by_kind

On PostgreSQL only (an SQLite file is unchanged by this revision):
- every moment column becomes ``timestamptz`` (SQLite keeps UTC ISO text; the model's
  ``UTCDateTime`` reads and writes both);
- every enumerated column gets a CHECK constraint listing its values, so a script or a
  reporting tool writing straight into the server cannot store a value the app does not know;
- every foreign key column gets an index (a district's twenty schools make joins and the
  cascading deletes of retention scan whole tables without them).

The text below is frozen on purpose: a migration must keep building the same schema even when the
application code changes later.
"""

from __future__ import annotations

from alembic import op

revision = "0013_server_rules"
down_revision = "0012_search_by_kind"
branch_labels = None
depends_on = None

MOMENTS: dict[str, tuple[str, ...]] = {
    "audit_event": ("at",),
    "incident_type": ("archived_at", "created_at", "updated_at"),
    "person": ("archived_at", "created_at", "updated_at"),
    "profile": ("archived_at", "created_at", "updated_at"),
    "training_record": ("created_at", "updated_at"),
    "case_file": ("created_at", "updated_at"),
    "guardian_link": ("created_at", "updated_at"),
    "sro_activity": ("created_at", "updated_at"),
    "case_party": ("created_at", "updated_at"),
    "circle": ("scheduled_at", "started_at", "ended_at", "created_at", "updated_at"),
    "family_contact": ("contacted_at", "created_at", "updated_at"),
    "agreement": ("created_at", "updated_at"),
    "fidelity_check": ("created_at", "updated_at"),
    "hand_off": ("created_at", "updated_at"),
    "participant": ("joined_at", "left_at", "created_at", "updated_at"),
    "stage_record": ("started_at", "ended_at", "created_at", "updated_at"),
    "survey_sitting": ("closed_at", "created_at", "updated_at"),
    "agreement_item": ("created_at", "updated_at"),
    "disclosure": ("created_at", "updated_at"),
    "note": ("created_at", "updated_at"),
    "signature": ("created_at", "updated_at"),
    "turn": ("started_at", "created_at", "updated_at"),
    "follow_up": ("created_at", "updated_at"),
}

# (table, column) -> the values circlekeeper stores there (core/domain/enums.py at this revision).
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("person", "kind"): ("student", "staff", "guardian", "sro", "community"),
    ("case_file", "referral_source"): (
        "teacher",
        "administrator",
        "sro",
        "counselor",
        "parent",
        "student",
        "other",
    ),
    ("case_file", "status"): ("referred", "screened", "preparing", "held", "monitoring", "closed"),
    ("case_file", "closure_reason"): (
        "completed",
        "partially_completed",
        "declined",
        "not_restorable",
        "not_completed",
        "handed_off",
    ),
    ("case_file", "diverted_from"): ("none", "suspension", "expulsion", "citation", "arrest"),
    ("family_contact", "method"): ("phone", "meeting", "letter", "email", "other"),
    ("circle", "kind"): (
        "community_building",
        "check_in",
        "academic",
        "norm_setting",
        "problem_solving",
        "harm_repair",
        "reentry",
        "individual_support",
        "grief",
        "celebration",
        "staff",
        "family",
        "conference",
        "pre_meeting",
        "completion_meeting",
    ),
    ("circle", "status"): ("planned", "in_progress", "completed", "cancelled"),
    ("participant", "role"): (
        "facilitator",
        "co_facilitator",
        "harmed",
        "responsible",
        "harmed_and_responsible",
        "supporter",
        "guardian",
        "community",
        "administrator",
        "observer",
        "member",
    ),
    ("participant", "attendance"): ("invited", "present", "absent", "joined_late", "left_early"),
    ("note", "privacy"): ("private", "record"),
    ("agreement", "status"): (
        "draft",
        "active",
        "completed",
        "partially_completed",
        "not_completed",
        "superseded",
    ),
    ("agreement_item", "kind"): (
        "apology",
        "restitution",
        "service",
        "counselling",
        "behaviour",
        "school_support",
        "other",
    ),
    ("follow_up", "status"): ("open", "done", "missed", "cancelled"),
    ("profile", "role"): ("counselor", "sro", "administrator"),
    ("incident_type", "swis_level"): ("major", "minor"),
}

# Foreign key columns that had no index of their own at 0010.
REFERENCES: tuple[tuple[str, str], ...] = (
    ("case_file", "referred_by_id"),
    ("sro_activity", "incident_type_id"),
    ("circle", "facilitator_id"),
    ("circle", "co_facilitator_id"),
    ("family_contact", "person_id"),
    ("agreement", "previous_id"),
    ("agreement", "follow_up_by_id"),
    ("agreement_item", "supporter_id"),
    ("agreement_item", "responsible_id"),
    ("agreement_item", "verifier_id"),
    ("signature", "person_id"),
    ("signature", "as_guardian_of_id"),
    ("follow_up", "responsible_id"),
    ("follow_up", "agreement_item_id"),
)


def _check_name(table: str, column: str) -> str:
    return f"ck_{table}_{column}_known"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in MOMENTS.items():
        changes = ", ".join(
            f"ALTER COLUMN {column} TYPE TIMESTAMPTZ USING {column}::timestamptz"
            for column in columns
        )
        op.execute(f"ALTER TABLE {table} {changes}")
    for (table, column), values in CHOICES.items():
        listed = ", ".join(f"'{value}'" for value in values)
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {_check_name(table, column)} "
            f"CHECK ({column} IN ({listed}))"
        )
    for table, column in REFERENCES:
        # IF NOT EXISTS: 0011 made most of these on both engines already.
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_{column} ON {table} ({column})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in REFERENCES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}")
    for table, column in CHOICES:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {_check_name(table, column)}")
    for table, columns in MOMENTS.items():
        changes = ", ".join(
            f"ALTER COLUMN {column} TYPE VARCHAR(32) USING "
            f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
            for column in columns
        )
        op.execute(f"ALTER TABLE {table} {changes}")

"""incident vocabulary (mapped to SWIS codes and state categories); time of day on referrals;
an index for counting who was present in each circle

Revision ID: 0007_incident_vocabulary
Revises: 0006_reference_indexes

Incident types become a controlled list the school can edit, each mapped to a SWIS problem
behaviour (major or minor) and, where the school sets one, to the state's reporting category.
Every referral's free-text category is mapped: known words to their type, anything else kept as
its own type and flagged for the counselor to map. Referrals also get the time of day of the
incident. The vocabulary below is frozen on purpose: a migration must keep building the same
schema and rows even when the application's own list changes later.
"""

from __future__ import annotations

import re
import unicodedata
import uuid as uuid_module
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007_incident_vocabulary"
down_revision = "0006_reference_indexes"
branch_labels = None
depends_on = None

# key, English, Spanish, SWIS problem behaviour, level, other words schools use for it
VOCABULARY = (
    (
        "conflict",
        "Conflict between students",
        "Conflicto entre estudiantes",
        "Physical contact",
        "minor",
        ("conflict", "peer conflict", "argument"),
    ),
    ("fighting", "Fighting", "Pelea", "Fighting", "major", ("fight",)),
    (
        "physical_aggression",
        "Physical aggression",
        "Agresión física",
        "Physical aggression",
        "major",
        ("aggression", "assault"),
    ),
    ("bullying", "Bullying", "Acoso escolar", "Bullying", "major", ("bullying or harassment",)),
    (
        "harassment",
        "Harassment",
        "Hostigamiento",
        "Harassment",
        "major",
        ("social media harassment", "online harm", "cyberbullying"),
    ),
    (
        "harmful_language",
        "Harmful language",
        "Lenguaje ofensivo",
        "Abusive language/Inappropriate language/Profanity",
        "major",
        ("abusive language", "inappropriate language", "profanity"),
    ),
    (
        "disrespect",
        "Disrespect to staff",
        "Falta de respeto al personal",
        "Disrespect",
        "minor",
        ("disrespect toward staff", "disrespect"),
    ),
    (
        "defiance",
        "Defiance",
        "Desafío a la autoridad",
        "Defiance/Insubordination/Non-compliance",
        "major",
        ("insubordination", "non-compliance"),
    ),
    (
        "disruption",
        "Classroom disruption",
        "Interrupción en clase",
        "Disruption",
        "minor",
        ("disruption",),
    ),
    (
        "property_damage",
        "Vandalism",
        "Vandalismo",
        "Property damage/Vandalism",
        "major",
        ("property damage", "graffiti"),
    ),
    ("theft", "Theft", "Robo", "Forgery/Theft/Plagiarism", "major", ("stealing",)),
    (
        "truancy",
        "Attendance and truancy",
        "Asistencia y ausentismo",
        "Truancy",
        "major",
        ("attendance", "truancy", "skipping class"),
    ),
    (
        "technology",
        "Technology violation",
        "Uso indebido de la tecnología",
        "Technology violation",
        "minor",
        ("phone", "technology"),
    ),
    ("other", "Other behaviour", "Otra conducta", "Other behavior", "minor", ()),
)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def _key(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", _fold(text)).strip("_")[:40] or "unmapped"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _id_of(conn: sa.Connection, key: str) -> int:
    found = conn.execute(sa.text("SELECT id FROM incident_type WHERE key = :k"), {"k": key})
    return int(found.scalar_one())


def upgrade() -> None:
    op.create_table(
        "incident_type",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("label_es", sa.String(length=60), nullable=True),
        sa.Column("swis_behavior", sa.String(length=80), nullable=True),
        sa.Column("swis_level", sa.String(length=8), nullable=True),
        sa.Column("state_category", sa.String(length=120), nullable=True),
        sa.Column("needs_mapping", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("archived_at", sa.String(length=32), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_type")),
        sa.UniqueConstraint("key", name=op.f("uq_incident_type_key")),
        sa.UniqueConstraint("uuid", name=op.f("uq_incident_type_uuid")),
    )
    # Plain ADD COLUMN keeps case_file (and the search triggers on it) as it is; a batch copy
    # of the table would drop those triggers.
    op.execute(
        "ALTER TABLE case_file ADD COLUMN incident_type_id INTEGER "
        "CONSTRAINT fk_case_file_incident_type_id_incident_type REFERENCES incident_type (id)"
    )
    op.add_column("case_file", sa.Column("incident_time", sa.String(length=5), nullable=True))
    op.create_index(
        op.f("ix_case_file_incident_type_id"), "case_file", ["incident_type_id"], unique=False
    )
    # Reports count who was present in each circle from the index alone (1.7 million
    # participants on the large demo: about 1.5 s less per report).
    op.create_index(
        "ix_participant_attendance", "participant", ["circle_id", "attendance"], unique=False
    )

    conn = op.get_bind()
    now = _now()
    words: dict[str, int] = {}
    taken: set[str] = set()
    for position, (key, label, label_es, behavior, level, others) in enumerate(VOCABULARY):
        conn.execute(
            sa.text(
                "INSERT INTO incident_type (key, label, label_es, swis_behavior, swis_level, "
                "needs_mapping, position, uuid, created_at, updated_at) VALUES "
                "(:key, :label, :label_es, :behavior, :level, false, :position, :uuid, :now, :now)"
            ),
            {
                "key": key,
                "label": label,
                "label_es": label_es,
                "behavior": behavior,
                "level": level,
                "position": position,
                "uuid": str(uuid_module.uuid4()),
                "now": now,
            },
        )
        type_id = _id_of(conn, key)
        taken.add(key)
        for word in (label, key.replace("_", " "), *others):
            words.setdefault(_fold(word), type_id)

    position = len(VOCABULARY)
    categories = conn.execute(
        sa.text("SELECT DISTINCT incident_category FROM case_file ORDER BY incident_category")
    ).scalars()
    for category in list(categories):
        folded = _fold(category or "")
        type_id = words.get(folded)
        if type_id is None:
            # Kept as the school wrote it, flagged so the counselor maps it to a SWIS code.
            text = " ".join((category or "").split())[:60] or "Not recorded"
            key = _key(text, taken)
            taken.add(key)
            conn.execute(
                sa.text(
                    "INSERT INTO incident_type (key, label, needs_mapping, position, uuid, "
                    "created_at, updated_at) "
                    "VALUES (:key, :label, true, :position, :uuid, :now, :now)"
                ),
                {
                    "key": key,
                    "label": text,
                    "position": position,
                    "uuid": str(uuid_module.uuid4()),
                    "now": now,
                },
            )
            position += 1
            type_id = _id_of(conn, key)
            words[folded] = type_id
        conn.execute(
            sa.text("UPDATE case_file SET incident_type_id = :id WHERE incident_category = :c"),
            {"id": type_id, "c": category},
        )


def downgrade() -> None:
    op.drop_index("ix_participant_attendance", table_name="participant")
    op.drop_index(op.f("ix_case_file_incident_type_id"), table_name="case_file")
    conn = op.get_bind()
    # A column in a foreign key can only leave by copying the table, which drops the search
    # triggers on it: keep their definitions and make them again afterwards.
    triggers = []
    if conn.dialect.name == "sqlite":
        triggers = list(
            conn.execute(
                sa.text(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                    "AND tbl_name = 'case_file' AND sql IS NOT NULL"
                )
            ).scalars()
        )
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_column("incident_time")
        batch_op.drop_column("incident_type_id")
    for sql in triggers:
        op.execute(sql)
    op.drop_table("incident_type")

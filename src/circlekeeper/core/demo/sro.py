"""The demo's SRO log and training: each school's officer over the demo's year, made up.

Written with plain ``executemany`` on the demo's own connection, after the people exist.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from circlekeeper.core.domain.sro import DEFAULT_ROLE, EVENT_TYPES, ActivityType

# (type, minutes, weight): what an officer's weeks are mostly made of.
_ACTIVITIES: tuple[tuple[ActivityType, int, int], ...] = (
    (ActivityType.CLASS_TAUGHT, 50, 10),
    (ActivityType.MENTORING_SESSION, 30, 12),
    (ActivityType.FAMILY_CONTACT, 15, 5),
    (ActivityType.SCHOOL_EVENT, 120, 4),
    (ActivityType.COMMUNITY_FORUM, 90, 1),
    (ActivityType.PARENT_NIGHT, 120, 1),
    (ActivityType.STUDENT_PANEL, 60, 1),
    (ActivityType.SAFETY_DRILL, 30, 2),
    (ActivityType.INCIDENT_RESPONSE, 45, 6),
    (ActivityType.CITATION, 40, 2),
    (ActivityType.ARREST, 90, 1),
)
_COURSES = (
    ("Youth Mental Health First Aid", "mental_health_first_aid", 80, "County health department"),
    ("Verbal de-escalation for school settings", "de_escalation", 160, "State training board"),
    ("Trauma-informed schools", "trauma_informed", 60, "Regional education service"),
    ("Restorative conferences for co-facilitators", "restorative_practice", 120, "District"),
)


def add_sro_log(
    conn: sqlite3.Connection,
    rng: random.Random,
    officers: Sequence[str],
    students: Sequence[int],
    incident_types: dict[str, int],
    day: Callable[[], date],
    now: datetime,
    per_officer: int,
) -> int:
    """Add ``per_officer`` activities and a few courses for each officer; returns rows made."""
    stamp = now.astimezone(UTC).isoformat(timespec="microseconds")
    types = [t for t, _m, _w in _ACTIVITIES]
    weights = [w for _t, _m, w in _ACTIVITIES]
    minutes_of = {t: m for t, m, _w in _ACTIVITIES}
    incidents = [incident_types[k] for k in ("fighting", "drugs_alcohol") if k in incident_types]
    rows = []
    for officer in officers:
        for _ in range(per_officer):
            kind = rng.choices(types, weights)[0]
            event = kind in EVENT_TYPES
            about_one = not event and kind is not ActivityType.SCHOOL_EVENT and bool(students)
            enforcement = kind in (ActivityType.CITATION, ActivityType.ARREST)
            rows.append(
                (
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    stamp,
                    stamp,
                    officer,
                    DEFAULT_ROLE[kind].value,
                    kind.value,
                    day().isoformat(),
                    minutes_of[kind],
                    None,
                    rng.randint(15, 180) if event else None,
                    rng.choice(students) if about_one else None,
                    rng.choice(incidents) if enforcement and incidents else None,
                )
            )
    conn.executemany(
        "INSERT INTO sro_activity (uuid, created_at, updated_at, officer, role, activity_type, "
        "on_date, minutes, place, attendance, student_id, incident_type_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    courses = [
        (
            str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            stamp,
            stamp,
            officer,
            course,
            category,
            tenths,
            day().isoformat(),
            provider,
        )
        for officer in officers
        for course, category, tenths, provider in rng.sample(_COURSES, 3)
    ]
    conn.executemany(
        "INSERT INTO training_record (uuid, created_at, updated_at, trainee, course, category, "
        "tenths, completed_on, provider) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        courses,
    )
    return len(rows) + len(courses)

"""Fictional fidelity checklists and survey answers for the demo database's held circles.

Written straight into the demo file (the same private sqlite3 connection as the rest of the
demo), after its circles: most held circles get a checklist, many get a round of surveys.
"""

from __future__ import annotations

import json
import random
import sqlite3
import uuid
from datetime import datetime

from circlekeeper.core.domain.enums import CircleKind
from circlekeeper.core.domain.fidelity import Answer, FidelityItem, items_for
from circlekeeper.core.domain.surveys import SurveyQuestion
from circlekeeper.core.evaluation.fidelity import PRESENT, takes_part

_NOT_EVALUATED = (CircleKind.PRE_MEETING.value, CircleKind.COMPLETION_MEETING.value)
# How often keepers in the demo say each item was kept.
_KEPT = {
    FidelityItem.CONFIDENTIALITY_LIMITS: 0.7,
    FidelityItem.EVERY_STAGE: 0.75,
    FidelityItem.CLOSING: 0.85,
    FidelityItem.PARTICIPANTS_PREPARED: 0.8,
}
_ANSWERS = (("yes", 68), ("somewhat", 21), ("no", 8), (None, 3))


def add_evaluation(conn: sqlite3.Connection, seed: int) -> dict[str, int]:
    """Add checklists, survey rounds and answers; returns how many of each were written."""
    rng = random.Random(seed * 31 + 5)
    present: dict[int, int] = {}
    for circle_id, role, attendance in conn.execute(
        "SELECT circle_id, role, attendance FROM participant"
    ):
        if takes_part(role) and attendance in PRESENT:
            present[circle_id] = present.get(circle_id, 0) + 1
    circles = conn.execute(
        "SELECT id, kind, started_at, ended_at, facilitator_id FROM circle "
        "WHERE status = 'completed' AND started_at IS NOT NULL ORDER BY id"
    ).fetchall()
    checks: list[tuple[object, ...]] = []
    sittings: list[tuple[object, ...]] = []
    responses: list[tuple[object, ...]] = []
    used: set[int] = set()
    sitting_id = conn.execute("SELECT coalesce(max(id), 0) FROM survey_sitting").fetchone()[0]
    for circle_id, kind, started, ended, _keeper in circles:
        if kind in _NOT_EVALUATED:
            continue
        day = datetime.fromisoformat(started).astimezone().date()
        stamp = ended or started
        if rng.random() < 0.8:
            answers = {
                item.value: Answer.YES.value
                if rng.random() < _KEPT.get(item, 0.93)
                else Answer.NO.value
                for item in items_for(kind)
            }
            prefilled: dict[str, bool | None] = {
                k: v == Answer.YES.value for k, v in answers.items()
            }
            prefilled[FidelityItem.CONFIDENTIALITY_LIMITS.value] = None  # only the keeper knows
            checks.append(
                (
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    stamp,
                    stamp,
                    circle_id,
                    json.dumps(answers, sort_keys=True),
                    json.dumps(prefilled, sort_keys=True),
                    "",
                    day.isoformat(),
                    "",
                )
            )
        expected = present.get(circle_id, 0)
        if expected and rng.random() < 0.6:
            sitting_id += 1
            source = "paper" if rng.random() < 0.25 else "window"
            sittings.append(
                (
                    sitting_id,
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    stamp,
                    stamp,
                    circle_id,
                    source,
                    expected,
                    day.isoformat(),
                    stamp,
                )
            )
            for _ in range(sum(1 for _ in range(expected) if rng.random() < 0.85) or 1):
                key = rng.randrange(1, 2**53)
                while key in used:
                    key = rng.randrange(1, 2**53)
                used.add(key)
                values = rng.choices(
                    [a for a, _w in _ANSWERS], [w for _a, w in _ANSWERS], k=len(SurveyQuestion)
                )
                if all(v is None for v in values):
                    values[0] = "yes"
                responses.append(
                    (key, str(uuid.UUID(int=rng.getrandbits(128), version=4)), sitting_id, *values)
                )
    conn.executemany(
        "INSERT INTO fidelity_check (uuid, created_at, updated_at, circle_id, answers, "
        "prefilled, completed_by, completed_on, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        checks,
    )
    conn.executemany(
        "INSERT INTO survey_sitting (id, uuid, created_at, updated_at, circle_id, source, "
        "expected, held_on, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sittings,
    )
    conn.executemany(
        "INSERT INTO survey_response (id, uuid, sitting_id, heard, safe, fair, again) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        responses,
    )
    return {
        "fidelity_check": len(checks),
        "survey_sitting": len(sittings),
        "survey_response": len(responses),
    }

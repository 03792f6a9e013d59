"""Reading a running circle: its saved position, its notes for a viewer, the end summary.

The live state is one JSON column read and written by primary key; these helpers turn it
into a :class:`LiveState` and back, and build the summary kept when a circle ends.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from circlekeeper.core.circles.rows import PRINCIPAL_ROLES, ParticipantRow
from circlekeeper.core.domain.enums import NotePrivacy, Role
from circlekeeper.core.domain.live import LiveState, Tag
from circlekeeper.core.domain.script_snapshot import script_from_json
from circlekeeper.core.facilitation.rows import NoteRow
from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.store.models import Circle, Note, Participant, StageRecord, Turn

SUMMARY_FORMAT = 1


def tags_for(rows: list[ParticipantRow]) -> dict[int, list[str]]:
    """What each participant is, for deciding which stages are addressed to them."""
    by_id = {r.id: r for r in rows}
    tags: dict[int, list[str]] = {}
    for r in rows:
        found: list[str] = []
        if r.role in (Role.FACILITATOR.value, Role.CO_FACILITATOR.value):
            found.append(Tag.KEEPER)
        elif r.role == Role.OBSERVER.value:
            found.append(Tag.OBSERVER)
        elif r.role in PRINCIPAL_ROLES:
            if r.role != Role.HARMED.value:
                found.append(Tag.RESPONSIBLE)
            if r.role != Role.RESPONSIBLE.value:
                found.append(Tag.HARMED)
        elif r.supporter_of_id in by_id:
            supported = by_id[r.supporter_of_id].role
            if supported in (Role.RESPONSIBLE.value, Role.HARMED_AND_RESPONSIBLE.value):
                found.append(Tag.SUPPORTERS_OF_RESPONSIBLE)
            if supported in (Role.HARMED.value, Role.HARMED_AND_RESPONSIBLE.value):
                found.append(Tag.SUPPORTERS_OF_HARMED)
        if not found:
            found.append(Tag.OTHERS)
        tags[r.id] = [str(t) for t in found]
    return tags


def moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def visible_notes(session: Session, circle_id: int, viewer: Viewer) -> list[NoteRow]:
    """A circle's notes as ``viewer`` may see them: a private note only to its author."""
    query = select(Note).where(Note.circle_id == circle_id).order_by(Note.id)
    return [note_row(n) for n in viewer.visible_notes(session.scalars(query))]


def circle_summary(
    session: Session, circle: Circle, state: LiveState, now: float
) -> dict[str, Any]:
    """What a finished circle keeps: time per stage, who spoke and passed, attendance, notes."""
    script = script_from_json(circle.script_snapshot or "")
    seconds: dict[int, float] = {}
    for index, began, ended in session.execute(
        select(StageRecord.stage_index, StageRecord.started_at, StageRecord.ended_at).where(
            StageRecord.circle_id == circle.id
        )
    ):
        finish = ended or moment(now)
        seconds[index] = seconds.get(index, 0.0) + (finish - began).total_seconds()
    counts: dict[int, dict[str, int]] = {}
    for pid, passed, count in session.execute(
        select(Turn.participant_id, Turn.passed, func.count())
        .where(Turn.circle_id == circle.id)
        .group_by(Turn.participant_id, Turn.passed)
    ):
        if pid is None:
            continue
        entry = counts.setdefault(pid, {"spoke": 0, "passed": 0})
        entry["passed" if passed else "spoke"] += count
    notes = dict.fromkeys((p.value for p in NotePrivacy), 0)
    for privacy, count in session.execute(
        select(Note.privacy, func.count()).where(Note.circle_id == circle.id).group_by(Note.privacy)
    ):
        notes[privacy] = count
    people = []
    for pid, role, attendance in session.execute(
        select(Participant.id, Participant.role, Participant.attendance)
        .where(Participant.circle_id == circle.id)
        .order_by(Participant.seat_position, Participant.id)
    ):
        entry = counts.get(pid, {"spoke": 0, "passed": 0})
        people.append(
            {
                "participant_id": pid,
                "role": role,
                "attendance": attendance,
                "spoke": entry["spoke"],
                "passed": entry["passed"],
            }
        )
    started = circle.started_at or moment(now)
    return {
        "format": SUMMARY_FORMAT,
        "duration_seconds": round((moment(now) - started).total_seconds()),
        "stages": [
            {
                "index": index,
                "type": stage.type.value,
                "title": stage.title,
                "seconds": round(seconds.get(index, 0.0)),
                "visited": index in seconds,
            }
            for index, stage in enumerate(script.stages)
        ],
        "participants": people,
        "spoke": sorted(pid for pid, c in counts.items() if c["spoke"]),
        "passed": sorted(pid for pid, c in counts.items() if c["passed"]),
        "turns": sum(c["spoke"] + c["passed"] for c in counts.values()),
        "notes": {**notes, "total": sum(notes.values())},
        "last_stage": state.stage_index,
    }


def note_row(note: Note) -> NoteRow:
    return NoteRow(
        note.id,
        note.uuid,
        note.stage_index,
        note.participant_id,
        note.privacy,
        note.text,
        note.created_at,
        note.author,
    )


def dump_state(state: LiveState) -> str:
    return json.dumps(state.to_dict(), separators=(",", ":"))


def load_state(raw: str) -> LiveState:
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not a table")
        return LiveState.from_dict(data)
    except ValueError as exc:
        raise InvalidInput(
            _(
                "The saved position in this circle cannot be read ({exc}). Notes and turns "
                "already recorded are safe.",
                exc=exc,
            )
        ) from None


def load_json(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}

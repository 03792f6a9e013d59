"""The plain records the facilitator and projector windows show while a circle runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from circlekeeper.core.circles.rows import ParticipantRow
from circlekeeper.core.domain.live import LiveState
from circlekeeper.core.domain.script import Script


@dataclass(frozen=True)
class NoteRow:
    id: int
    uuid: str
    stage_index: int | None
    participant_id: int | None
    privacy: str
    text: str
    created_at: datetime
    author: str | None = None


@dataclass
class LiveSession:
    """What the facilitator view loads once when a circle starts or resumes."""

    circle_id: int
    uuid: str
    kind: str
    title: str
    script: Script
    participants: dict[int, ParticipantRow]  # by participant id
    state: LiveState
    notes: list[NoteRow] = field(default_factory=list)
    # The school's MOU statement on admissions, by language, read at the opening of a
    # conference an officer takes part in (empty otherwise).
    officer_statement: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Joined:
    """Someone joined late: the new state and their participant row (to add to the ring)."""

    state: LiveState
    participant: ParticipantRow

"""What each live action does to a running circle's rows, in the service's transaction.

:meth:`FacilitationService.apply` runs the move :func:`move_for` gives inside its transaction:
the state changes as :func:`~circlekeeper.core.facilitation.actions.move_state` says (the same
dispatch the laptop's journal and the server's one-statement lane use), and the rows it asks
for (a turn, a stage, a departure) are written here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from circlekeeper.core.domain.enums import Attendance
from circlekeeper.core.domain.live import LiveState, TurnTaken
from circlekeeper.core.facilitation.actions import Action, Moved, move_state
from circlekeeper.core.facilitation.queries import moment
from circlekeeper.core.store.models import Participant, StageRecord, Turn

if TYPE_CHECKING:
    from circlekeeper.core.facilitation.commands import FacilitationService


def move_for(
    service: FacilitationService, action: Action
) -> Callable[[LiveState, float, Session], object]:
    """What one live action does to the state and the rows, in the service's transaction."""
    circle_id = service.circle_id

    def move(state: LiveState, now: float, session: Session) -> None:
        store_moved(circle_id, session, state, now, move_state(state, action))

    return move


def store_moved(
    circle_id: int, session: Session, state: LiveState, now: float, moved: Moved
) -> None:
    """Write the rows a move asked for; the ids they get go back into the state."""
    if moved.turn is not None:
        _record_turn(circle_id, session, state, moved.turn)
    if moved.removed_turn is not None:
        session.execute(
            delete(Turn).where(Turn.id == moved.removed_turn, Turn.circle_id == circle_id)
        )
    if moved.left is not None:
        session.execute(
            update(Participant)
            .where(Participant.id == moved.left, Participant.circle_id == circle_id)
            .values(attendance=Attendance.LEFT_EARLY.value, left_at=moment(now))
        )
    if moved.stage_changed:
        _change_stage(circle_id, session, state, now)


def turn_values(circle_id: int, turn: TurnTaken) -> dict[str, object]:
    """A finished turn as its row's columns."""
    return {
        "circle_id": circle_id,
        "stage_index": turn.stage_index,
        "round_number": turn.round_number,
        "participant_id": turn.participant_id,
        "passed": turn.passed,
        "started_at": moment(turn.started_at),
        "duration_ms": max(0, round((turn.ended_at - turn.started_at) * 1000)),
    }


def _record_turn(circle_id: int, session: Session, state: LiveState, turn: TurnTaken) -> None:
    row = Turn(**turn_values(circle_id, turn))
    session.add(row)
    session.flush()
    state.note_turn_id(row.id)


def _change_stage(circle_id: int, session: Session, state: LiveState, now: float) -> None:
    if state.stage_record_id is not None:
        session.execute(
            update(StageRecord)
            .where(StageRecord.id == state.stage_record_id)
            .values(ended_at=moment(now))
        )
    record = StageRecord(circle_id=circle_id, stage_index=state.stage_index, started_at=moment(now))
    session.add(record)
    session.flush()
    state.stage_record_id = record.id

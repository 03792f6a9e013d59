"""What each live action does to a running circle's state and rows, in one transaction.

:meth:`FacilitationService.apply` runs the move :func:`move_for` gives inside its transaction;
the same moves run on the laptop alone while the server is away (``actions.move_in_memory``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from circlekeeper.core.domain.enums import Attendance
from circlekeeper.core.domain.live import LiveState, TurnTaken
from circlekeeper.core.facilitation.actions import Action, display_args
from circlekeeper.core.facilitation.queries import moment
from circlekeeper.core.store.models import Participant, StageRecord, Turn

if TYPE_CHECKING:
    from circlekeeper.core.facilitation.commands import FacilitationService


def move_for(
    service: FacilitationService, action: Action
) -> Callable[[LiveState, float, Session], object]:
    """What one live action does to the state and the rows, in the service's transaction."""
    circle_id = service.circle_id
    kind, args = action.kind, action.args
    if kind == "next_speaker":
        return lambda s, now, db: _record_turn(circle_id, db, s, s.next_speaker(now))
    if kind == "pass_turn":
        return lambda s, now, db: _record_turn(circle_id, db, s, s.pass_turn(now))
    if kind == "choose_speaker":
        return lambda s, now, db: s.choose_speaker(int(args["participant_id"]), now)
    if kind == "set_mode":
        return lambda s, now, db: s.set_mode(str(args["mode"]), now)
    if kind == "back":
        return lambda s, now, db: _back(circle_id, s, now, db)
    if kind in ("next_stage", "previous_stage"):
        return lambda s, now, db: _change_stage(
            circle_id, db, s, now, s.next_stage if kind == "next_stage" else s.previous_stage
        )
    if kind == "leave_early":
        return lambda s, now, db: _leave(circle_id, s, now, db, int(args["participant_id"]))
    if kind == "set_display":
        return lambda s, now, db: s.set_display(**display_args(args))
    if kind == "skip_downtime":
        return lambda s, now, db: s.skip(float(args["seconds"]))
    timer = kind if kind in ("start_timer", "pause_timer") else "reset_timer"
    return lambda s, now, db: getattr(s, timer)(now)


def _back(circle_id: int, state: LiveState, now: float, session: Session) -> None:
    turn_id = state.back(now)
    if turn_id is not None:
        session.execute(delete(Turn).where(Turn.id == turn_id, Turn.circle_id == circle_id))


def _leave(
    circle_id: int, state: LiveState, now: float, session: Session, participant_id: int
) -> None:
    state.leave_early(participant_id, now)
    session.execute(
        update(Participant)
        .where(Participant.id == participant_id, Participant.circle_id == circle_id)
        .values(attendance=Attendance.LEFT_EARLY.value, left_at=moment(now))
    )


def _record_turn(
    circle_id: int, session: Session, state: LiveState, turn: TurnTaken | None
) -> None:
    if turn is None:
        return
    row = Turn(
        circle_id=circle_id,
        stage_index=turn.stage_index,
        round_number=turn.round_number,
        participant_id=turn.participant_id,
        passed=turn.passed,
        started_at=moment(turn.started_at),
        duration_ms=max(0, round((turn.ended_at - turn.started_at) * 1000)),
    )
    session.add(row)
    session.flush()
    state.note_turn_id(row.id)


def _change_stage(
    circle_id: int,
    session: Session,
    state: LiveState,
    now: float,
    change: Callable[[float], None],
) -> None:
    change(now)
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

"""The two live actions that add rows of their own: a note kept, someone seated late.

Both are stored by :meth:`FacilitationService.apply` like every live action, once per action
id: a note takes the action's id as its uuid; a late arrival is remembered in the live state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from circlekeeper.core.audit import audit
from circlekeeper.core.circles.queries import participant_rows
from circlekeeper.core.domain.enums import Attendance, CircleStatus
from circlekeeper.core.domain.live import LiveState
from circlekeeper.core.facilitation.actions import Action
from circlekeeper.core.facilitation.queries import load_state, moment, note_row, tags_for
from circlekeeper.core.facilitation.rows import Joined, NoteRow
from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.models import Note, Participant, Person

if TYPE_CHECKING:
    from circlekeeper.core.facilitation.commands import FacilitationService


def seat_late(
    service: FacilitationService, action: Action
) -> Callable[[LiveState, float, Session], Joined]:
    """The move that seats someone arriving late (see :meth:`FacilitationService.join_late`)."""
    circle_id = service.circle_id
    args = action.args
    person_id, role = int(args["person_id"]), str(args["role"])
    supporter_of, position = args.get("supporter_of"), args.get("position")

    def move(state: LiveState, now: float, session: Session) -> Joined:
        if session.get(Person, person_id) is None:
            raise NotFound(
                _(
                    "Person {person_id} is not in this database.",
                    person_id=person_id,
                )
            )
        participant = session.scalar(
            select(Participant).where(
                Participant.circle_id == circle_id, Participant.person_id == person_id
            )
        )
        if participant is None:
            if supporter_of is not None:
                other = session.get(Participant, supporter_of)
                if other is None or other.circle_id != circle_id:
                    raise InvalidInput(_("The person supported is not in this circle."))
            last = session.scalar(
                select(func.max(Participant.seat_position)).where(
                    Participant.circle_id == circle_id
                )
            )
            participant = Participant(
                circle_id=circle_id,
                person_id=person_id,
                role=role,
                supporter_of_id=supporter_of,
                seat_position=(last or 0) + 1,
                consent=True,  # they chose to come in
            )
            session.add(participant)
            session.flush()
        participant.attendance = Attendance.JOINED_LATE.value
        participant.joined_at = moment(now)
        participant.left_at = None
        on = moment(now).astimezone().date()
        rows = participant_rows(session, circle_id, on)
        state.join_late(participant.id, position, tags_for(rows)[participant.id], now)
        audit.record(session, "join_late", "participant", participant.uuid)
        return Joined(state, next(r for r in rows if r.id == participant.id))

    return move


def store_note(service: FacilitationService, action: Action) -> NoteRow:
    """Keep a note once: a note whose action id is stored already is given back unchanged."""
    circle_id = service.circle_id
    args = action.args
    participant_id = args.get("participant_id")
    ctx = service.context_of(action)
    with ctx.write("add note") as session:
        status, raw = service.read_live(session)
        if status != CircleStatus.IN_PROGRESS.value:
            raise InvalidInput(_("Notes are added while the circle is running."))
        kept = session.scalar(select(Note).where(Note.uuid == action.id))
        if kept is not None:
            return note_row(kept)  # sent before: nothing doubles
        state = load_state(raw)
        if participant_id is not None:
            owner = session.scalar(
                select(Participant.circle_id).where(Participant.id == participant_id)
            )
            if owner != circle_id:
                raise InvalidInput(_("That person is not in this circle."))
        stage_index = args.get("stage_index")
        index = state.stage_index if stage_index is None else int(stage_index)
        if not 0 <= index < len(state.stages):
            raise InvalidInput(_("That stage is not in this circle's script."))
        note = Note(
            uuid=action.id,
            circle_id=circle_id,
            stage_index=index,
            participant_id=participant_id,
            privacy=str(args["privacy"]),
            author=ctx.actor() or None,
            text=str(args["text"]),
            created_at=moment(action.at),
        )
        session.add(note)
        session.flush()
        # The audit line says a note exists, never what it says: private notes stay private.
        audit.record(
            session,
            "add_note",
            "note",
            note.uuid,
            circle_id=circle_id,
            privacy=note.privacy,
        )
        return note_row(note)

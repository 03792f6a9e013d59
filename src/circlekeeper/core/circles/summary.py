"""The summary of a circle or conference kept in the file, as a plain view for export."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.agreements.views import (
    agreement_view,
    full_name,
    local_date,
    names_of,
    school_view,
)
from circlekeeper.core.domain.enums import AgreementStatus, NotePrivacy
from circlekeeper.core.export.views import CircleSummaryView, NoteView, PartyView
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.people import is_minor
from circlekeeper.core.problems import NotFound
from circlekeeper.core.profiles.viewer import SCHOOL_COPY
from circlekeeper.core.store.models import Agreement, Circle, Note, Participant, Person


def _clock(moment: datetime | None) -> str | None:
    return moment.astimezone().strftime("%H:%M") if moment is not None else None


class CircleSummaryService:
    """Builds :class:`CircleSummaryView` for the circle-summary export."""

    def __init__(self, context: Context | sessionmaker[Session]) -> None:
        self.ctx = as_context(context)

    def view(self, circle_id: int, *, today: date | None = None) -> CircleSummaryView:
        """A circle's summary with the notes the context's viewer may see.

        A private note is kept only for its author, never for an SRO (:class:`Viewer`); a
        context that names nobody gets the record notes only. An SRO gets the copy for sharing
        (no demographic fields; the agreement as shared), whichever screen or command asks.
        """
        today = today or date.today()
        viewer = self.ctx.viewer()
        with self.ctx.read() as session:
            circle = session.get(Circle, circle_id)
            if circle is None:
                raise NotFound(
                    _(
                        "There is no circle with id {circle_id} in this database.",
                        circle_id=circle_id,
                    )
                )
            participants = list(
                session.scalars(
                    select(Participant)
                    .where(Participant.circle_id == circle_id)
                    .order_by(Participant.seat_position, Participant.id)
                )
            )
            people = {
                p.id: p
                for p in session.scalars(
                    select(Person).where(Person.id.in_([p.person_id for p in participants]))
                )
            }
            by_participant = {p.id: people[p.person_id] for p in participants}
            held_on = local_date(circle.started_at or circle.scheduled_at)
            names = names_of(session, [circle.facilitator_id, circle.co_facilitator_id])
            query = select(Note).where(Note.circle_id == circle_id).order_by(Note.id)
            rows = viewer.visible_notes(session.scalars(query))
            notes = [
                NoteView(
                    n.text,
                    n.privacy == NotePrivacy.PRIVATE.value,
                    n.author,
                    full_name(by_participant[n.participant_id])
                    if n.participant_id in by_participant
                    else None,
                )
                for n in rows
            ]
            agreement = session.scalar(
                select(Agreement)
                .where(
                    Agreement.circle_id == circle_id,
                    Agreement.status != AgreementStatus.SUPERSEDED.value,
                )
                .order_by(Agreement.id.desc())
            )
            view = CircleSummaryView(
                id=circle.id,
                uuid=circle.uuid,
                school=school_view(session),
                kind=circle.kind,
                title=circle.title,
                purpose=circle.purpose,
                status=circle.status,
                held_on=held_on,
                started_at=_clock(circle.started_at),
                ended_at=_clock(circle.ended_at),
                location=circle.location,
                facilitator=names.get(circle.facilitator_id or -1),
                co_facilitator=names.get(circle.co_facilitator_id or -1),
                printed_on=today,
                participants=[
                    PartyView(
                        person.id,
                        full_name(person),
                        p.role,
                        person.kind,
                        is_minor(person, held_on or today),
                        person.grade,
                        person.pronouns,
                        full_name(by_participant[p.supporter_of_id])
                        if p.supporter_of_id in by_participant
                        else None,
                    )
                    for p in participants
                    for person in [people[p.person_id]]
                ],
                attendance={p.person_id: p.attendance for p in participants},
                notes=notes,
                agreement=agreement_view(session, agreement, today=today) if agreement else None,
            )
        # An SRO gets the copy for sharing: no private note, no demographic, no school wording.
        return view if SCHOOL_COPY in viewer.audiences else view.for_sharing()

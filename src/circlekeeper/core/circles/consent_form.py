"""The consent form of a circle that deals with harm, as a plain view for export.

One page per person taking part (keepers and observers aside), or for one person: their name
and role, and for a minor (``people.is_minor``, on the circle's day, the one rule) a line for
each guardian who may consent for them, or a blank guardian line when none is on record.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.agreements.views import full_name, local_date, names_of, school_view
from circlekeeper.core.cases.eligibility import NOT_TAKING_PART
from circlekeeper.core.domain.eligibility import HARM_KINDS
from circlekeeper.core.domain.enums import circle_kind_label
from circlekeeper.core.export.views import ConsentFormView, ConsentPersonView
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.people import is_minor
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.models import Circle, GuardianLink, Participant, Person


def consent_form_view(
    context: Context | sessionmaker[Session],
    circle_id: int,
    person_id: int | None = None,
    *,
    today: date | None = None,
) -> ConsentFormView:
    """The consent form of ``circle_id``, for everyone taking part or for ``person_id``."""
    today = today or date.today()
    with as_context(context).read() as session:
        circle = session.get(Circle, circle_id)
        if circle is None:
            raise NotFound(_("There is no circle with id {id} in this database.", id=circle_id))
        if circle.kind not in HARM_KINDS:
            raise InvalidInput(
                _(
                    "A consent form is for a circle that deals with harm (harm and repair, "
                    "re-entry, a conference); this one is a {kind}.",
                    kind=_(circle_kind_label(circle.kind)).lower(),
                )
            )
        on = local_date(circle.scheduled_at or circle.started_at) or today
        query = (
            select(Participant, Person)
            .join(Person, Person.id == Participant.person_id)
            .where(Participant.circle_id == circle_id, Participant.role.not_in(NOT_TAKING_PART))
            .order_by(Participant.seat_position, Participant.id)
        )
        if person_id is not None:
            query = query.where(Participant.person_id == person_id)
        found = list(session.execute(query))
        if person_id is not None and not found:
            raise NotFound(
                _(
                    "Person {person} does not take part in circle {circle}, so there is no "
                    "consent form for them.",
                    person=person_id,
                    circle=circle_id,
                )
            )
        if not found:
            raise InvalidInput(
                _(
                    "Nobody taking part has been invited to this circle yet, so there is no "
                    "consent form to print."
                )
            )
        people = [
            ConsentPersonView(
                person.id,
                full_name(person),
                participant.role,
                minor,
                _guardians(session, person.id) if minor else [],
            )
            for participant, person in found
            for minor in [is_minor(person, on)]
        ]
        names = names_of(session, [circle.facilitator_id])
        return ConsentFormView(
            circle_id=circle.id,
            uuid=circle.uuid,
            school=school_view(session),
            kind=circle.kind,
            held_on=local_date(circle.scheduled_at or circle.started_at),
            location=circle.location,
            facilitator=names.get(circle.facilitator_id or -1),
            printed_on=today,
            people=people,
        )


def consent_form_people(context: Context, circle_id: int) -> list[tuple[int, str]]:
    """Who a circle's consent form can be printed for: (person id, name)."""
    view = consent_form_view(context, circle_id)
    return [(p.person_id, p.name) for p in view.people]


def _guardians(session: Session, student_id: int) -> list[str]:
    rows = session.scalars(
        select(Person)
        .join(GuardianLink, GuardianLink.guardian_id == Person.id)
        .where(GuardianLink.student_id == student_id, GuardianLink.can_consent)
        .order_by(Person.last_name, Person.first_name)
    )
    return [full_name(g) for g in rows]

"""Planning circles and conferences: who comes, where they sit, and whether it is ready.

A conference needs preparation (a meeting with each person, their consent, a guardian's for
minors) and passes an eligibility screen. :meth:`CirclePlanner.readiness` explains in plain
words what is still missing; the keeper, who knows things the program does not, may start
anyway, except when the eligibility screen blocks the conference (an exclusion, the
facilitator's halt, a refusal: see :mod:`circlekeeper.core.domain.eligibility`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from circlekeeper.core.audit import audit
from circlekeeper.core.cases.eligibility import adopt_circle_screen
from circlekeeper.core.circles.queries import (
    CircleQueries,
    circle_day,
    participant_row,
    participant_rows,
)
from circlekeeper.core.circles.rows import CircleDetail, CirclePlan, ParticipantRow
from circlekeeper.core.domain.eligibility import WITHDRAWN_BY
from circlekeeper.core.domain.enums import Attendance, CircleKind, CircleStatus, Role
from circlekeeper.core.domain.script_snapshot import script_from_json, script_to_json
from circlekeeper.core.i18n import _, say_date
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.schools import school_for_circle
from circlekeeper.core.sro import mou
from circlekeeper.core.store.models import Case, Circle, Participant, Person


class CirclePlanner(CircleQueries):
    """Plan circles and conferences; list them and show one in detail."""

    def plan(self, plan: CirclePlan) -> CircleDetail:
        """Create a planned circle; the facilitators join the ring as participants."""
        snapshot = self._check_plan(plan)
        self._check_lead(plan.facilitator_id, None)
        with self.ctx.write("plan circle") as session:
            self._check_people(session, plan)
            circle = Circle(status=CircleStatus.PLANNED.value)
            self._apply(circle, plan, snapshot)
            circle.school_id = school_for_circle(session, circle.case_id, circle.facilitator_id)
            session.add(circle)
            session.flush()
            for person_id, role in (
                (plan.facilitator_id, Role.FACILITATOR),
                (plan.co_facilitator_id, Role.CO_FACILITATOR),
            ):
                if person_id is not None:
                    self._add(session, circle, person_id, role.value, None)
            audit.record(session, "plan", "circle", circle.uuid, kind=plan.kind)
            circle_id = circle.id
        return self.detail(circle_id)

    def update_plan(self, circle_id: int, plan: CirclePlan) -> CircleDetail:
        """Change a planned circle. A new script key takes a fresh snapshot of that script."""
        self._check_lead(plan.facilitator_id, circle_id)
        with self.ctx.write("change circle plan") as session:
            circle = self._planned(session, circle_id)
            same_script = plan.script_key == circle.script_key and circle.script_snapshot
            snapshot = circle.script_snapshot if same_script else self._check_plan(plan)
            if same_script:
                self._check_plan(plan, fetch_script=False)
            self._check_people(session, plan)
            linked_before = circle.case_id
            self._apply(circle, plan, snapshot)
            circle.school_id = school_for_circle(session, circle.case_id, circle.facilitator_id)
            if circle.case_id is not None and circle.case_id != linked_before:
                adopt_circle_screen(session, circle)
            for person_id, role in (
                (plan.facilitator_id, Role.FACILITATOR),
                (plan.co_facilitator_id, Role.CO_FACILITATOR),
            ):
                if person_id is not None and not self._participant_of(
                    session, circle_id, person_id
                ):
                    self._add(session, circle, person_id, role.value, None)
            audit.record(session, "update", "circle", circle.uuid)
        return self.detail(circle_id)

    def cancel(self, circle_id: int) -> None:
        with self.ctx.write("cancel circle") as session:
            circle = self._planned(session, circle_id)
            circle.status = CircleStatus.CANCELLED.value
            audit.record(session, "cancel", "circle", circle.uuid)

    def add_participant(
        self,
        circle_id: int,
        person_id: int,
        role: str = Role.MEMBER.value,
        supporter_of: int | None = None,
    ) -> ParticipantRow:
        """Invite someone; ``supporter_of`` is the participant id of the person they support."""
        if role == Role.FACILITATOR.value:
            self._check_lead(person_id, circle_id)
        with self.ctx.write("invite to circle") as session:
            circle = self._circle(session, circle_id)
            if circle.status in (CircleStatus.COMPLETED.value, CircleStatus.CANCELLED.value):
                raise InvalidInput(_("This circle is over; people cannot be added to it now."))
            participant = self._add(session, circle, person_id, role, supporter_of)
            person = session.get(Person, person_id)
            assert person is not None
            return participant_row(participant, person, circle_day(circle))

    def set_role(
        self, participant_id: int, role: str, supporter_of: int | None = None
    ) -> ParticipantRow:
        if role == Role.FACILITATOR.value:
            with self.ctx.read() as session:
                found = self._participant(session, participant_id)
                person_id, circle_id = found.person_id, found.circle_id
            self._check_lead(person_id, circle_id)
        with self.ctx.write("change role in circle") as session:
            participant = self._participant(session, participant_id)
            _check_role(role)
            self._check_supporter_of(session, participant.circle_id, supporter_of, participant.id)
            participant.role = role
            participant.supporter_of_id = supporter_of
            return self._row_of(session, participant)

    def remove_participant(self, participant_id: int) -> None:
        """Take someone off a planned circle (a running circle uses leave early instead)."""
        with self.ctx.write("remove from circle") as session:
            participant = self._participant(session, participant_id)
            self._planned(session, participant.circle_id)
            session.delete(participant)

    def set_seating(self, circle_id: int, participant_ids: list[int]) -> list[ParticipantRow]:
        """Seat people in this ring order (clockwise); everyone must be placed exactly once."""
        with self.ctx.write("change seating") as session:
            circle = self._circle(session, circle_id)
            participants = {
                p.id: p
                for p in session.scalars(
                    select(Participant).where(Participant.circle_id == circle_id)
                )
            }
            if sorted(participant_ids) != sorted(participants):
                raise InvalidInput(
                    _("The seating plan must place every participant of this circle exactly once.")
                )
            for position, pid in enumerate(participant_ids):
                participants[pid].seat_position = position
            return participant_rows(session, circle_id, circle_day(circle))

    def set_preparation(
        self,
        participant_id: int,
        *,
        pre_meeting_held: bool | None = None,
        consent: bool | None = None,
        guardian_consent: bool | None = None,
    ) -> ParticipantRow:
        """Tick items of a participant's preparation checklist (None leaves an item as it is).

        Consent ticked is dated today. Consent ticked again after it was withdrawn (the
        person's own, or the guardian's when the guardian withdrew it) ends the withdrawal:
        the circle may go ahead again, and the audit trail keeps both dates.
        """
        with self.ctx.write("tick preparation") as session:
            participant = self._participant(session, participant_id)
            today = self._today()
            withdrawn_by = participant.consent_withdrawn_by
            changes: dict[str, Any] = {}
            for name, value in (
                ("pre_meeting_held", pre_meeting_held),
                ("consent", consent),
                ("guardian_consent", guardian_consent),
            ):
                if value is not None and getattr(participant, name) != value:
                    setattr(participant, name, value)
                    changes[name] = value
            if consent and "consent" in changes:
                participant.consent_given_on = today
                changes["given_on"] = today.isoformat()
            given_again = (guardian_consent if withdrawn_by == "guardian" else consent) is True
            if participant.consent_withdrawn_on is not None and given_again:
                participant.consent_withdrawn_on = None
                participant.consent_withdrawn_by = None
                changes["consent_again"] = today.isoformat()
            if changes:
                audit.record(
                    session,
                    "preparation",
                    "participant",
                    participant.uuid,
                    **changes,
                )
            return self._row_of(session, participant)

    def withdraw_consent(
        self, participant_id: int, on: date | None = None, by: str | None = None
    ) -> ParticipantRow:
        """Record that a person's consent to the circle was withdrawn on ``on`` (today when
        not given), by the person (``"participant"``), their guardian (``"guardian"``) or
        someone the keeper did not name (None). Until consent is recorded again the
        eligibility rule counts it as no consent, so a circle that deals with harm cannot
        start (:func:`circlekeeper.core.domain.eligibility.assess`)."""
        if by is not None and by not in WITHDRAWN_BY:
            raise InvalidInput(
                _("Who withdrew consent must be the person or their guardian, not {by!r}.", by=by)
            )
        with self.ctx.write("withdraw consent") as session:
            participant = self._participant(session, participant_id)
            row = self._row_of(session, participant)
            circle = self._circle(session, participant.circle_id)
            if circle.status in (CircleStatus.COMPLETED.value, CircleStatus.CANCELLED.value):
                raise InvalidInput(_("This circle is over; its consents cannot be changed now."))
            today = self._today()
            on = on or today
            if on > today:
                raise InvalidInput(
                    _(
                        "Consent cannot be withdrawn on a day still to come ({date}).",
                        date=say_date(on),
                    )
                )
            if participant.consent_withdrawn_on is not None:
                raise InvalidInput(
                    _(
                        "Consent for {name} was already withdrawn on {date}.",
                        name=row.name,
                        date=say_date(participant.consent_withdrawn_on),
                    )
                )
            given = participant.consent_given_on
            # consent_given_on dates the person's own consent, not the guardian's
            if given is not None and on < given and by != "guardian":
                raise InvalidInput(
                    _(
                        "Consent for {name} was given on {given}; it cannot have been withdrawn "
                        "before that.",
                        name=row.name,
                        given=say_date(given),
                    )
                )
            if by == "guardian" and not row.minor:
                raise InvalidInput(
                    _("{name} is an adult: only they can withdraw their consent.", name=row.name)
                )
            participant.consent_withdrawn_on = on
            participant.consent_withdrawn_by = by
            if by == "guardian":
                participant.guardian_consent = False
            else:
                participant.consent = False
            audit.record(
                session,
                "withdraw consent",
                "participant",
                participant.uuid,
                on=on.isoformat(),
                by=by,
            )
            return self._row_of(session, participant)

    def _today(self) -> date:
        return self.ctx.clock().astimezone().date()

    def _check_lead(self, person_id: int | None, circle_id: int | None) -> None:
        """The school's MOU may keep a school resource officer from leading (refusal audited)."""
        if person_id is None:
            return
        circle_uuid = None
        if circle_id is not None:
            with self.ctx.read() as session:
                circle_uuid = self._circle(session, circle_id).uuid
        mou.check_lead(
            self.ctx.sessions,
            person_id,
            entity="circle",
            entity_uuid=circle_uuid,
            actor=self.ctx.actor(),
            viewer=self.ctx.viewer_or_none(),
        )

    def _check_plan(self, plan: CirclePlan, *, fetch_script: bool = True) -> str | None:
        if plan.kind not in set(CircleKind):
            raise InvalidInput(
                _(
                    "Unknown kind of circle: {kind}.",
                    kind=repr(plan.kind),
                )
            )
        if plan.scheduled_at is not None and plan.scheduled_at.tzinfo is None:
            raise InvalidInput(_("The date and time must include the time zone."))
        if plan.planned_minutes is not None and not 0 < plan.planned_minutes <= 24 * 60:
            raise InvalidInput(_("Planned length must be between 1 minute and a day."))
        if len(plan.title) > 200:
            raise InvalidInput(_("The title is too long (200 characters at most)."))
        if plan.location and len(plan.location) > 120:
            raise InvalidInput(_("The place is too long (120 characters at most)."))
        if plan.facilitator_id is not None and plan.facilitator_id == plan.co_facilitator_id:
            raise InvalidInput(_("The facilitator and the co-facilitator must be two people."))
        if not fetch_script or not plan.script_key:
            return None
        return script_to_json(self.library.get(plan.script_key))

    @staticmethod
    def _check_people(session: Session, plan: CirclePlan) -> None:
        for person_id, what in (
            (plan.facilitator_id, "facilitator"),
            (plan.co_facilitator_id, "co-facilitator"),
        ):
            if person_id is not None and session.get(Person, person_id) is None:
                raise NotFound(
                    _(
                        "The {what} (person {person_id}) is not in this database.",
                        what=what,
                        person_id=person_id,
                    )
                )
        if plan.case_id is not None and session.get(Case, plan.case_id) is None:
            raise NotFound(
                _(
                    "Case {case_id} is not in this database.",
                    case_id=plan.case_id,
                )
            )

    def _apply(self, circle: Circle, plan: CirclePlan, snapshot: str | None) -> None:
        script = script_from_json(snapshot) if snapshot else None
        circle.kind = plan.kind
        circle.script_key = plan.script_key if snapshot else None
        circle.script_snapshot = snapshot
        circle.title = " ".join(plan.title.split()) or (
            script.title if script else plan.kind.replace("_", " ").capitalize()
        )
        circle.purpose = plan.purpose.strip() or (script.purpose if script else "")
        circle.scheduled_at = plan.scheduled_at
        circle.planned_minutes = plan.planned_minutes or (
            script.suggested_minutes if script and script.suggested_minutes else None
        )
        circle.location = (plan.location or "").strip() or None
        circle.case_id = plan.case_id
        circle.facilitator_id = plan.facilitator_id
        circle.co_facilitator_id = plan.co_facilitator_id

    def _add(
        self,
        session: Session,
        circle: Circle,
        person_id: int,
        role: str,
        supporter_of: int | None,
    ) -> Participant:
        _check_role(role)
        if session.get(Person, person_id) is None:
            raise NotFound(
                _(
                    "Person {person_id} is not in this database.",
                    person_id=person_id,
                )
            )
        if self._participant_of(session, circle.id, person_id):
            raise InvalidInput(_("That person is already in this circle."))
        self._check_supporter_of(session, circle.id, supporter_of, None)
        last = session.scalar(
            select(func.max(Participant.seat_position)).where(Participant.circle_id == circle.id)
        )
        participant = Participant(
            circle_id=circle.id,
            person_id=person_id,
            role=role,
            supporter_of_id=supporter_of,
            seat_position=(last + 1) if last is not None else 0,
            attendance=Attendance.INVITED.value,
        )
        session.add(participant)
        session.flush()
        return participant

    @staticmethod
    def _participant_of(session: Session, circle_id: int, person_id: int) -> int | None:
        return session.scalar(
            select(Participant.id).where(
                Participant.circle_id == circle_id, Participant.person_id == person_id
            )
        )

    @staticmethod
    def _check_supporter_of(
        session: Session, circle_id: int, supporter_of: int | None, own_id: int | None
    ) -> None:
        if supporter_of is None:
            return
        if supporter_of == own_id:
            raise InvalidInput(_("Someone cannot be their own supporter."))
        other = session.get(Participant, supporter_of)
        if other is None or other.circle_id != circle_id:
            raise InvalidInput(_("The person supported must be a participant of the same circle."))

    def _planned(self, session: Session, circle_id: int) -> Circle:
        circle = self._circle(session, circle_id)
        if circle.status != CircleStatus.PLANNED.value:
            raise InvalidInput(
                _(
                    "This circle is {status}; only a planned circle can be changed this way.",
                    status=circle.status.replace("_", " "),
                )
            )
        return circle


def _check_role(role: str) -> None:
    if role not in set(Role):
        raise InvalidInput(
            _(
                "Unknown role: {role}.",
                role=repr(role),
            )
        )

"""Planning circles and conferences: who comes, where they sit, and whether it is ready.

A conference needs preparation (a meeting with each person, their consent, a guardian's for
minors) and passes an eligibility screen. :meth:`CirclePlanner.readiness` explains in plain
words what is still missing; the keeper, who knows things the program does not, may start
anyway, except when the eligibility screen blocks the conference (an exclusion, the
facilitator's halt, a refusal: see :mod:`circlekeeper.core.domain.eligibility`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.cases.eligibility import (
    NOT_TAKING_PART,
    Screen,
    adopt_circle_screen,
    circle_screen,
)
from circlekeeper.core.domain.enums import (
    Attendance,
    CircleKind,
    CircleStatus,
    Role,
)
from circlekeeper.core.domain.script import Script, script_from_json, script_to_json
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.people import is_minor
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.sro import mou
from circlekeeper.core.store.models import Case, Circle, Participant, Person

KEEPER_ROLES = frozenset({Role.FACILITATOR.value, Role.CO_FACILITATOR.value})
SUPPORT_ROLES = frozenset({Role.SUPPORTER.value, Role.GUARDIAN.value})
PRINCIPAL_ROLES = frozenset(
    {Role.RESPONSIBLE.value, Role.HARMED.value, Role.HARMED_AND_RESPONSIBLE.value}
)
# Kinds that get the preparation checklist and the eligibility screen.
PREPARED_KINDS = frozenset({CircleKind.CONFERENCE.value})


@dataclass
class CirclePlan:
    """The plannable facts about a circle, as plain values (what the planning form edits)."""

    kind: str
    script_key: str | None = None
    title: str = ""
    purpose: str = ""
    scheduled_at: datetime | None = None  # must carry a time zone
    planned_minutes: int | None = None
    location: str | None = None
    case_id: int | None = None
    facilitator_id: int | None = None  # person ids; added to the ring as participants
    co_facilitator_id: int | None = None


@dataclass(frozen=True)
class ParticipantRow:
    """One person in one circle, with what the planner and the facilitator view show."""

    id: int
    person_id: int
    name: str  # preferred name first, then family name
    pronouns: str | None
    person_kind: str
    role: str
    supporter_of_id: int | None  # a participant id
    seat_position: int
    pre_meeting_held: bool
    consent: bool
    guardian_consent: bool | None
    minor: bool
    attendance: str


@dataclass(frozen=True)
class CircleRow:
    """One line of the circle list."""

    id: int
    uuid: str
    kind: str
    title: str
    status: str
    scheduled_at: datetime | None
    started_at: datetime | None
    location: str | None
    case_id: int | None
    participant_count: int


@dataclass(frozen=True)
class NotReady:
    """One reason a circle is not ready yet, in plain words."""

    code: str
    message: str
    participant_id: int | None = None
    blocking: bool = False  # True: the conference may not be held (the eligibility rule)


@dataclass(frozen=True)
class SeatingSuggestion:
    """A ring order (participant ids, clockwise) and who sits in an outer ring."""

    ring: list[int]
    outer_ring: list[int]


@dataclass
class CircleDetail:
    """A circle with everything the planning screen shows."""

    id: int
    uuid: str
    plan: CirclePlan
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    script: Script | None  # the snapshot kept with the circle
    eligibility: Screen  # the case's screen, or the conference's own when it has no case
    participants: list[ParticipantRow] = field(default_factory=list)
    summary: dict[str, Any] | None = None


def display_name(person: Person) -> str:
    return f"{person.preferred_name or person.first_name} {person.last_name}".strip()


def participant_rows(session: Session, circle_id: int, on: date) -> list[ParticipantRow]:
    """A circle's participants in seating order."""
    query = (
        select(Participant, Person)
        .join(Person, Person.id == Participant.person_id)
        .where(Participant.circle_id == circle_id)
        .order_by(Participant.seat_position, Participant.id)
    )
    return [_participant_row(p, person, on) for p, person in session.execute(query)]


def _participant_row(p: Participant, person: Person, on: date) -> ParticipantRow:
    return ParticipantRow(
        id=p.id,
        person_id=p.person_id,
        name=display_name(person),
        pronouns=person.pronouns,
        person_kind=person.kind,
        role=p.role,
        supporter_of_id=p.supporter_of_id,
        seat_position=p.seat_position,
        pre_meeting_held=p.pre_meeting_held,
        consent=p.consent,
        guardian_consent=p.guardian_consent,
        minor=is_minor(person, on),
        attendance=p.attendance,
    )


_CIRCLE_ROW_COLUMNS = (
    Circle.id,
    Circle.uuid,
    Circle.kind,
    Circle.title,
    Circle.status,
    Circle.scheduled_at,
    Circle.started_at,
    Circle.location,
    Circle.case_id,
)


def circle_rows(session: Session, query: Any) -> list[CircleRow]:
    count = (
        select(func.count(Participant.id))
        .where(Participant.circle_id == Circle.id)
        .scalar_subquery()
    )
    return [CircleRow(*row) for row in session.execute(query.add_columns(count))]


def find_interrupted(context: Context | sessionmaker[Session]) -> list[CircleRow]:
    """Circles left running (the app closed or crashed mid-circle), to offer resuming them."""
    query = (
        select(*_CIRCLE_ROW_COLUMNS)
        .where(Circle.status == CircleStatus.IN_PROGRESS.value)
        .order_by(Circle.started_at.desc())
    )
    with as_context(context).read() as session:
        return circle_rows(session, query)


class CirclePlanner:
    """Plan circles and conferences; list them and show one in detail."""

    def __init__(
        self,
        context: Context | sessionmaker[Session],
        library: ScriptLibrary | None = None,
    ) -> None:
        # The context names who is planning (on every audit line, and when the MOU refuses).
        self.ctx = as_context(context)
        self._library = library

    @property
    def library(self) -> ScriptLibrary:
        if self._library is None:
            self._library = ScriptLibrary()
        return self._library

    # --- the circle -------------------------------------------------------------------

    def plan(self, plan: CirclePlan) -> CircleDetail:
        """Create a planned circle; the facilitators join the ring as participants."""
        snapshot = self._check_plan(plan)
        self._check_lead(plan.facilitator_id, None)
        with self.ctx.write("plan circle") as session:
            self._check_people(session, plan)
            circle = Circle(status=CircleStatus.PLANNED.value)
            self._apply(circle, plan, snapshot)
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

    def detail(self, circle_id: int) -> CircleDetail:
        with self.ctx.read() as session:
            circle = self._circle(session, circle_id)
            script = script_from_json(circle.script_snapshot) if circle.script_snapshot else None
            on = _circle_day(circle)
            summary = json.loads(circle.summary) if circle.summary else None
            rows = participant_rows(session, circle_id, on)
            return CircleDetail(
                id=circle.id,
                uuid=circle.uuid,
                plan=CirclePlan(
                    kind=circle.kind,
                    script_key=circle.script_key,
                    title=circle.title,
                    purpose=circle.purpose,
                    scheduled_at=circle.scheduled_at,
                    planned_minutes=circle.planned_minutes,
                    location=circle.location,
                    case_id=circle.case_id,
                    facilitator_id=circle.facilitator_id,
                    co_facilitator_id=circle.co_facilitator_id,
                ),
                status=circle.status,
                started_at=circle.started_at,
                ended_at=circle.ended_at,
                script=script,
                participants=rows,
                eligibility=circle_screen(session, circle, on, minors=minors_taking_part(rows)),
                summary=summary if isinstance(summary, dict) else None,
            )

    def circles(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        case_id: int | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[CircleRow]:
        """Circles, soonest planned first and then the most recent."""
        query = select(*_CIRCLE_ROW_COLUMNS)
        if status:
            query = query.where(Circle.status == status)
        if kind:
            query = query.where(Circle.kind == kind)
        if case_id is not None:
            query = query.where(Circle.case_id == case_id)
        query = query.order_by(Circle.scheduled_at.desc(), Circle.id.desc())
        with self.ctx.read() as session:
            return circle_rows(session, query.limit(limit).offset(offset))

    # --- participants -----------------------------------------------------------------

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
                raise InvalidInput("This circle is over; people cannot be added to it now.")
            participant = self._add(session, circle, person_id, role, supporter_of)
            person = session.get(Person, person_id)
            assert person is not None
            return _participant_row(participant, person, _circle_day(circle))

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
                    "The seating plan must place every participant of this circle exactly once."
                )
            for position, pid in enumerate(participant_ids):
                participants[pid].seat_position = position
            return participant_rows(session, circle_id, _circle_day(circle))

    def suggest_seating(self, circle_id: int) -> SeatingSuggestion:
        """A ring that seats each principal beside their supporters.

        The responsible side and the harmed side face each other across the ring, with the
        facilitator between the two principals (so they can see both) and the co-facilitator
        opposite. Observers sit in an outer ring. The harmed person's wishes come first: the
        keeper should change this if a different layout feels safer to them.
        """
        with self.ctx.read() as session:
            circle = self._circle(session, circle_id)
            rows = participant_rows(session, circle_id, _circle_day(circle))
        return suggest_ring(rows)

    def set_preparation(
        self,
        participant_id: int,
        *,
        pre_meeting_held: bool | None = None,
        consent: bool | None = None,
        guardian_consent: bool | None = None,
    ) -> ParticipantRow:
        """Tick items of a participant's preparation checklist (None leaves an item as it is)."""
        with self.ctx.write("tick preparation") as session:
            participant = self._participant(session, participant_id)
            changes: dict[str, Any] = {}
            for name, value in (
                ("pre_meeting_held", pre_meeting_held),
                ("consent", consent),
                ("guardian_consent", guardian_consent),
            ):
                if value is not None and getattr(participant, name) != value:
                    setattr(participant, name, value)
                    changes[name] = value
            if changes:
                audit.record(
                    session,
                    "preparation",
                    "participant",
                    participant.uuid,
                    **changes,
                )
            return self._row_of(session, participant)

    # --- eligibility and readiness ----------------------------------------------------

    def readiness(self, circle_id: int) -> list[NotReady]:
        """What is still missing before this circle can be held, in plain words.

        An empty list means ready. The list explains; it does not stop the keeper starting.
        """
        with self.ctx.read() as session:
            circle = self._circle(session, circle_id)
            on = _circle_day(circle)
            rows = participant_rows(session, circle_id, on)
            screen = circle_screen(session, circle, on, minors=minors_taking_part(rows))
        return readiness_reasons(circle, rows, screen)

    def officer_notice(self, circle_id: int) -> str | None:
        """What the readiness panel says when a school resource officer attends (or None)."""
        with self.ctx.read() as session:
            circle = self._circle(session, circle_id)
            rows = participant_rows(session, circle_id, _circle_day(circle))
            kind = circle.kind
        return mou.officer_notice(rows, mou.load(self.ctx.sessions), kind)

    # --- inside -----------------------------------------------------------------------

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
            raise InvalidInput(f"Unknown kind of circle: {plan.kind!r}.")
        if plan.scheduled_at is not None and plan.scheduled_at.tzinfo is None:
            raise InvalidInput("The date and time must include the time zone.")
        if plan.planned_minutes is not None and not 0 < plan.planned_minutes <= 24 * 60:
            raise InvalidInput("Planned length must be between 1 minute and a day.")
        if len(plan.title) > 200:
            raise InvalidInput("The title is too long (200 characters at most).")
        if plan.location and len(plan.location) > 120:
            raise InvalidInput("The place is too long (120 characters at most).")
        if plan.facilitator_id is not None and plan.facilitator_id == plan.co_facilitator_id:
            raise InvalidInput("The facilitator and the co-facilitator must be two people.")
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
                raise NotFound(f"The {what} (person {person_id}) is not in this database.")
        if plan.case_id is not None and session.get(Case, plan.case_id) is None:
            raise NotFound(f"Case {plan.case_id} is not in this database.")

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
            raise NotFound(f"Person {person_id} is not in this database.")
        if self._participant_of(session, circle.id, person_id):
            raise InvalidInput("That person is already in this circle.")
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
            raise InvalidInput("Someone cannot be their own supporter.")
        other = session.get(Participant, supporter_of)
        if other is None or other.circle_id != circle_id:
            raise InvalidInput("The person supported must be a participant of the same circle.")

    @staticmethod
    def _circle(session: Session, circle_id: int) -> Circle:
        circle = session.get(Circle, circle_id)
        if circle is None:
            raise NotFound(f"There is no circle with id {circle_id} in this database.")
        return circle

    def _planned(self, session: Session, circle_id: int) -> Circle:
        circle = self._circle(session, circle_id)
        if circle.status != CircleStatus.PLANNED.value:
            raise InvalidInput(
                f"This circle is {circle.status.replace('_', ' ')}; only a planned circle "
                "can be changed this way."
            )
        return circle

    @staticmethod
    def _participant(session: Session, participant_id: int) -> Participant:
        participant = session.get(Participant, participant_id)
        if participant is None:
            raise NotFound("That participant is no longer in the circle.")
        return participant

    def _row_of(self, session: Session, participant: Participant) -> ParticipantRow:
        person = session.get(Person, participant.person_id)
        circle = self._circle(session, participant.circle_id)
        assert person is not None
        return _participant_row(participant, person, _circle_day(circle))


def minors_taking_part(rows: Iterable[ParticipantRow]) -> bool:
    """Whether a minor takes part (keepers and observers aside), for the consent rules."""
    return any(r.minor for r in rows if r.role not in NOT_TAKING_PART)


def _check_role(role: str) -> None:
    if role not in set(Role):
        raise InvalidInput(f"Unknown role: {role!r}.")


def _circle_day(circle: Circle) -> date:
    moment = circle.scheduled_at or circle.started_at
    return moment.astimezone().date() if moment is not None else date.today()


def suggest_ring(rows: Iterable[ParticipantRow]) -> SeatingSuggestion:
    """The suggested seating for these participants (see :meth:`CirclePlanner.suggest_seating`)."""
    rows = list(rows)
    by_id = {r.id: r for r in rows}
    outer = [r.id for r in rows if r.role == Role.OBSERVER.value]
    facilitators = [r.id for r in rows if r.role == Role.FACILITATOR.value]
    co = [r.id for r in rows if r.role == Role.CO_FACILITATOR.value]
    supporters: dict[int, list[int]] = {}
    for r in rows:
        if r.supporter_of_id in by_id and r.role not in PRINCIPAL_ROLES | KEEPER_ROLES:
            supporters.setdefault(r.supporter_of_id, []).append(r.id)
    responsible_side: list[int] = []
    harmed_side: list[int] = []
    for r in rows:
        if r.role not in PRINCIPAL_ROLES:
            continue
        group = [r.id, *supporters.get(r.id, [])]
        if r.role == Role.RESPONSIBLE.value:
            responsible_side.extend(group)
        elif r.role == Role.HARMED.value:
            harmed_side.extend(group)
        elif len(responsible_side) <= len(harmed_side):
            responsible_side.extend(group)
        else:
            harmed_side.extend(group)
    placed = set(outer) | set(facilitators) | set(co) | set(responsible_side) | set(harmed_side)
    others = [r.id for r in rows if r.id not in placed]
    # Principals sit next to the facilitator, their supporters beyond them; the harmed side
    # runs back round the ring so the two sides face each other.
    ring = [
        *facilitators[:1],
        *responsible_side,
        *others,
        *co,
        *facilitators[1:],
        *reversed(harmed_side),
    ]
    return SeatingSuggestion(ring, outer)


def readiness_reasons(circle: Circle, rows: list[ParticipantRow], screen: Screen) -> list[NotReady]:
    """Why a circle is not ready, given its participants and eligibility screen."""
    kind = circle.kind
    has_script = circle.script_snapshot is not None
    reasons: list[NotReady] = []
    if circle.status != CircleStatus.PLANNED.value:
        reasons.append(
            NotReady("status", f"This circle is {circle.status.replace('_', ' ')}, not planned.")
        )
    if not has_script:
        reasons.append(NotReady("script", "No script has been chosen."))
    if circle.scheduled_at is None:
        reasons.append(NotReady("when", "No date and time have been set."))
    if not any(r.role == Role.FACILITATOR.value for r in rows):
        reasons.append(NotReady("facilitator", "No facilitator has been named."))
    members = [r for r in rows if r.role not in KEEPER_ROLES]
    if not members:
        reasons.append(NotReady("participants", "Nobody has been invited yet."))
    by_id = {r.id: r for r in rows}
    for r in rows:
        if r.role in SUPPORT_ROLES and r.supporter_of_id not in by_id:
            reasons.append(
                NotReady(
                    "supporter_of",
                    f"{r.name} is listed as a {r.role}, but not of whom.",
                    r.id,
                )
            )
    if kind not in PREPARED_KINDS:
        return reasons
    roles = {r.role for r in rows}
    if not roles & {Role.RESPONSIBLE.value, Role.HARMED_AND_RESPONSIBLE.value}:
        reasons.append(NotReady("responsible", "Nobody is named as the person responsible."))
    if not roles & {Role.HARMED.value, Role.HARMED_AND_RESPONSIBLE.value}:
        reasons.append(NotReady("harmed", "Nobody is named as the person harmed."))
    # The one eligibility rule: what blocks cannot be started anyway; the rest explains.
    verdict = screen.verdict
    reasons.extend(NotReady("screen", message, blocking=True) for message in verdict.blocked)
    reasons.extend(NotReady("screen", message) for message in verdict.missing)
    for r in rows:
        if r.role in KEEPER_ROLES or r.role == Role.OBSERVER.value:
            continue
        if not r.pre_meeting_held:
            reasons.append(
                NotReady(
                    "pre_meeting", f"No preparation meeting has been held with {r.name}.", r.id
                )
            )
        if not r.consent:
            reasons.append(NotReady("consent", f"{r.name} has not agreed to take part yet.", r.id))
        if r.minor and r.guardian_consent is not True:
            reasons.append(
                NotReady(
                    "guardian_consent",
                    f"{r.name} is a minor, and a guardian's consent is not recorded.",
                    r.id,
                )
            )
    return reasons

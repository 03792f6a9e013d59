"""Reading circles for the screens: the list, one circle in detail, seating and readiness.

Everything here reads; nothing is written. Writes are in :mod:`circlekeeper.core.circles.commands`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.cases.eligibility import NOT_TAKING_PART, Screen, circle_screen
from circlekeeper.core.circles.rows import (
    KEEPER_ROLES,
    PREPARED_KINDS,
    PRINCIPAL_ROLES,
    SUPPORT_ROLES,
    CircleDetail,
    CirclePlan,
    CircleRow,
    NotReady,
    ParticipantRow,
    SeatingSuggestion,
)
from circlekeeper.core.domain.enums import CircleKind, CircleStatus, Role
from circlekeeper.core.domain.script_snapshot import script_from_json
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people import names
from circlekeeper.core.people.people import is_minor
from circlekeeper.core.problems import NotFound
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.sro import mou
from circlekeeper.core.store.models import Circle, Participant, Person


def display_name(person: Person) -> str:
    """A participant's name as the circle screens show it (the one rule in core/people/names)."""
    return names.display_name(person.first_name, person.preferred_name, person.last_name)


def participant_rows(session: Session, circle_id: int, on: date) -> list[ParticipantRow]:
    """A circle's participants in seating order."""
    query = (
        select(Participant, Person)
        .join(Person, Person.id == Participant.person_id)
        .where(Participant.circle_id == circle_id)
        .order_by(Participant.seat_position, Participant.id)
    )
    return [participant_row(p, person, on) for p, person in session.execute(query)]


def participant_row(p: Participant, person: Person, on: date) -> ParticipantRow:
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
        consent_given_on=p.consent_given_on,
        consent_withdrawn_on=p.consent_withdrawn_on,
        consent_withdrawn_by=p.consent_withdrawn_by,
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


def minors_taking_part(rows: Iterable[ParticipantRow]) -> bool:
    """Whether a minor takes part (keepers and observers aside), for the consent rules."""
    return any(r.minor for r in rows if r.role not in NOT_TAKING_PART)


def circle_day(circle: Circle) -> date:
    moment = circle.scheduled_at or circle.started_at
    return moment.astimezone().date() if moment is not None else date.today()


class CircleQueries:
    """Circles and conferences read for a screen: the list, one in detail, readiness."""

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

    def detail(self, circle_id: int) -> CircleDetail:
        with self.ctx.read() as session:
            circle = self._circle(session, circle_id)
            script = script_from_json(circle.script_snapshot) if circle.script_snapshot else None
            on = circle_day(circle)
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
                # The screen as the viewer may see it (an SRO: no notes, no Title IX answers).
                eligibility=circle_screen(
                    session, circle, on, minors=minors_taking_part(rows)
                ).for_viewer(self.ctx.viewer()),
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

    def in_order(
        self, now: datetime, *, status: str | None = None, limit: int = 1000
    ) -> list[CircleRow]:
        """The circle list as a counselor reads it: today's circles in time order (and any
        left running), then the coming ones soonest first, then those with no date yet, then
        the past ones, most recent first. ``now`` is aware, in the school's time zone.

        Each part is one range of ix_circle_scheduled_at (no sort of the whole table), and at
        most ``limit`` rows are read in all.
        """
        tz = now.tzinfo
        if tz is None or now.utcoffset() is None:
            raise ValueError("now must be time-zone aware: today is a local day")
        start = datetime.combine(now.date(), time(), tzinfo=tz)
        end = start + timedelta(days=1)
        base = select(*_CIRCLE_ROW_COLUMNS)
        if status:
            base = base.where(Circle.status == status)
        at = Circle.scheduled_at
        running = Circle.status == CircleStatus.IN_PROGRESS.value
        parts = (
            base.where(or_(at.is_(None), at < start), running).order_by(Circle.started_at),
            base.where(at >= start, at < end).order_by(at, Circle.id),
            base.where(at >= end).order_by(at, Circle.id),
            base.where(at.is_(None), ~running).order_by(Circle.id.desc()),
            base.where(at < start, ~running).order_by(at.desc(), Circle.id.desc()),
        )
        found: list[CircleRow] = []
        with self.ctx.read() as session:
            for index, part in enumerate(parts):
                if len(found) >= limit:
                    break
                rows = circle_rows(session, part.limit(limit - len(found)))
                # Within each part, by the time shown: when it was held, else when planned
                # (a circle starts a few minutes after or before its planned time).
                if index == 1:
                    rows.sort(key=lambda r: (r.when or start, r.id))
                elif index == 4:
                    rows.sort(key=lambda r: (r.when or start, r.id), reverse=True)
                found += rows
        return found

    def suggest_seating(self, circle_id: int) -> SeatingSuggestion:
        """A ring that seats each principal beside their supporters.

        The responsible side and the harmed side face each other across the ring, with the
        facilitator between the two principals (so they can see both) and the co-facilitator
        opposite. Observers sit in an outer ring. The harmed person's wishes come first: the
        keeper should change this if a different layout feels safer to them.
        """
        with self.ctx.read() as session:
            circle = self._circle(session, circle_id)
            rows = participant_rows(session, circle_id, circle_day(circle))
        return suggest_ring(rows)

    def readiness(self, circle_id: int) -> list[NotReady]:
        """What is still missing before this circle can be held, in plain words.

        An empty list means ready. The list explains; it does not stop the keeper starting.
        """
        with self.ctx.read() as session:
            circle = self._circle(session, circle_id)
            on = circle_day(circle)
            rows = participant_rows(session, circle_id, on)
            screen = circle_screen(session, circle, on, minors=minors_taking_part(rows))
        return readiness_reasons(circle, rows, screen.for_viewer(self.ctx.viewer()))

    def officer_notice(self, circle_id: int) -> str | None:
        """What the readiness panel says when a school resource officer attends (or None)."""
        with self.ctx.read() as session:
            circle = self._circle(session, circle_id)
            rows = participant_rows(session, circle_id, circle_day(circle))
            kind = circle.kind
        return mou.officer_notice(rows, mou.load(self.ctx.sessions), kind)

    @staticmethod
    def _circle(session: Session, circle_id: int) -> Circle:
        circle = session.get(Circle, circle_id)
        if circle is None:
            raise NotFound(
                _(
                    "There is no circle with id {circle_id} in this database.",
                    circle_id=circle_id,
                )
            )
        return circle

    @staticmethod
    def _participant(session: Session, participant_id: int) -> Participant:
        participant = session.get(Participant, participant_id)
        if participant is None:
            raise NotFound(_("That participant is no longer in the circle."))
        return participant

    def _row_of(self, session: Session, participant: Participant) -> ParticipantRow:
        person = session.get(Person, participant.person_id)
        circle = self._circle(session, participant.circle_id)
        assert person is not None
        return participant_row(participant, person, circle_day(circle))


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


def readiness_reasons(  # noqa: C901  (one check per reason, in the order the panel lists them)
    circle: Circle, rows: list[ParticipantRow], screen: Screen
) -> list[NotReady]:
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
    # A re-entry circle welcomes a student back: it need not name who harmed whom.
    reentry = kind == CircleKind.REENTRY.value
    if not reentry and not roles & {Role.RESPONSIBLE.value, Role.HARMED_AND_RESPONSIBLE.value}:
        reasons.append(NotReady("responsible", "Nobody is named as the person responsible."))
    if not reentry and not roles & {
        Role.HARMED.value,
        Role.HARMED_AND_RESPONSIBLE.value,
    }:
        reasons.append(NotReady("harmed", "Nobody is named as the person harmed."))
    # The one eligibility rule: what blocks cannot be started anyway; the rest explains.
    verdict = screen.verdict
    reasons.extend(
        NotReady("withdrawn" if message in verdict.withdrawn else "screen", message, blocking=True)
        for message in verdict.blocked
    )
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
        if r.withdrawn:
            continue  # the screen's verdict names the withdrawal and blocks (one rule)
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

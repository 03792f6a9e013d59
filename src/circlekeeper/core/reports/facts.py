"""The rows reports count, read once per report in one short read-only session.

Everything is read as plain tuples with a few indexed queries, then counted in Python: a year of
a large district is some thousands of referrals and circles, which is faster to count this way
than with dozens of GROUP BY queries, and keeps every report's definitions in one readable place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from circlekeeper.core.domain.enums import (
    AgreementStatus,
    Attendance,
    CircleKind,
    CircleStatus,
    PersonKind,
    Role,
)
from circlekeeper.core.store.models import (
    Agreement,
    Case,
    CaseParty,
    Circle,
    FollowUp,
    IncidentType,
    Participant,
    Person,
    Setting,
)

if TYPE_CHECKING:
    from circlekeeper.core.reports.sro import SroFacts

# How far before and after the period referrals and circles are read (repeat referrals, the
# days before and after a circle).
MARGIN_DAYS = 100
RESPONSIBLE_ROLES = (Role.RESPONSIBLE.value, Role.HARMED_AND_RESPONSIBLE.value)
PRESENT = (Attendance.PRESENT.value, Attendance.JOINED_LATE.value, Attendance.LEFT_EARLY.value)
# Preparation and completion meetings belong to a conference; they are not circles of their own.
NOT_CIRCLES = (CircleKind.PRE_MEETING.value, CircleKind.COMPLETION_MEETING.value)
# Kinds held in response to harm; any circle linked to a referral is responsive too.
RESPONSIVE_KINDS = frozenset(
    {CircleKind.HARM_REPAIR.value, CircleKind.CONFERENCE.value, CircleKind.REENTRY.value}
)


def is_responsive(kind: str, case_id: int | None) -> bool:
    """Whether a circle answered harm (a referral) rather than building community before it."""
    return case_id is not None or kind in RESPONSIVE_KINDS


@dataclass(frozen=True)
class Student:
    """A student of the school as the reports count them (grade and equity fields)."""

    id: int
    grade: str | None
    gender: str | None
    race_ethnicity: str | None
    disability: bool | None
    english_learner: bool | None
    low_income: bool | None


@dataclass(frozen=True)
class Referral:
    """One student named as responsible in one case."""

    case_id: int
    student_id: int
    referred_on: date
    type_key: str
    type_label: str
    type_label_es: str | None
    swis_behavior: str | None
    swis_level: str | None
    state_category: str | None
    location: str | None
    time: str | None
    grade: str | None
    diverted_from: str
    amount: int | None
    reinstated: bool


@dataclass(frozen=True)
class CircleHeld:
    """A circle held, as the reports count it."""

    id: int
    kind: str
    day: date
    case_id: int | None
    participants: int


@dataclass(frozen=True)
class AgreementMade:
    """A repair agreement, as the reports count it."""

    id: int
    case_id: int | None
    status: str
    agreed_on: date


@dataclass(frozen=True)
class FollowUpDue:
    """A follow-up, as the reports count it (when due, when done)."""

    id: int
    due_on: date
    status: str
    done_on: date | None


@dataclass(frozen=True)
class Facts:
    """Everything a report counts, read once for the period and the school."""

    start: date
    end: date
    enrolled: int  # active students of the school: the population (every denominator)
    students: dict[int, Student]  # those students, when demographics were read
    demographics: dict[int, Student]  # every student referred (moved or archived ones too)
    referrals: list[Referral]  # referred from start - MARGIN to end + MARGIN
    circles: list[CircleHeld]  # completed, held in the period
    agreements: list[AgreementMade]  # agreed in the period
    follow_ups: list[FollowUpDue]  # due in the period
    offered: set[int]  # cases referred in the period with a conference or circle planned
    # The SRO log and training (read only for the reports that show them: ``sro``, ``board``).
    sro: SroFacts | None = None

    def in_period(self, day: date) -> bool:
        return self.start <= day <= self.end


def load_population(session: Session, start: date, end: date, school: str | None) -> Facts:
    """Only the population (the enrolment), for a report that counts none of the other rows."""
    return Facts(start, end, _enrolled(session, school), {}, {}, [], [], [], [], set())


def known_schools(session: Session) -> list[str]:
    """Every school named in this database: in the people directory, on cases, in settings."""
    names: set[str] = set()
    names.update(session.scalars(select(Person.school).distinct()))
    names.update(session.scalars(select(Case.school).distinct()))
    names.update(session.scalars(select(Setting.value).where(Setting.key == "school_name")))
    return sorted(n.strip() for n in names if n and n.strip())


def _local_day(moment: datetime | None) -> date | None:
    return moment.astimezone().date() if moment is not None else None


def _own_school(session: Session, school: str | None) -> bool:
    """Whether ``school`` is this installation's own (Settings): records naming no school
    (a referral typed at intake, a student added by hand) belong to it."""
    if school is None:
        return False
    own = session.scalar(select(Setting.value).where(Setting.key == "school_name"))
    return (own or "").strip() == school


def _at(column: Any, school: str, own: bool) -> Any:
    return or_(column == school, column.is_(None)) if own else column == school


def _enrolled(session: Session, school: str | None, own: bool = False) -> int:
    query = select(func.count()).where(
        Person.kind == PersonKind.STUDENT.value, Person.archived_at.is_(None)
    )
    if school is not None:
        query = query.where(_at(Person.school, school, own))
    return int(session.scalar(query) or 0)


def _people(
    session: Session, school: str | None, own: bool = False
) -> tuple[dict[int, Student], dict[int, Student]]:
    """The school's active students, and every student (moved and archived ones too)."""
    people = select(
        Person.id,
        Person.grade,
        Person.gender,
        Person.race_ethnicity,
        Person.disability,
        Person.english_learner,
        Person.low_income,
        Person.school,
        Person.archived_at,
    ).where(Person.kind == PersonKind.STUDENT.value)
    students: dict[int, Student] = {}
    everyone: dict[int, Student] = {}
    for row in session.connection().execute(people):
        person = Student(*row[:7])
        everyone[person.id] = person
        here = school is None or row[7] == school or (own and row[7] is None)
        if row[8] is None and here:
            students[person.id] = person
    return students, everyone


def load_facts(
    session: Session, start: date, end: date, school: str | None, *, demographics: bool = True
) -> Facts:
    """The rows a report counts; ``demographics`` reads every student's equity fields too."""
    before, after = start - timedelta(days=MARGIN_DAYS), end + timedelta(days=MARGIN_DAYS)
    students: dict[int, Student] = {}
    everyone: dict[int, Student] = {}
    own = _own_school(session, school)
    if demographics:
        students, everyone = _people(session, school, own)
        enrolled = len(students)
    else:
        enrolled = _enrolled(session, school, own)

    student = aliased(Person)
    referral_query = (
        select(
            Case.id,
            CaseParty.person_id,
            Case.referred_on,
            func.coalesce(IncidentType.key, "not_recorded"),
            func.coalesce(IncidentType.label, Case.incident_category),
            IncidentType.label_es,
            IncidentType.swis_behavior,
            IncidentType.swis_level,
            IncidentType.state_category,
            Case.location,
            Case.incident_time,
            student.grade,
            Case.diverted_from,
            Case.diversion_amount,
            Case.consequence_reinstated,
        )
        .join(CaseParty, CaseParty.case_id == Case.id)
        .join(student, student.id == CaseParty.person_id)
        .outerjoin(IncidentType, IncidentType.id == Case.incident_type_id)
        .where(
            Case.referred_on.between(before, after),
            CaseParty.role.in_(RESPONSIBLE_ROLES),
            student.kind == PersonKind.STUDENT.value,
        )
    )
    if school is not None:
        referral_query = referral_query.where(_at(Case.school, school, own))
    rows: list[tuple[Any, ...]] = [
        tuple(row) for row in session.connection().execute(referral_query)
    ]
    referrals = [Referral(*row) for row in rows]
    known = {r.student_id: everyone[r.student_id] for r in referrals if r.student_id in everyone}

    # Counted per circle through the participant index: only the circles of the period are read.
    present = (
        select(func.count())
        .where(Participant.circle_id == Circle.id, Participant.attendance.in_(PRESENT))
        .correlate(Circle)
        .scalar_subquery()
    )
    facilitator = aliased(Person)
    # Circles of the period only; a day either side in UTC, the local day is decided below.
    low = datetime.combine(start - timedelta(days=1), time.min, tzinfo=UTC)
    high = datetime.combine(end + timedelta(days=2), time.min, tzinfo=UTC)
    circle_query = (
        select(
            Circle.id,
            Circle.kind,
            func.coalesce(Circle.started_at, Circle.scheduled_at),
            Circle.case_id,
            present,
        )
        .outerjoin(Case, Case.id == Circle.case_id)
        .outerjoin(facilitator, facilitator.id == Circle.facilitator_id)
        .where(
            Circle.status == CircleStatus.COMPLETED.value,
            Circle.kind.not_in(NOT_CIRCLES),
            or_(
                Circle.started_at.between(low, high),
                and_(Circle.started_at.is_(None), Circle.scheduled_at.between(low, high)),
            ),
        )
    )
    if school is not None:
        circle_query = circle_query.where(
            _at(func.coalesce(Case.school, facilitator.school), school, own)
        )
    circles = []
    for circle_id, kind, moment, case_id, participants in session.connection().execute(
        circle_query
    ):
        day = _local_day(moment)
        if day is not None and start <= day <= end:
            circles.append(CircleHeld(circle_id, kind, day, case_id, int(participants)))

    agreement_query = (
        select(Agreement.id, Agreement.case_id, Agreement.status, Agreement.agreed_on)
        .outerjoin(Case, Case.id == Agreement.case_id)
        .where(
            Agreement.agreed_on.between(start, end),
            Agreement.status.not_in(
                (AgreementStatus.DRAFT.value, AgreementStatus.SUPERSEDED.value)
            ),
        )
    )
    if school is not None:
        agreement_query = agreement_query.where(_at(Case.school, school, own))
    agreements = [
        AgreementMade(agreement_id, case_id, status, agreed_on)
        for agreement_id, case_id, status, agreed_on in session.connection().execute(
            agreement_query
        )
        if agreed_on is not None
    ]

    follow_query = (
        select(FollowUp.id, FollowUp.due_on, FollowUp.status, FollowUp.done_on)
        .outerjoin(Case, Case.id == FollowUp.case_id)
        .where(FollowUp.due_on.between(start, end), FollowUp.status != "cancelled")
    )
    if school is not None:
        follow_query = follow_query.where(_at(Case.school, school, own))
    follow_ups = [FollowUpDue(*row) for row in session.connection().execute(follow_query)]

    offered_query = (
        select(Case.id)
        .join(Circle, Circle.case_id == Case.id)
        .where(
            Case.referred_on.between(start, end),
            Circle.kind.in_((CircleKind.CONFERENCE.value, CircleKind.HARM_REPAIR.value)),
            Circle.status != CircleStatus.CANCELLED.value,
        )
        .distinct()
    )
    if school is not None:
        offered_query = offered_query.where(_at(Case.school, school, own))
    offered = set(session.scalars(offered_query))
    return Facts(
        start, end, enrolled, students, known, referrals, circles, agreements, follow_ups, offered
    )

"""The rows reports count, read once per report in one short read-only session.

Everything is read as plain tuples with a few indexed queries, then counted in Python: a year of
a large district is some thousands of referrals and circles, which is faster to count this way
than with dozens of GROUP BY queries, and keeps every report's definitions in one readable place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from circlekeeper.core.domain.enums import (
    AgreementStatus,
    Attendance,
    CircleKind,
    CircleStatus,
    PersonKind,
    Role,
)
from circlekeeper.core.schools import find_school, laptop_school_name, school_names
from circlekeeper.core.store.models import (
    Agreement,
    Case,
    CaseParty,
    Circle,
    FollowUp,
    IncidentType,
    Participant,
    Person,
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
    school_id: int | None = None  # the case's school (the district roll-up's row)


@dataclass(frozen=True)
class CircleHeld:
    """A circle held, as the reports count it."""

    id: int
    kind: str
    day: date
    case_id: int | None
    participants: int
    school_id: int | None = None


@dataclass(frozen=True)
class AgreementMade:
    """A repair agreement, as the reports count it."""

    id: int
    case_id: int | None
    status: str
    agreed_on: date
    school_id: int | None = None


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
    scope = school_scope(session, school)
    return Facts(start, end, _enrolled(session, scope), {}, {}, [], [], [], [], set())


def known_schools(session: Session) -> list[str]:
    """Every school of this database (the district's list, and this laptop's from Settings)."""
    names = set(school_names(session))
    own = laptop_school_name(session)
    if own and find_school(session, own) is None:
        names.add(own)
    return sorted(names)


@dataclass(frozen=True)
class SchoolScope:
    """Which records a report counts for a school: those at its row, and (for this laptop's
    own school) those that name no school, as records typed before schools were kept did."""

    school_id: int | None
    own: bool

    def where(self, column: Any) -> Any:
        """A condition on a ``school_id`` column."""
        terms = [column == self.school_id] if self.school_id is not None else []
        if self.own:
            terms.append(column.is_(None))
        return or_(*terms) if terms else false()

    def holds(self, school_id: int | None) -> bool:
        return (school_id is not None and school_id == self.school_id) or (
            self.own and school_id is None
        )


def school_scope(session: Session, school: str | None) -> SchoolScope | None:
    """The scope of ``school`` (None: every school)."""
    if school is None:
        return None
    found = find_school(session, school)
    own = laptop_school_name(session).casefold() == " ".join(school.split()).casefold()
    return SchoolScope(found.id if found is not None else None, own)


def _local_day(moment: datetime | None) -> date | None:
    return moment.astimezone().date() if moment is not None else None


def enrolled_by_school(session: Session) -> dict[int | None, int]:
    """Active students of each school (None: those whose school is not recorded)."""
    query = (
        select(Person.school_id, func.count())
        .where(Person.kind == PersonKind.STUDENT.value, Person.archived_at.is_(None))
        .group_by(Person.school_id)
    )
    return {school_id: int(n) for school_id, n in session.execute(query)}


def _enrolled(session: Session, scope: SchoolScope | None) -> int:
    query = select(func.count()).where(
        Person.kind == PersonKind.STUDENT.value, Person.archived_at.is_(None)
    )
    if scope is not None:
        query = query.where(scope.where(Person.school_id))
    return int(session.scalar(query) or 0)


def _people(
    session: Session, scope: SchoolScope | None
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
        Person.school_id,
        Person.archived_at,
    ).where(Person.kind == PersonKind.STUDENT.value)
    students: dict[int, Student] = {}
    everyone: dict[int, Student] = {}
    for row in session.connection().execute(people):
        person = Student(*row[:7])
        everyone[person.id] = person
        here = scope is None or scope.holds(row[7])
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
    scope = school_scope(session, school)
    if demographics:
        students, everyone = _people(session, scope)
        enrolled = len(students)
    else:
        enrolled = _enrolled(session, scope)

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
            Case.school_id,
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
    if scope is not None:
        referral_query = referral_query.where(scope.where(Case.school_id))
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
    # Circles of the period only; a day either side in UTC, the local day is decided below.
    low = datetime.combine(start - timedelta(days=1), time.min, tzinfo=UTC)
    high = datetime.combine(end + timedelta(days=2), time.min, tzinfo=UTC)
    circle_query = select(
        Circle.id,
        Circle.kind,
        func.coalesce(Circle.started_at, Circle.scheduled_at),
        Circle.case_id,
        present,
        Circle.school_id,
    ).where(
        Circle.status == CircleStatus.COMPLETED.value,
        Circle.kind.not_in(NOT_CIRCLES),
        or_(
            Circle.started_at.between(low, high),
            and_(Circle.started_at.is_(None), Circle.scheduled_at.between(low, high)),
        ),
    )
    if scope is not None:
        circle_query = circle_query.where(scope.where(Circle.school_id))
    circles = []
    for circle_id, kind, moment, case_id, participants, at in session.connection().execute(
        circle_query
    ):
        day = _local_day(moment)
        if day is not None and start <= day <= end:
            circles.append(CircleHeld(circle_id, kind, day, case_id, int(participants), at))

    agreement_query = (
        select(
            Agreement.id, Agreement.case_id, Agreement.status, Agreement.agreed_on, Case.school_id
        )
        .outerjoin(Case, Case.id == Agreement.case_id)
        .where(
            Agreement.agreed_on.between(start, end),
            Agreement.status.not_in(
                (AgreementStatus.DRAFT.value, AgreementStatus.SUPERSEDED.value)
            ),
        )
    )
    if scope is not None:
        agreement_query = agreement_query.where(scope.where(Case.school_id))
    agreements = [
        AgreementMade(agreement_id, case_id, status, agreed_on, at)
        for agreement_id, case_id, status, agreed_on, at in session.connection().execute(
            agreement_query
        )
        if agreed_on is not None
    ]

    follow_query = (
        select(FollowUp.id, FollowUp.due_on, FollowUp.status, FollowUp.done_on)
        .outerjoin(Case, Case.id == FollowUp.case_id)
        .where(FollowUp.due_on.between(start, end), FollowUp.status != "cancelled")
    )
    if scope is not None:
        follow_query = follow_query.where(scope.where(Case.school_id))
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
    if scope is not None:
        offered_query = offered_query.where(scope.where(Case.school_id))
    offered = set(session.scalars(offered_query))
    return Facts(
        start, end, enrolled, students, known, referrals, circles, agreements, follow_ups, offered
    )

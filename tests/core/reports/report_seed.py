"""A small fixed programme (two schools, one autumn term) for the report tests.

Made with the case service (so referrals go through the real intake and vocabulary) and the
models, through the real migrations; no randomness, so every figure is the same on every run.
The numbers are chosen so that, at a minimum cell of 5, some figures show and some are hidden.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.handoffs import HandOffData, HandOffService
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.domain.fidelity import items_for
from circlekeeper.core.operations import Context
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.schools import school_named
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import (
    Agreement,
    Case,
    CaseParty,
    Circle,
    FidelityCheck,
    FollowUp,
    Participant,
    Person,
    SroActivity,
    SurveyResponse,
    SurveySitting,
    TrainingRecord,
)
from circlekeeper.core.store.types import utcnow

NORTH = "North Ridge Middle School"
SOUTH = "South Lake Middle School"
START, END = date(2025, 9, 1), date(2025, 12, 19)
AS_OF = date(2026, 6, 30)
RACES = ("White", "Black or African American", "Hispanic or Latino", "Asian", None)
CATEGORIES = ("Fighting", "Bullying", "Classroom disruption", "Theft", "Locker prank")
PLACES = ("Cafeteria", "Hallway", "Gym", None)
TIMES = ("08:15", "10:40", "12:05", None)
DIVERSIONS = ("none", "suspension", "none", "citation", "suspension", "arrest", "expulsion")


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def seed_programme(db: Database) -> dict[str, list[int]]:
    """Students, referrals, circles, agreements and follow-ups; returns the ids made."""
    with db.sessions.begin() as session:
        north, south = school_named(session, NORTH).id, school_named(session, SOUTH).id
        students = []
        for i in range(80):
            person = Person(
                first_name=f"Student{i}",
                last_name="Fixture",
                kind="student",
                grade=str(6 + i % 3),
                school_id=north if i < 60 else south,
                gender="Nonbinary" if i % 15 == 0 else ("Female" if i % 2 else "Male"),
                race_ethnicity=RACES[i % 5],
                disability=i % 4 == 0,
                english_learner=i % 5 == 0,
                low_income=None if i % 7 == 0 else i % 3 == 0,
                search_text=f"student{i} fixture",
            )
            session.add(person)
            students.append(person)
        # Referred, then left the school: counted in referrals, not in enrolment.
        moved = Person(
            first_name="Moved",
            last_name="Away",
            kind="student",
            grade="7",
            school_id=north,
            race_ethnicity="Native Hawaiian or Other Pacific Islander",
            search_text="moved away",
            archived_at=utcnow(),
        )
        keeper = Person(first_name="Kim", last_name="Keeper", kind="staff", school_id=north)
        session.add_all([moved, keeper])
        session.flush()
        student_ids = [s.id for s in students]
        moved_id, keeper_id = moved.id, keeper.id

    cases = CaseService(Context(db.sessions, actor="test"))
    case_ids = []
    # Who is responsible: a few students referred often, most once or twice.
    who = [0] * 7 + [1] * 3 + [2] * 2 + list(range(3, 50)) + [60, 61, 62, 63, 64, 65]
    for i, index in enumerate(who):
        referred = START + timedelta(days=(i * 7) % 105)
        detail = cases.intake(
            CaseIntake(
                referred,
                CATEGORIES[i % 5],
                location=PLACES[i % 4],
                incident_time=TIMES[i % 4],
                school=NORTH if index < 60 else SOUTH,
                parties=[
                    (student_ids[index], "responsible" if i % 9 else "harmed_and_responsible")
                ],
            )
        )
        case_ids.append(detail.id)
    # Outside the period: before it, and after it (a repeat referral of student 3 and 4).
    extra = [
        (date(2025, 8, 20), student_ids[5]),
        (date(2026, 1, 12), student_ids[3]),
        (date(2026, 1, 20), student_ids[4]),
        (date(2025, 10, 2), moved_id),
    ]
    for day, person in extra:
        detail = cases.intake(
            CaseIntake(day, "Fighting", school=NORTH, parties=[(person, "responsible")])
        )
        case_ids.append(detail.id)
    # A harmed student only: never counted as a referral.
    cases.intake(
        CaseIntake(date(2025, 9, 10), "Theft", school=NORTH, parties=[(student_ids[70], "harmed")])
    )

    with db.sessions.begin() as session:
        for i, case_id in enumerate(case_ids[: len(who)]):
            case = session.get(Case, case_id)
            assert case is not None
            case.diverted_from = DIVERSIONS[i % len(DIVERSIONS)]
            case.diversion_amount = 1 + i % 3 if case.diverted_from == "suspension" else None
            case.consequence_reinstated = i % 11 == 5
        circles = []
        for i, case_id in enumerate(case_ids[:36]):
            case = session.get(Case, case_id)
            assert case is not None
            day = case.referred_on + timedelta(days=4 + i % 6)
            kind = "conference" if i % 2 == 0 else "harm_repair"
            circles.append((kind, day, case_id, 3 + i % 3, "completed"))
            if i % 5 == 0:
                circles.append(("pre_meeting", day - timedelta(days=2), case_id, 2, "completed"))
            if i % 3 == 0:
                agreed = session.get(Case, case_id)
                assert agreed is not None
                status = (
                    "completed",
                    "completed",
                    "partially_completed",
                    "not_completed",
                    "active",
                    "draft",
                    "superseded",
                )[i % 7]
                session.add(Agreement(case_id=case_id, status=status, agreed_on=day))
            session.add(
                FollowUp(
                    case_id=case_id,
                    due_on=day + timedelta(days=14),
                    status=("done", "done", "missed", "open", "cancelled")[i % 5],
                    done_on=day + timedelta(days=10 + (i % 3) * 4) if i % 5 < 2 else None,
                )
            )
        for i in range(44):
            day = START + timedelta(days=(i * 5) % 110)
            kind = ("community_building", "check_in", "academic", "staff")[i % 4]
            circles.append((kind, day, None, 6 + i % 5, "completed"))
        circles.append(("community_building", date(2026, 2, 2), None, 8, "completed"))
        circles.append(("community_building", date(2025, 10, 6), None, 8, "cancelled"))
        circles.append(("reentry", date(2025, 11, 4), None, 4, "completed"))
        for kind, day, case_id, present, status in circles:
            circle = Circle(
                kind=kind,
                title=kind,
                status=status,
                case_id=case_id,
                facilitator_id=keeper_id,
                # As the planner decides: the case's school, else the keeper's.
                school_id=session.get(Case, case_id).school_id if case_id else north,
                scheduled_at=_noon(day),
                started_at=_noon(day) if status == "completed" else None,
                ended_at=_noon(day) + timedelta(hours=1) if status == "completed" else None,
            )
            session.add(circle)
            session.flush()
            for seat in range(present + 1):
                session.add(
                    Participant(
                        circle_id=circle.id,
                        person_id=student_ids[(seat * 7 + circle.id) % 80],
                        seat_position=seat,
                        attendance="absent" if seat == present else "present",
                    )
                )
            if status == "completed":
                _evaluate(session, circle, present)
    _seed_sro(db, student_ids)
    with db.sessions() as session:
        parties = session.scalar(select(func.count()).select_from(CaseParty))
        assert parties >= len(who)
    _seed_hand_offs(db, case_ids)
    return {"students": student_ids, "cases": case_ids}


def _evaluate(session: Session, circle: Circle, present: int) -> None:
    """A checklist and one survey answer from each person present (answers in a fixed cycle)."""
    items = items_for(circle.kind)
    answers = {
        item.value: ("yes", "yes", "no", "n/a")[(circle.id + n) % 4] for n, item in enumerate(items)
    }
    session.add(
        FidelityCheck(
            circle_id=circle.id,
            answers=json.dumps(answers),
            prefilled="{}",
            completed_on=circle.scheduled_at.date() if circle.scheduled_at else date.today(),
        )
    )
    sitting = SurveySitting(
        circle_id=circle.id, expected=present, held_on=date.today(), source="window"
    )
    session.add(sitting)
    session.flush()
    cycle = ("yes", "yes", "somewhat", "yes", "no", None, "yes")
    for n in range(present):
        session.add(
            SurveyResponse(
                id=circle.id * 1000 + n,
                uuid=str(uuid.uuid4()),
                sitting_id=sitting.id,
                heard=cycle[(circle.id + n) % 7],
                safe=cycle[(circle.id + 2 * n) % 7],
                fair=cycle[(n + 3) % 7],
                again="yes" if n % 5 else "somewhat",
            )
        )


def _seed_sro(db: Database, student_ids: list[int]) -> None:
    """An officer's term: outreach and mentoring, citations and arrests, a few courses."""
    kinds = (
        ("class_taught", "outreach", 50, 25, False),
        ("mentoring_session", "counseling", 30, None, True),
        ("parent_night", "outreach", 90, 40, False),
        ("citation", "law_enforcement", 45, None, True),
        ("arrest", "law_enforcement", 60, None, True),
        ("citation", "law_enforcement", 45, None, True),
    )
    with db.sessions.begin() as session:
        for i in range(60):
            kind, role, minutes, attendance, about_one = kinds[i % len(kinds)]
            session.add(
                SroActivity(
                    officer="Sam Reyes",
                    role=role,
                    activity_type=kind,
                    on_date=START + timedelta(days=i),
                    minutes=minutes,
                    attendance=attendance,
                    student_id=student_ids[(i * 3) % 80] if about_one else None,
                )
            )
        for course, category, tenths in (
            ("YMHFA", "mental_health_first_aid", 80),
            ("De-escalation", "de_escalation", 160),
        ):
            session.add(
                TrainingRecord(
                    trainee="Sam Reyes",
                    course=course,
                    category=category,
                    tenths=tenths,
                    completed_on=START + timedelta(days=10),
                )
            )


HAND_OFFS = ("btam", "btam", "mental_health", "title_ix", "btam", "child_protection", "police")
BASES = ("school_official", "health_safety_emergency", "school_official", "state_law_report")


def _seed_hand_offs(db: Database, case_ids: list[int]) -> None:
    """Hand-offs through the real service, so each writes its students' disclosure lines."""
    service = HandOffService(Context(db.sessions, viewer=Viewer("Keeper", "counselor")))
    for i in range(30):
        basis = BASES[i % len(BASES)]
        service.hand_off(
            HandOffData(
                handed_to=HAND_OFFS[i % len(HAND_OFFS)],
                recipient=f"Team member {i % 3}",
                handed_on=START + timedelta(days=(i * 11) % 105),
                shared="The referral.",
                basis=basis,
                threat="A threat was made." if basis == "health_safety_emergency" else None,
            ),
            case_id=case_ids[(i * 7) % len(case_ids)],
        )

"""Which school a record belongs to: decided in one place (core/schools), on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CirclePlan
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.settings.settings import SettingsService
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Case, Circle, Person, School

WHEN = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def _school_of(db: Database, model: type, record_id: int) -> str | None:
    with db.sessions() as session:
        school_id = session.scalar(select(model.school_id).where(model.id == record_id))
        return session.scalar(select(School.name).where(School.id == school_id))


def _laptop_school(db: Database, name: str) -> None:
    settings = SettingsService(db.sessions)
    chosen = settings.load()
    chosen.school_name = name
    settings.save(chosen)


def test_a_school_typed_differently_is_still_one_school(db: Database) -> None:
    # Given two people whose school was typed with different case and spacing
    people = PeopleService(Context(db.sessions, actor="test"))
    ana = people.create(PersonData("Ana", "Ruiz", school="Riverside Middle School"))
    ben = people.create(PersonData("Ben", "Lee", school="  riverside  MIDDLE school"))
    # Then both belong to the one school, shown with its first spelling
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(School)) == 1
    assert ana.school == ben.school == "Riverside Middle School"
    assert _school_of(db, Person, ben.id) == "Riverside Middle School"


def test_records_naming_no_school_take_their_school_from_where_they_belong(db: Database) -> None:
    # Given this laptop's school in Settings and a student of another school
    _laptop_school(db, "Lakeview High")
    ctx = Context(db.sessions, actor="test")
    people = PeopleService(ctx)
    hillside = people.create(PersonData("Ana", "Ruiz", grade="4", school="Hillside Elementary"))
    keeper = people.create(PersonData("Kim", "Keeper", kind="staff"))
    # When a referral and circles are recorded without naming a school
    case = CaseService(ctx).intake(
        CaseIntake(date(2026, 3, 1), "Fighting", parties=[(hillside.id, "responsible")])
    )
    planner = CirclePlanner(ctx)
    for_case = planner.plan(CirclePlan(kind="harm_repair", scheduled_at=WHEN, case_id=case.id))
    community = planner.plan(
        CirclePlan(kind="community_building", scheduled_at=WHEN, facilitator_id=keeper.id)
    )
    # Then a person takes this laptop's school, a case its responsible student's,
    # and a circle its case's, else its keeper's
    assert _school_of(db, Person, keeper.id) == "Lakeview High"
    assert _school_of(db, Case, case.id) == "Hillside Elementary"
    assert _school_of(db, Circle, for_case.id) == "Hillside Elementary"
    assert _school_of(db, Circle, community.id) == "Lakeview High"
    # ...and a school written at intake wins over the student's
    named = CaseService(ctx).intake(
        CaseIntake(
            date(2026, 3, 1),
            "Theft",
            school="Lakeview High",
            parties=[(hillside.id, "responsible")],
        )
    )
    assert _school_of(db, Case, named.id) == "Lakeview High"

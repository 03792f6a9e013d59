"""The welcome's rules: no "empty" start over records, the facilitator as a staff person,
and a school's name and address kept together."""

from __future__ import annotations

from sqlalchemy import func, select

from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.settings.welcome import (
    carry_answers,
    default_facilitator_id,
    facilitator_record,
    holds_records,
)
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Person

DEMO = SchoolSettings(
    school_name="Riverside Middle School",
    school_address="1200 Alder Street\nSpringfield, OR 97477",
    logo_path="/demo/logo.png",
    facilitator_name="Dana Whitfield",
    report_min_cell="5",
)


def test_a_database_with_records_is_not_empty(db: Database) -> None:
    assert not holds_records(db.sessions)
    PeopleService(db.sessions).create(PersonData("Ana", "Ruiz"))
    assert holds_records(db.sessions)


def test_a_typed_school_name_never_takes_another_school_s_address() -> None:
    typed = SchoolSettings(school_name="Lincoln Middle", facilitator_name="Sam Brooks")
    carried = carry_answers(DEMO, typed)
    assert carried.school_name == "Lincoln Middle"
    assert carried.school_address == "" and carried.logo_path == ""
    assert carried.facilitator_name == "Sam Brooks" and carried.welcome_done == "1"
    assert carried.report_min_cell == "5"  # the database's own choices are kept


def test_no_typed_school_keeps_the_database_s_school_whole() -> None:
    carried = carry_answers(DEMO, SchoolSettings(facilitator_name="Sam Brooks"))
    assert (carried.school_name, carried.school_address) == (
        DEMO.school_name,
        DEMO.school_address,
    )
    same = carry_answers(DEMO, SchoolSettings(school_name=" riverside middle school "))
    assert same.school_address == DEMO.school_address


def test_the_facilitator_becomes_one_staff_person_and_the_default_keeper(db: Database) -> None:
    ctx = Context(db.sessions, actor="Sam Brooks")
    first = facilitator_record(ctx, "  Sam   Brooks ", "School counselor")
    assert first is not None
    # Answering the welcome again (or in Settings) finds the same person, never a second one
    assert facilitator_record(ctx, "sam brooks", "") == first
    with db.sessions() as session:
        person = session.get(Person, first)
        assert person is not None
        assert (person.kind, person.first_name, person.last_name, person.title) == (
            "staff",
            "Sam",
            "Brooks",
            "School counselor",
        )
        assert session.scalar(select(func.count(Person.id))) == 1
    assert default_facilitator_id(ctx) is None  # Settings does not name them yet
    SettingsService(ctx).save(SchoolSettings(facilitator_name="Sam Brooks"))
    assert default_facilitator_id(ctx) == first


def test_a_one_word_name_adds_nobody(db: Database) -> None:
    assert facilitator_record(db.sessions, "Dana", "Counselor") is None
    assert facilitator_record(db.sessions, "   ", "") is None
    assert not holds_records(db.sessions)

"""The SRO activity log: what is saved, what is refused in plain words, who sees and edits what."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.problems import InvalidInput, NotFound, NotPermitted
from circlekeeper.core.profiles.viewer import NOBODY, Viewer
from circlekeeper.core.sro.activity import ActivityEntry, SroActivityService
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import AuditEvent, IncidentType, Person, SroActivity

TODAY = date(2026, 11, 20)
REYES = Viewer("Sam Reyes", "sro")
ORTIZ = Viewer("Lee Ortiz", "sro")
COUNSELOR = Viewer("Dana Whitfield", "counselor")
ADMIN = Viewer("Pat Moreno", "administrator")


def service(db: Database, viewer: Viewer) -> SroActivityService:
    return SroActivityService(Context(db.sessions, viewer=viewer), today=lambda: TODAY)


def count_rows(db: Database) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(SroActivity)) or 0)


def student(db: Database, first: str = "José", last: str = "Núñez") -> int:
    people = PeopleService(Context(db.sessions, actor="test"))
    return people.create(PersonData(first, last, kind="student", grade="8")).id


def test_an_outreach_hour_is_saved_with_its_role_date_place_and_head_count(db: Database) -> None:
    # Given an SRO's profile; when they log a class they taught
    row = service(db, REYES).log(
        ActivityEntry("class_taught", date(2026, 11, 18), 60, place="Room 12", attendance=28)
    )
    # Then it is theirs, counted under education and outreach, with its head count
    assert (row.officer, row.role, row.minutes, row.place, row.attendance) == (
        "Sam Reyes",
        "outreach",
        60,
        "Room 12",
        28,
    )
    assert service(db, REYES).entries() == [row]
    with db.sessions() as session:
        line = session.scalars(select(AuditEvent).where(AuditEvent.entity_uuid == row.uuid)).one()
    assert (line.action, line.actor) == ("create", "Sam Reyes")


def test_the_officer_may_count_an_activity_under_another_role(db: Database) -> None:
    row = service(db, REYES).log(
        ActivityEntry("safety_drill", TODAY, 30, role="law_enforcement", attendance=400)
    )
    assert row.role == "law_enforcement"


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (ActivityEntry("class_taught", TODAY, 0), "at least one minute"),
        (ActivityEntry("class_taught", TODAY, -30), "at least one minute"),
        (ActivityEntry("class_taught", TODAY, 1441), "more than a day"),
        (ActivityEntry("class_taught", date(2026, 11, 21), 30), "after today"),
        (ActivityEntry("patrol", TODAY, 30), "not an activity type"),
        (ActivityEntry("class_taught", TODAY, 30, role="discipline"), "three roles"),
        (ActivityEntry("class_taught", TODAY, 30, attendance=-1), "0 to 100,000"),
        (ActivityEntry("mentoring_session", TODAY, 30, attendance=3), "head count"),
    ],
)
def test_bad_input_is_refused_in_plain_words_and_nothing_is_saved(
    db: Database, entry: ActivityEntry, words: str
) -> None:
    with pytest.raises(InvalidInput, match=words) as refused:
        service(db, REYES).log(entry)
    assert str(refused.value).startswith("Nothing was saved")
    assert count_rows(db) == 0


def test_more_than_a_day_of_activities_on_one_date_is_refused(db: Database) -> None:
    officer = service(db, REYES)
    first = officer.log(ActivityEntry("incident_response", TODAY, 900))
    with pytest.raises(InvalidInput, match="more than the 1440 minutes in a day"):
        officer.log(ActivityEntry("class_taught", TODAY, 600))
    # Another officer's day is their own, and correcting the same entry does not count it twice.
    service(db, ORTIZ).log(ActivityEntry("class_taught", TODAY, 600))
    assert officer.update(first.id, ActivityEntry("incident_response", TODAY, 1000)).minutes == 1000
    assert count_rows(db) == 2


def test_a_student_link_only_where_the_activity_is_about_one_student(db: Database) -> None:
    jose = student(db)
    officer = service(db, REYES)
    row = officer.log(ActivityEntry("mentoring_session", TODAY, 40, student_id=jose))
    assert row.student_name == "José Núñez"
    with db.sessions() as session:
        line = session.scalars(select(AuditEvent).where(AuditEvent.entity_uuid == row.uuid)).one()
    assert '"student"' in line.detail  # the student's record shows in its own history
    with pytest.raises(InvalidInput, match="an event is about many people"):
        officer.log(ActivityEntry("parent_night", TODAY, 60, student_id=jose))
    guardian = PeopleService(db.sessions).create(PersonData("Ana", "Núñez", kind="guardian")).id
    with pytest.raises(InvalidInput, match="not a student"):
        officer.log(ActivityEntry("family_contact", TODAY, 10, student_id=guardian))
    assert count_rows(db) == 1


def test_a_citation_names_its_incident_type_from_the_schools_list(db: Database) -> None:
    with db.sessions() as session:
        fighting = session.scalars(select(IncidentType).where(IncidentType.key == "fighting")).one()
        fighting_id = fighting.id
    jose = student(db)
    officer = service(db, REYES)
    row = officer.log(
        ActivityEntry("citation", TODAY, 45, student_id=jose, incident_type_id=fighting_id)
    )
    assert row.incident_type == "Fighting"
    with pytest.raises(InvalidInput, match="only for an incident response"):
        officer.log(ActivityEntry("class_taught", TODAY, 45, incident_type_id=fighting_id))


def test_an_sro_sees_and_edits_only_their_own_entries(db: Database) -> None:
    mine = service(db, REYES).log(ActivityEntry("class_taught", TODAY, 60, attendance=20))
    theirs = service(db, ORTIZ).log(ActivityEntry("mentoring_session", TODAY, 30))
    reyes = service(db, REYES)
    assert [r.id for r in reyes.entries()] == [mine.id]
    assert reyes.entries()[0].editable
    # Another officer's entry is not there for them at all, on every path.
    with pytest.raises(NotFound):
        reyes.get(theirs.id)
    with pytest.raises(NotFound):
        reyes.update(theirs.id, ActivityEntry("mentoring_session", TODAY, 5))
    with pytest.raises(NotFound):
        reyes.remove(theirs.id)
    assert service(db, ORTIZ).get(theirs.id).minutes == 30
    # Whoever has not said who they are sees nothing and logs nothing.
    assert service(db, NOBODY).entries() == []
    with pytest.raises(InvalidInput, match="needs the name of whoever logs it"):
        service(db, NOBODY).log(ActivityEntry("class_taught", TODAY, 60))


def test_school_staff_see_every_entry_and_only_author_or_administrator_change_one(
    db: Database,
) -> None:
    entry = service(db, REYES).log(ActivityEntry("class_taught", TODAY, 60, attendance=20))
    counselor = service(db, COUNSELOR)
    assert [r.id for r in counselor.entries()] == [entry.id]
    assert not counselor.entries()[0].editable
    with pytest.raises(NotPermitted, match="logged by someone else"):
        counselor.update(entry.id, ActivityEntry("class_taught", TODAY, 5, attendance=20))
    with db.sessions() as session:
        refused = session.scalars(select(AuditEvent).where(AuditEvent.action == "refused")).one()
    assert (refused.actor, refused.entity_uuid) == ("Dana Whitfield", entry.uuid)
    assert service(db, REYES).get(entry.id).minutes == 60
    assert (
        service(db, ADMIN).update(entry.id, ActivityEntry("class_taught", TODAY, 50)).minutes == 50
    )
    service(db, REYES).remove(entry.id)
    assert count_rows(db) == 0


def test_removing_a_student_keeps_the_officers_hours(db: Database) -> None:
    jose = student(db)
    row = service(db, REYES).log(ActivityEntry("mentoring_session", TODAY, 40, student_id=jose))
    with db.sessions.begin() as session:
        session.delete(session.get(Person, jose))
    kept = service(db, REYES).get(row.id)
    assert (kept.minutes, kept.student_id, kept.student_name) == (40, None, None)

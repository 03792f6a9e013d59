"""Databases made by earlier releases open in today's code with every record intact.

Each file in tests/data/databases was made by ``make_database.py`` at the release whose schema
it is named after; a file older than today's schema is upgraded on opening (a backup first).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import (
    Agreement,
    AgreementItem,
    AuditEvent,
    Case,
    Circle,
    FollowUp,
    GuardianLink,
    Note,
    Person,
    Setting,
    SroActivity,
)
from circlekeeper.core.store.schema_version import HEAD, REVISIONS

FIXTURES = Path(__file__).parents[1] / "data" / "databases"
OLD_FILES = sorted(FIXTURES.glob("*.sqlite"))


def test_there_is_a_fixture_of_a_known_schema() -> None:
    assert OLD_FILES, "make one with tests/data/databases/make_database.py"
    known = {revision.split("_")[0] for revision in REVISIONS}
    assert {path.stem for path in OLD_FILES} <= known


@pytest.mark.parametrize("fixture", OLD_FILES, ids=[path.stem for path in OLD_FILES])
def test_an_old_database_opens_today_with_its_records(fixture: Path, home: Path) -> None:
    # Given a copy of a database made by an earlier (or this) release
    path = home / "circlekeeper.sqlite3"
    shutil.copyfile(fixture, path)
    # When today's code opens it
    db = open_database(path)
    try:
        # Then it is at today's schema...
        with sqlite3.connect(path) as conn:
            (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        assert revision == HEAD
        # ...and what the school wrote is all there, readable through today's services
        (ana,) = PeopleService(db.sessions).search("Quintero", kind="student")
        assert (ana.display_name, ana.external_id) == ("Ana Quintero", "S1001")
        with db.sessions() as session:
            student = session.get(Person, ana.id)
            assert student is not None and (student.gender, student.grade) == ("F", "7")
            link = session.scalars(select(GuardianLink)).one()
            assert link.student_id == ana.id and link.relationship_label == "mother"
            case = session.scalars(select(Case)).one()
            assert (case.incident_category, case.status) == ("Property damage", "monitoring")
            circle = session.scalars(select(Circle)).one()
            assert (circle.title, circle.status, circle.case_id) == (
                "Locker circle",
                "completed",
                case.id,
            )
            note = session.scalars(select(Note)).one()
            assert (note.privacy, note.author) == ("private", "Kim Osei")
            agreement = session.scalars(select(Agreement)).one()
            item = session.scalars(select(AgreementItem)).one()
            assert item.agreement_id == agreement.id and "repaint" in item.action
            follow_up = session.scalars(select(FollowUp)).one()
            assert follow_up.case_id == case.id and follow_up.purpose == "Check the repainting"
            activity = session.scalars(select(SroActivity)).one()
            assert (activity.officer, activity.minutes) == ("Sam Reyes", 45)
            school = session.get(Setting, "school_name")
            assert school is not None and school.value == "Riverside Middle School"
            actors = set(session.scalars(select(AuditEvent.actor)))
            lines = session.scalar(select(func.count()).select_from(AuditEvent))
            assert actors == {"Fixture Maker"} and (lines or 0) >= 1
    finally:
        db.close()
    if fixture.stem != HEAD.split("_")[0]:
        assert list((home / "backups").glob("*")), "an upgrade keeps a backup of the old file"

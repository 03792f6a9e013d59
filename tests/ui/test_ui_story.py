"""A morning's work through the real GUI, signed in as a profile: every write runs as one
operation through the window's context, so every audit line names who did it and every open
screen refreshes from what it announced.

These tests need each area's screens to build their services with ``context_for(database)``
(issue 10): they pass once every area runs its writes through the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from circlekeeper.core.followups.rows import FollowUpData
from circlekeeper.core.profiles.profiles import ProfileService
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import AuditEvent, Case, CaseParty, Circle, Person
from circlekeeper.ui.cases.page import CasePage
from circlekeeper.ui.live.facilitator import FacilitatorWindow
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.people.dialog import PersonDialog
from circlekeeper.ui.today.area import RECORD_ROLE

from .test_facilitator_helpers import harm_circle


@pytest.fixture
def signed_in(qtbot: QtBot, db_path: Path) -> Iterator[MainWindow]:
    """The main window, used by Dana's profile (the only one, so chosen without asking)."""
    db = open_database(db_path)
    SettingsService(db.sessions).save(SchoolSettings(facilitator_name="", welcome_done="1"))
    ProfileService(db.sessions).create("Dana", "counselor")
    db.close()
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    assert main.open_database(db_path, interactive=False)
    yield main
    main.close_database()


def _last_audit_id(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.max(AuditEvent.id))) or 0


def _lines_after(database: Database, mark: int) -> list[tuple[str, str, str]]:
    with database.sessions() as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.entity, AuditEvent.actor)
            .where(AuditEvent.id > mark)
            .order_by(AuditEvent.id)
        )
        return [(r.action, r.entity, r.actor) for r in rows]


def _setup(database: Database) -> tuple[int, int, int, int]:
    """A case naming a student, a staff member, and a planned circle on today's list."""
    cid, _ids = harm_circle(database)
    with database.sessions.begin() as session:
        ana = Person(first_name="Ana", last_name="Lopez", kind="student", search_text="ana lopez")
        kim = Person(first_name="Kim", last_name="Osei", kind="staff", search_text="kim osei")
        case = Case(referred_on=date.today(), incident_category="Conflict", status="referred")
        session.add_all([ana, kim, case])
        session.flush()
        session.add(CaseParty(case_id=case.id, person_id=ana.id, role="responsible"))
        circle = session.get(Circle, cid)
        assert circle is not None
        circle.scheduled_at = datetime.now(UTC)
    return case.id, ana.id, kim.id, cid


def test_every_write_through_the_gui_names_the_profile_and_reaches_open_screens(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    main = signed_in
    database = main.database
    assert database is not None and main.viewer is not None and main.viewer.name == "Dana"
    case_id, ana, kim, cid = _setup(database)
    main.today.refresh()
    mark = _last_audit_id(database)
    page = CasePage(database)
    qtbot.addWidget(page)
    page.show()
    assert page.load(case_id)

    # When Dana saves the school's settings and the lock time
    settings = main.settings_view
    settings.school_name.setText("Lincoln Middle School")
    assert settings.save()
    settings.protection.lock_after.setValue(5)
    settings.protection.save_lock()
    main.show_area(0)

    # ...adds a follow-up due today on the case page
    page.follow_ups.create(
        FollowUpData(due_on=date.today(), responsible_id=kim, purpose="Call home", case_id=case_id)
    )

    # Then Today lists it without anyone switching pages
    def follow_up_on_today() -> bool:
        rows = [main.today.due.item(i).data(RECORD_ROLE) for i in range(main.today.due.count())]
        return any(getattr(row, "purpose", None) == "Call home" for row in rows)

    qtbot.waitUntil(follow_up_on_today)

    # When she renames the student in the person dialog
    dialog = PersonDialog(main.people.service, ana)
    qtbot.addWidget(dialog)
    dialog.preferred_name.setText("Annie")
    dialog.accept()
    # Then the People list and the open case page show the new name
    qtbot.waitUntil(lambda: "Annie" in page.parties.item(0).text())
    main.show_area(2)
    qtbot.waitUntil(lambda: main.people.model.row_of(ana) >= 0)

    # When she runs the planned circle and ends it
    main.show_area(0)
    window = FacilitatorWindow(database, cid)
    qtbot.addWidget(window)
    window._ticker.stop()
    qtbot.waitUntil(lambda: main.today.resume_box.isVisible())  # running: Today offers it
    window.end_circle()
    # Then Today drops the resume card at once
    qtbot.waitUntil(lambda: not main.today.resume_box.isVisible())
    if window.summary_view is not None:
        window.summary_view.close()

    # And every audit line written through the GUI names Dana
    lines = _lines_after(database, mark)
    assert {(action, entity) for action, entity, _ in lines} >= {
        ("start", "circle"),
        ("end", "circle"),
        ("update", "settings"),
    }
    unsigned = [line for line in lines if line[2] != "Dana"]
    assert unsigned == []


@pytest.fixture
def main_with_running_circle(qtbot: QtBot, db_path: Path) -> Iterator[tuple[MainWindow, int]]:
    db = open_database(db_path)
    SettingsService(db.sessions).save(SchoolSettings(facilitator_name="Dana", welcome_done="1"))
    cid, _ids = harm_circle(db)
    with db.sessions.begin() as session:
        circle = session.get(Circle, cid)
        assert circle is not None
        circle.scheduled_at = datetime.now(UTC)
    window = FacilitatorWindow(db, cid)
    window._ticker.stop()
    window.close()
    db.close()
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    assert main.open_database(db_path, interactive=False)
    assert main.today.resume_box.isVisible()
    yield main, cid
    main.close_database()


def test_ending_a_circle_in_the_facilitator_view_clears_todays_resume_card(
    qtbot: QtBot, main_with_running_circle: tuple[MainWindow, int]
) -> None:
    # Given Today on show with the resume card of a circle left running
    main, cid = main_with_running_circle
    database = main.database
    assert database is not None
    # When the keeper resumes it in the facilitator view and ends it
    window = FacilitatorWindow(database, cid)
    qtbot.addWidget(window)
    window._ticker.stop()
    window.end_circle()
    # Then Today drops the card, with nobody switching pages
    qtbot.waitUntil(lambda: not main.today.resume_box.isVisible())
    if window.summary_view is not None:
        window.summary_view.close()

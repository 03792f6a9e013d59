"""The welcome over a file that already has records, the facilitator it adds to the directory,
the plan's default keeper, and the school's address kept with its own name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import Person
from circlekeeper.ui.circles.plan import PlanDialog
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.welcome import EMPTY, WelcomeDialog

from .conftest import activate, add_person


def _texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    found = [*widget.findChildren(QAbstractButton), *widget.findChildren(QLabel)]
    return [w.text() for w in found if w.isVisibleTo(widget) and w.text()]


def test_a_database_with_records_is_not_offered_an_empty_start(
    qtbot: QtBot, db: Database, people: PeopleService
) -> None:
    # Given a colleague's file full of records, opened with a fresh home (no welcome yet)
    add_person(people, "Ana", "Ruiz", grade="7")
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    dialog.resize(1366 // 2, 600)
    activate(qtbot, dialog)
    # Then nothing offers to start empty; keeping the records is the choice made
    texts = " ".join(_texts(dialog)).replace("&", "")
    assert "empty database" not in texts
    assert "Keep working with the records already in this database" in texts
    assert dialog.empty.isChecked()
    dialog.grab().save("/tmp/welcome_with_records.png")
    qtbot.keyClick(dialog.facilitator_name, Qt.Key.Key_Return)
    assert dialog.choice == EMPTY
    assert people.count().number == 1  # nothing was removed or added


def test_a_fresh_database_still_offers_the_empty_start(qtbot: QtBot, db: Database) -> None:
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    assert "Start with an &empty database" in _texts(dialog)


def test_the_facilitator_is_a_staff_person_and_a_new_circle_s_keeper(
    qtbot: QtBot, db: Database, home: Path
) -> None:
    # Given the welcome answered with the facilitator's name
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    qtbot.keyClicks(dialog.facilitator_name, "Dana Brooks")
    qtbot.keyClicks(dialog.facilitator_role, "School counselor")
    qtbot.keyClick(dialog.facilitator_role, Qt.Key.Key_Return)
    # Then Dana is a staff person in the directory
    with db.sessions() as session:
        staff = session.execute(
            select(Person.id, Person.title).where(
                Person.kind == "staff", Person.last_name == "Brooks"
            )
        ).all()
    assert [title for _id, title in staff] == ["School counselor"]
    # And a new circle's plan offers Dana as its facilitator
    plan = PlanDialog(db, None, library=ScriptLibrary())
    qtbot.addWidget(plan)
    assert plan.facilitator.currentData() == staff[0][0]
    assert plan.facilitator.currentText() == "Dana Brooks"


def test_a_typed_school_name_does_not_take_the_demo_s_address(qtbot: QtBot, db_path: Path) -> None:
    # Given a database with another school's name and address (as the demo has)
    other = open_database(db_path)
    try:
        SettingsService(other.sessions).save(
            SchoolSettings(
                school_name="Riverside Middle School",
                school_address="1200 Alder Street\nSpringfield, OR 97477",
            )
        )
    finally:
        other.close()
    # When the welcome's answers (a school name typed) are carried into it
    window = MainWindow()
    qtbot.addWidget(window)
    answers = SchoolSettings(school_name="Lincoln Middle", facilitator_name="Dana Brooks")
    assert window.switch_database(db_path, answers)
    # Then the typed school has no borrowed address, and Dana is in its directory
    assert window.database is not None
    settings = SettingsService(window.database.sessions).load()
    assert (settings.school_name, settings.school_address) == ("Lincoln Middle", "")
    found = PeopleService(window.database.sessions).search("Dana Brooks", kind="staff")
    assert [p.display_name for p in found] == ["Dana Brooks"]
    window.close_database()

"""The student page: a person's story on one page, opened from People, each line opening its
record, driven by keyboard alone, as a counselor and as a school resource officer sees it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from tests.core.conftest import Conference, build_conference
from tests.core.test_person_story import fill_story
from tests.ui.a11y import unnamed_controls
from tests.ui.conftest import activate

from circlekeeper.core.profiles.viewer import ProfileRole, Viewer
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import (
    AgreementItem,
    CaseParty,
    FamilyContact,
    FollowUp,
    GuardianLink,
    Participant,
)
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.operations import register
from circlekeeper.ui.people.area import PeopleArea
from circlekeeper.ui.people.story import StudentPage

ZONE = ZoneInfo("America/Chicago")
COUNSELOR = Viewer("Dana Whitfield", ProfileRole.COUNSELOR.value)
OFFICER = Viewer("Sam Reyes", ProfileRole.SRO.value)


def clock() -> datetime:
    return datetime(2025, 4, 1, 9, 30, tzinfo=ZONE)


def _count(db: Database, query: object) -> int:
    with db.sessions() as session:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def _lines(table: QTableWidget) -> int:
    """Lines that are records (an empty section shows one line saying so, spanning it)."""
    if table.rowCount() == 1 and table.columnSpan(0, 0) == table.columnCount() > 1:
        return 0
    return table.rowCount()


def _area(qtbot: QtBot, db: Database, viewer: Viewer) -> tuple[PeopleArea, Conference]:
    conference = build_conference(db)
    fill_story(conference)
    register(db, lambda: viewer.name, lambda: viewer)
    area = PeopleArea(db)
    qtbot.addWidget(area)
    area.resize(1366, 768)
    activate(qtbot, area)
    return area, conference


def _open_jose(qtbot: QtBot, area: PeopleArea, conference: Conference) -> StudentPage:
    # Given José selected in the directory, Enter opens his page (not the edit form)
    area.select_person(conference.jose)
    area.table.setFocus()
    qtbot.keyClick(area.table, Qt.Key.Key_Return)
    page = area.story_page
    assert area.stack.currentWidget() is page
    assert page.person_id == conference.jose
    return page


def test_sections_hold_what_the_database_holds(qtbot: QtBot, db: Database) -> None:
    area, c = _area(qtbot, db, COUNSELOR)
    page = _open_jose(qtbot, area, c)

    # Then the header names him by the one rule, with grade and pronouns
    assert page.title.text() == "José Núñez"
    assert "Grade 8" in page.facts.text() and "he/him" in page.facts.text()
    assert page.demographics.isVisible() and "Hispanic or Latino" in page.demographics.text()

    # And each section has one line per record, counted independently from the rows
    jose = c.jose
    assert _lines(page.cases) == _count(db, select(func.count()).where(CaseParty.person_id == jose))
    assert _lines(page.circles) == _count(
        db, select(func.count()).where(Participant.person_id == jose)
    )
    assert _lines(page.agreements) == 1
    total = _count(db, select(func.count(AgreementItem.id)))
    done = _count(db, select(func.count()).where(AgreementItem.completed_on.is_not(None)))
    assert page.agreements.item(0, 2).text() == f"{done} of {total} done"
    assert _lines(page.follow_ups) == _count(db, select(func.count(FollowUp.id)))
    assert page.follow_ups.item(0, 3).text().startswith("⚠")  # the open, overdue one first
    assert _lines(page.contacts) == _count(db, select(func.count(FamilyContact.id)))
    assert _lines(page.guardians) == _count(
        db, select(func.count()).where(GuardianLink.student_id == jose)
    )
    assert not page.students.isVisible()  # José is no one's guardian
    # A held circle shows when it was held
    held_row = [page.circles.item(r, 1).text() for r in range(page.circles.rowCount())].index(
        "Cafeteria headphones"
    )
    assert page.circles.item(held_row, 0).text().startswith("Held ")
    assert {page.notes.item(r, 3).text() for r in range(page.notes.rowCount())} == {
        "Seemed tired; ask about sleep.",
        "Offered to repay in two parts.",
    }
    assert not unnamed_controls(page)
    page.grab().save("/tmp/student_page_counselor.png")


def test_an_officer_sees_no_equity_fields_and_no_private_notes(qtbot: QtBot, db: Database) -> None:
    area, c = _area(qtbot, db, OFFICER)
    page = _open_jose(qtbot, area, c)
    assert not page.demographics.isVisible()
    assert "Hispanic" not in page.demographics.text()
    texts = [page.notes.item(r, 3).text() for r in range(page.notes.rowCount())]
    assert texts == ["Offered to repay in two parts."]
    assert _lines(page.cases) == 2  # the rest of the story is there
    page.grab().save("/tmp/student_page_officer.png")


def test_keyboard_alone_opens_each_line_and_comes_back(qtbot: QtBot, db: Database) -> None:
    area, c = _area(qtbot, db, COUNSELOR)
    page = _open_jose(qtbot, area, c)
    opened: list[tuple[str, int, object]] = []
    page.open_record.connect(lambda kind, rid, parent: opened.append((kind, rid, parent)))

    # Tab from the Back button reaches Edit, then the first section's table
    page.back_button.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.edit_button
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.cases

    # Enter on a case line opens that case; on an agreement line, that agreement
    page.cases.setCurrentCell(1, 0)
    qtbot.keyClick(page.cases, Qt.Key.Key_Return)
    page.agreements.setFocus()
    page.agreements.setCurrentCell(0, 0)
    qtbot.keyClick(page.agreements, Qt.Key.Key_Return)
    agreement_id = page.story.agreements[0].id
    assert opened == [("case", c.case_id, None), ("agreement", agreement_id, c.case_id)]

    # Enter on a guardian opens the guardian's own page in place
    page.guardians.setFocus()
    page.guardians.setCurrentCell(0, 0)
    qtbot.keyClick(page.guardians, Qt.Key.Key_Return)
    assert page.person_id == c.lucia and page.title.text() == "Lucía Núñez"
    assert page.students.isVisible()

    # Escape goes back to the directory, on the person last shown
    qtbot.keyClick(page.guardians, Qt.Key.Key_Escape)
    assert area.stack.currentWidget() is area.list_page
    assert area.selected_person().id == c.lucia


def test_the_page_refreshes_when_the_person_changes(qtbot: QtBot, db: Database) -> None:
    area, c = _area(qtbot, db, COUNSELOR)
    page = _open_jose(qtbot, area, c)
    from circlekeeper.core.people.people import PeopleService
    from circlekeeper.ui.operations import context_for

    people = PeopleService(context_for(db))
    data = people.details(c.jose).data
    data.preferred_name = "Pepe"
    people.update(c.jose, data)
    qtbot.waitUntil(lambda: page.title.text() == "Pepe Núñez")


def test_opening_a_case_line_shows_the_case_page_in_the_window(qtbot: QtBot, db_path: Path) -> None:
    # Given a database with José's story, opened in the main window
    db = open_database(db_path)
    c = build_conference(db)
    fill_story(c)
    from circlekeeper.core.settings.settings import SettingsService

    settings = SettingsService(db.sessions)
    current = settings.load()
    current.welcome_done = "1"
    settings.save(current)
    db.close()
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1366, 768)
    assert main.open_database(db_path, interactive=False)
    try:
        # When José is opened (as the search does) and Enter is pressed on his first case
        assert main.open_record("person", c.jose)
        page = main.people.story_page
        assert main.current_area() is main.people
        page.cases.setFocus()
        row = [x.id for x in page.story.cases].index(c.case_id)
        page.cases.setCurrentCell(row, 0)
        qtbot.keyClick(page.cases, Qt.Key.Key_Return)
        # Then the Cases area shows that case's page
        assert main.current_area() is main.cases
        assert main.cases.stack.currentWidget() is main.cases.page
        assert main.cases.page.detail.id == c.case_id
    finally:
        main.close_database()

"""Open screens refresh from the changes an operation announces, without switching pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from circlekeeper.core.domain.enums import CircleStatus
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import Circle, FollowUp, Person
from circlekeeper.ui.cases.page import CasePage
from circlekeeper.ui.live.facilitator import FacilitatorWindow
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.today.area import RECORD_ROLE

from .test_facilitator_helpers import harm_circle, open_window


def _welcomed(path: Path) -> Database:
    db = open_database(path)
    SettingsService(db.sessions).save(SchoolSettings(facilitator_name="Dana", welcome_done="1"))
    return db


def _running_circle(qtbot: QtBot, path: Path) -> int:
    """A circle started and left running (the window closed without ending it)."""
    db = _welcomed(path)
    cid, _ids = harm_circle(db)
    with db.sessions.begin() as session:  # on today's list, so Today offers to resume it
        circle = session.get(Circle, cid)
        assert circle is not None
        circle.scheduled_at = datetime.now(UTC)
    window = open_window(qtbot, db, cid)
    window._ticker.stop()
    window.hide()
    db.close()
    return cid


def _main(qtbot: QtBot, path: Path) -> MainWindow:
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    assert main.open_database(path, interactive=False)
    return main


@pytest.fixture
def main_with_running_circle(qtbot: QtBot, db_path: Path) -> Iterator[tuple[MainWindow, int]]:
    cid = _running_circle(qtbot, db_path)
    main = _main(qtbot, db_path)
    assert main.today.resume_box.isVisible()
    yield main, cid
    main.close_database()


def test_an_ended_circle_leaves_today_and_the_circles_list_at_once(
    qtbot: QtBot, main_with_running_circle: tuple[MainWindow, int]
) -> None:
    # Given Today on show with the card, and the Circles list open in the same window
    main, cid = main_with_running_circle
    database = main.database
    assert database is not None
    circles = main.circles
    main.show_area(0)
    row = circles.model.row_of(cid)
    assert circles.model.circle_at(row).status == CircleStatus.IN_PROGRESS
    # When an operation through the window's context ends it (as the facilitation service does)
    with context_for(database).write("end circle") as session:
        circle = session.get(Circle, cid)
        assert circle is not None
        circle.status = CircleStatus.COMPLETED.value
    # Then Today drops the resume card while on show...
    qtbot.waitUntil(lambda: not main.today.resume_box.isVisible())
    # ...and the Circles list, shown next, already says it is done
    main.show_area(3)
    qtbot.waitUntil(
        lambda: circles.model.circle_at(circles.model.row_of(cid)).status == CircleStatus.COMPLETED
    )


def test_resume_on_a_stale_card_says_the_circle_ended_and_refreshes(
    qtbot: QtBot, main_with_running_circle: tuple[MainWindow, int], db_path: Path
) -> None:
    # Given Today's resume card, and the circle ended by another program on the same file
    main, cid = main_with_running_circle
    other = open_database(db_path)
    try:
        FacilitationService(other.sessions, cid).end()
    finally:
        other.close()
    assert main.today.resume_box.isVisible()  # nothing told this window
    # When the keeper presses Resume
    main.today.resume_button.click()
    # Then no facilitator view opens on the ended circle: Today says so and refreshes
    assert not isinstance(main.today.live_window, FacilitatorWindow)
    assert "already ended" in main.today.message.text()
    assert not main.today.resume_box.isVisible()


def _case(database: Database) -> tuple[int, int, int]:
    """A case with one student named in it, and a staff member; returns their ids."""
    from circlekeeper.core.store.models import Case, CaseParty

    with context_for(database).write("set up a case") as session:
        ana = Person(first_name="Ana", last_name="Lopez", kind="student", search_text="ana lopez")
        kim = Person(first_name="Kim", last_name="Osei", kind="staff", search_text="kim osei")
        case = Case(referred_on=date.today(), incident_category="Conflict", status="referred")
        session.add_all([ana, kim, case])
        session.flush()
        session.add(CaseParty(case_id=case.id, person_id=ana.id, role="responsible"))
    return case.id, ana.id, kim.id


def test_a_follow_up_added_on_a_case_page_shows_on_today(qtbot: QtBot, db_path: Path) -> None:
    _welcomed(db_path).close()
    main = _main(qtbot, db_path)
    database = main.database
    assert database is not None
    case_id, _ana, kim = _case(database)
    page = CasePage(database)
    qtbot.addWidget(page)
    assert page.load(case_id)
    # When a follow-up due today is added for the case
    with context_for(database).write("add follow-up") as session:
        session.add(
            FollowUp(due_on=date.today(), case_id=case_id, purpose="Call home", responsible_id=kim)
        )

    # Then Today, on show, lists it without being opened again, and the case page too
    def listed() -> bool:
        rows = [main.today.due.item(i).data(RECORD_ROLE) for i in range(main.today.due.count())]
        return any(getattr(row, "purpose", None) == "Call home" for row in rows)

    page.show()
    qtbot.waitUntil(listed)
    qtbot.waitUntil(lambda: page.detail is not None and len(page.detail.follow_ups) == 1)
    main.close_database()


def test_editing_a_person_updates_people_and_an_open_case_page(qtbot: QtBot, db_path: Path) -> None:
    _welcomed(db_path).close()
    main = _main(qtbot, db_path)
    database = main.database
    assert database is not None
    case_id, ana, _kim = _case(database)
    main.show_area(2)
    people = main.people
    people.reload()
    people.select_person(ana)
    page = CasePage(database)
    qtbot.addWidget(page)
    page.show()
    assert page.load(case_id)
    assert "Ana Lopez" in page.parties.item(0).text()
    # When the person is renamed (in any window)
    with context_for(database).write("edit person") as session:
        found = session.scalars(select(Person).where(Person.id == ana)).one()
        found.preferred_name = "Annie"
    # Then the People list and the case page show the new name, the selection kept
    qtbot.waitUntil(lambda: "Annie" in page.parties.item(0).text())
    qtbot.waitUntil(lambda: people.selected_person() is not None)
    selected = people.selected_person()
    assert selected is not None and selected.id == ana
    qtbot.waitUntil(lambda: "Annie" in (people.selected_person() or selected).display_name)
    main.close_database()


def test_a_hidden_area_catches_up_when_shown(qtbot: QtBot, db_path: Path) -> None:
    _welcomed(db_path).close()
    main = _main(qtbot, db_path)
    database = main.database
    assert database is not None
    people = main.people
    main.show_area(0)  # People hidden behind Today
    before = people.model.total
    with context_for(database).write("add person") as session:
        session.add(Person(first_name="Zoe", last_name="Ng", kind="student", search_text="zoe ng"))
    main.show_area(2)
    qtbot.waitUntil(lambda: people.model.total == before + 1)
    main.close_database()


def test_the_case_and_agreement_lists_follow_changes_made_elsewhere(
    qtbot: QtBot, db_path: Path
) -> None:
    from circlekeeper.core.store.models import Agreement, Case

    _welcomed(db_path).close()
    main = _main(qtbot, db_path)
    database = main.database
    assert database is not None
    case_id, _ana, _kim = _case(database)
    main.show_area(1)
    cases = main.cases
    cases.reload()
    assert cases.select_case(case_id)
    # When the case moves on and an agreement is made for it, in another window
    with context_for(database).write("move case") as session:
        found = session.get(Case, case_id)
        assert found is not None
        found.status = "screened"
    qtbot.waitUntil(lambda: cases.model.case_at(cases.model.row_of(case_id)).status == "screened")
    selected = cases.selected_case()
    assert selected is not None and selected.id == case_id  # the selection is kept
    main.show_area(5)
    agreements = main.agreements
    before = len(agreements.lines)
    with context_for(database).write("make agreement") as session:
        session.add(Agreement(case_id=case_id, harm_summary="A broken locker door."))
    qtbot.waitUntil(lambda: len(agreements.lines) == before + 1)
    main.close_database()


def test_changes_from_work_off_the_ui_thread_arrive_on_the_ui_thread(
    qtbot: QtBot, db: Database
) -> None:
    import threading

    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication, QWidget

    from circlekeeper.ui.operations import listen

    screen = QWidget()
    qtbot.addWidget(screen)
    screen.show()
    heard: list[tuple[bool, bool]] = []
    listen(
        screen,
        db,
        ("person",),
        lambda changes: heard.append(
            (QThread.currentThread() is QApplication.instance().thread(), changes.touches("person"))
        ),
    )

    def work() -> None:  # as a roster import on the thread pool would
        with context_for(db).write("import") as session:
            session.add(Person(first_name="Li", last_name="Wu", kind="student", search_text="li"))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: heard == [(True, True)])


def test_a_talking_piece_move_does_not_reload_lists_but_ending_does(
    qtbot: QtBot, db: Database
) -> None:
    from PySide6.QtWidgets import QWidget

    from circlekeeper.core.operations import Changes
    from circlekeeper.ui.operations import _Listener, listen

    screen = QWidget()
    qtbot.addWidget(screen)
    screen.show()
    heard: list[Changes] = []
    listen(screen, db, ("circle",), heard.append)
    (ear,) = screen.findChildren(_Listener)
    # A turn (next speaker) touches the circle too, but no list shows turns
    ear.heard(Changes.of("turn", "circle", ids={"circle": [1]}))
    assert ear.pending is None
    # Ending the circle (no turn written) is passed on
    ear.heard(Changes.of("circle", "stage_record", ids={"circle": [1]}))
    qtbot.waitUntil(lambda: len(heard) == 1)
    assert heard[0].touched("circle", 1)

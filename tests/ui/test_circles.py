"""Planning circles and conferences with the keyboard and the mouse, on a real database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from circlekeeper.core.cases.eligibility import EligibilityService
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.domain.enums import CircleStatus, Role
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.ui.circles.area import CirclesArea
from circlekeeper.ui.circles.plan import PlanDialog

from .a11y import unnamed_controls
from .conftest import activate, add_person

MINOR = date(2011, 5, 1)


@pytest.fixture
def library(home) -> ScriptLibrary:
    return ScriptLibrary()


def make_dialog(qtbot: QtBot, db: Database, library, circle_id=None) -> PlanDialog:
    dialog = PlanDialog(db, circle_id, library=library)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    return dialog


def choose(combo, value) -> None:
    combo.setCurrentIndex(combo.findData(value))


def invite(qtbot: QtBot, dialog: PlanDialog, text: str, role: str, of: int | None = None):
    """Type a name in the picker, pick the role (and whom they support), press Enter."""
    panel = dialog.participants
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, text)
    qtbot.waitUntil(lambda: panel.results.count() > 0)
    choose(panel.role, role)
    if of is not None:
        choose(panel.supporter_of, of)
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    assert panel.results.hasFocus()
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)


def ring_names(dialog: PlanDialog) -> list[str]:
    return [seat.name for seat in dialog.ring.seats()]


def stored_order(db: Database, circle_id: int) -> list[str]:
    detail = CirclePlanner(db.sessions).detail(circle_id)
    return [p.name for p in detail.participants]


def test_plan_a_harm_circle_with_six_people_and_reorder_seats(
    qtbot: QtBot, db: Database, people: PeopleService, library
):
    # Given a counselor and six students in the directory
    keeper = add_person(people, "Dana", "Whitfield", kind="staff")
    for first, last in [
        ("Ana", "Núñez"),
        ("Liam", "Smith"),
        ("Mei", "Nguyen"),
        ("Jo", "Baptiste"),
        ("Sofia", "Reyes"),
        ("Omar", "Haddad"),
    ]:
        add_person(people, first, last, grade="8")
    dialog = make_dialog(qtbot, db, library)

    # When the kind is chosen, the harm script is suggested with its length
    choose(dialog.kind, "harm_repair")
    assert dialog.script.currentData() == "harm_repair"
    assert "stages" in dialog.script_info.text()
    choose(dialog.facilitator, keeper)
    qtbot.keyClicks(dialog.place, "Room 12")
    # and six people are invited through the search-as-you-type picker
    for name in ["nunez", "smith", "nguyen", "baptiste", "reyes", "haddad"]:
        invite(qtbot, dialog, name, Role.MEMBER.value)
    assert dialog.circle_id is not None
    circle_id = dialog.circle_id
    assert dialog.participants.table.rowCount() == 7  # with the facilitator
    assert ring_names(dialog)[0] == "Dana Whitfield"
    assert len(ring_names(dialog)) == 7

    # When seat 2 (Ana) is dragged onto seat 5 with the mouse
    ring = dialog.ring
    dialog.tabs.setCurrentIndex(1)
    qtbot.waitUntil(ring.isVisible)
    start = ring.seat_center(1).toPoint()
    end = ring.seat_center(4).toPoint()
    QTest.mousePress(ring, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(ring, start + QPoint(8, 8))
    QTest.mouseMove(ring, end)
    QTest.mouseRelease(ring, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)

    # Then she sits fifth, and the database says so
    expected = ["Dana Whitfield", "Liam Smith", "Mei Nguyen", "Jo Baptiste", "Ana Núñez"]
    assert ring_names(dialog)[:5] == expected
    assert stored_order(db, circle_id)[:5] == expected

    # When the keyboard moves her back: she is selected, Alt+Left three times
    ring.setFocus()
    assert ring.current_seat().name == "Ana Núñez"
    for _ in range(3):
        qtbot.keyClick(ring, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    # and Right selects the next seat, Alt+Right moves Liam one on
    qtbot.keyClick(ring, Qt.Key.Key_Right)
    assert ring.current_seat().name == "Liam Smith"
    qtbot.keyClick(ring, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)

    # Then the new order is stored (reloaded from the database)
    expected = ["Dana Whitfield", "Ana Núñez", "Mei Nguyen", "Liam Smith", "Jo Baptiste"]
    assert stored_order(db, circle_id)[:5] == expected
    assert "Seat 2: Ana Núñez" in ring.accessibleDescription()

    # And the plan is stored with its details
    detail = CirclePlanner(db.sessions).detail(circle_id)
    assert detail.plan.kind == "harm_repair"
    assert detail.plan.location == "Room 12"
    assert detail.script is not None and detail.script.key == "harm_repair"
    assert unnamed_controls(dialog) == []
    dialog.tabs.setCurrentIndex(0)
    assert unnamed_controls(dialog) == []


def test_plan_a_conference_prepare_and_watch_readiness(
    qtbot: QtBot, db: Database, people: PeopleService, library
):
    # Given a counselor, an SRO, two students, their guardians and a coach
    keeper = add_person(people, "Dana", "Whitfield", kind="staff")
    sro = add_person(people, "Sam", "Ortiz", kind="sro")
    add_person(people, "Ana", "Núñez", birth_date=MINOR)
    add_person(people, "Liam", "Smith", birth_date=MINOR)
    add_person(people, "Carmen", "Nunez-Lopez", kind="guardian")
    add_person(people, "Peter", "Smithson", kind="guardian")
    add_person(people, "Tom", "Alvarez", kind="staff")
    add_person(people, "Eve", "Observer", kind="staff")
    dialog = make_dialog(qtbot, db, library)
    choose(dialog.kind, "conference")
    assert dialog.script.currentData() == "conference"
    assert dialog.tabs.isTabEnabled(2)
    choose(dialog.facilitator, keeper)
    choose(dialog.co_facilitator, sro)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    circle_id = dialog.circle_id
    assert circle_id is not None

    # When the parties and their supporters are invited
    invite(qtbot, dialog, "ana", Role.HARMED.value)
    invite(qtbot, dialog, "liam", Role.RESPONSIBLE.value)
    rows = {r.name: r.id for r in dialog.participants.rows}
    invite(qtbot, dialog, "carmen", Role.GUARDIAN.value, rows["Ana Núñez"])
    invite(qtbot, dialog, "smithson", Role.GUARDIAN.value, rows["Liam Smith"])
    invite(qtbot, dialog, "alvarez", Role.SUPPORTER.value, rows["Liam Smith"])
    invite(qtbot, dialog, "observer", Role.OBSERVER.value)
    roles = [dialog.participants.table.item(r, 1).text() for r in range(8)]
    assert "Supporter of Liam Smith" in roles
    assert "Guardian of Ana Núñez" in roles

    # and the conference seating is suggested
    dialog.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dialog.suggest_button, Qt.MouseButton.LeftButton)

    # Then each party sits beside their supporters, and the observer sits outside
    ring = stored_order(db, circle_id)
    assert ring == [
        "Dana Whitfield",
        "Liam Smith",
        "Peter Smithson",
        "Tom Alvarez",
        "Sam Ortiz",
        "Carmen Nunez-Lopez",
        "Ana Núñez",
        "Eve Observer",
    ]
    assert [s.name for s in dialog.ring.seats() if s.outer] == ["Eve Observer"]
    assert unnamed_controls(dialog) == []

    # And the readiness panel explains what is missing
    def missing() -> list[str]:
        return [dialog.readiness.item(r).text() for r in range(dialog.readiness.count())]

    assert any("eligibility screen" in m for m in missing())
    assert any("minor" in m and "Ana Núñez" in m for m in missing())
    before = len(missing())

    # When the preparation checklist is ticked for Ana with the keyboard
    dialog.tabs.setCurrentIndex(2)
    ana = rows["Ana Núñez"]
    for field in ("pre_meeting_held", "consent", "guardian_consent"):
        box = dialog.preparation.boxes[(ana, field)]
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)
    # Then three reasons are gone and the database holds the ticks
    assert len(missing()) == before - 3
    assert not any("Ana Núñez" in m for m in missing())
    row = next(p for p in CirclePlanner(db.sessions).detail(circle_id).participants if p.id == ana)
    assert (row.pre_meeting_held, row.consent, row.guardian_consent) == (True, True, True)

    # When the eligibility screen is answered: admitted, but a weapon was involved
    def tick(box) -> None:  # on the box itself: a check box reacts to its box and its words
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))

    form = dialog.preparation.form
    admitted = form.consents["responsibility_admitted"]
    admitted.setFocus()
    admitted.setCurrentIndex(admitted.findData(True))
    assert not any("admits their part" in m for m in missing())
    tick(form.exclusions["weapons"])
    assert any("⚠" in m and "weapon" in m.lower() for m in missing())
    screen = EligibilityService(db.sessions).for_circle(circle_id).answers
    assert screen is not None and screen.responsibility_admitted and screen.weapons
    assert dialog.start_button.isEnabled()  # it explains why when pressed
    assert unnamed_controls(dialog) == []


def test_area_lists_upcoming_first_opens_and_cancels(
    qtbot: QtBot, db: Database, people: PeopleService, library, monkeypatch
):
    # Given two planned circles
    planner = CirclePlanner(db.sessions, library)
    from datetime import datetime, timedelta

    soon = datetime.now().astimezone() + timedelta(days=1)
    later = planner.plan(planner_plan("community_building", "Later", soon + timedelta(days=5)))
    planner.plan(planner_plan("check_in", "Sooner", soon))
    past = planner.plan(planner_plan("staff", "Last month", soon - timedelta(days=40)))
    area = CirclesArea(db, library=library)
    qtbot.addWidget(area)
    area.resize(1000, 600)
    activate(qtbot, area)

    # Then upcoming circles come first, soonest at the top
    titles = [area.model.circle_at(r).title for r in range(area.model.rowCount())]
    assert titles == ["Sooner", "Later", "Last month"]
    assert area.model.index(0, 2).data() == "Check-in / check-out circle"
    assert unnamed_controls(area) == []

    # When the counselor cancels "Later" and confirms
    area.select_circle(later.id)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(area.cancel_button, Qt.MouseButton.LeftButton)
    assert CirclePlanner(db.sessions).detail(later.id).status == CircleStatus.CANCELLED.value
    assert not area.cancel_button.isEnabled()

    # When the status filter shows cancelled circles only
    choose(area.status_filter, CircleStatus.CANCELLED.value)
    assert area.model.rowCount() == 1
    del past


def planner_plan(kind: str, title: str, when):
    from circlekeeper.core.circles.rows import CirclePlan

    return CirclePlan(kind=kind, title=title, scheduled_at=when)


def test_start_explains_what_is_missing_and_may_start_anyway(
    qtbot: QtBot, db: Database, library, monkeypatch
):
    # Given a circle with nobody invited and a stand-in facilitator window
    planner = CirclePlanner(db.sessions, library)
    circle = planner.plan(planner_plan("check_in", "Monday check-in", None))
    opened: list[int] = []
    import sys
    import types

    from PySide6.QtWidgets import QWidget

    class FakeFacilitator(QWidget):
        def __init__(self, database, circle_id, parent=None):
            super().__init__(None)
            opened.append(circle_id)

    fake = types.ModuleType("circlekeeper.ui.live.facilitator")
    fake.FacilitatorWindow = FakeFacilitator  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "circlekeeper.ui.live.facilitator", fake)
    seen: list[str] = []

    def answer(box: QMessageBox) -> int:
        seen.append(box.text())
        box.button_to_click = next(  # type: ignore[attr-defined]
            b for b in box.buttons() if b.text() == "Start anyway"
        )
        return 0

    monkeypatch.setattr(QMessageBox, "exec", lambda box: (answer(box), None)[1])
    monkeypatch.setattr(
        QMessageBox, "clickedButton", lambda box: getattr(box, "button_to_click", None)
    )
    area = CirclesArea(db, library=library)
    qtbot.addWidget(area)
    area.select_circle(circle.id)

    # When Start is pressed
    qtbot.mouseClick(area.start_button, Qt.MouseButton.LeftButton)

    # Then the missing things were explained, and the circle still started
    assert "Nobody has been invited yet." in seen[0]
    assert opened == [circle.id]
    for window in area.windows:
        window.close()

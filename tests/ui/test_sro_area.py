"""The SRO area driven from the keyboard: log an outreach hour, record a training, and only
one's own entries for an officer."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from circlekeeper.core.operations import Context
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.sro.activity import ActivityEntry, SroActivityService
from circlekeeper.core.sro.training import TrainingService
from circlekeeper.core.store.database import Database
from circlekeeper.ui.sro.area import SroArea

from .a11y import unnamed_controls

TODAY = date(2026, 11, 20)
REYES = Viewer("Sam Reyes", "sro")
COUNSELOR = Viewer("Dana Whitfield", "counselor")


def area_for(qtbot: QtBot, db: Database, viewer: Viewer) -> SroArea:
    area = SroArea(db, viewer=viewer, today=lambda: TODAY)
    qtbot.addWidget(area)
    area.resize(1366, 768)
    area.show()
    qtbot.waitExposed(area)
    return area


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def type_into_next(qtbot: QtBot, text: str) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    widget = focused()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def test_an_officer_logs_an_outreach_hour_from_the_keyboard(qtbot: QtBot, db: Database) -> None:
    area = area_for(qtbot, db, REYES)
    page = area.activity
    # Given the form, focus on the type: choose "Parent night" by typing its first letters
    focus(qtbot, page.kind)
    qtbot.keyClicks(page.kind, "Parent")
    assert page.kind.currentData() == "parent_night"
    assert page.role.currentData() == "outreach"
    # When the minutes, place and head count are typed and Ctrl+Enter pressed
    type_into_next(qtbot, "60")
    type_into_next(qtbot, "Library")
    type_into_next(qtbot, "35")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # Then it is saved as the officer's, listed, and the form is ready for the next one
    (row,) = SroActivityService(Context(db.sessions, viewer=REYES)).entries()
    assert (row.activity_type, row.role, row.minutes, row.place, row.attendance, row.on_date) == (
        "parent_night",
        "outreach",
        60,
        "Library",
        35,
        TODAY,
    )
    assert page.table.rowCount() == 1
    assert page.table.item(0, 1).text() == "Parent night"
    assert "Education and outreach: 1.0 h" in page.totals.text()
    assert page.minutes.value() == 0 and focused() is page.kind
    assert "Saved" in page.message.text()


def test_zero_minutes_are_refused_on_screen_and_nothing_is_saved(
    qtbot: QtBot, db: Database
) -> None:
    area = area_for(qtbot, db, REYES)
    page = area.activity
    focus(qtbot, page.kind)
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "at least one minute" in page.message.text()
    assert SroActivityService(Context(db.sessions, viewer=REYES)).entries() == []


def test_an_officer_sees_only_their_own_entries_and_staff_see_all(
    qtbot: QtBot, db: Database
) -> None:
    SroActivityService(
        Context(db.sessions, viewer=Viewer("Lee Ortiz", "sro")), today=lambda: TODAY
    ).log(ActivityEntry("mentoring_session", TODAY, 30))
    SroActivityService(Context(db.sessions, viewer=REYES), today=lambda: TODAY).log(
        ActivityEntry("class_taught", TODAY, 50, attendance=25)
    )
    mine = area_for(qtbot, db, REYES).activity
    assert [mine.table.item(r, 7).text() for r in range(mine.table.rowCount())] == ["Sam Reyes"]
    everyone = area_for(qtbot, db, COUNSELOR).activity
    assert everyone.table.rowCount() == 2
    # A counselor opening an officer's entry is told who may correct it.
    focus(qtbot, everyone.table)
    everyone.table.setCurrentCell(0, 0)
    qtbot.keyClick(everyone.table, Qt.Key.Key_Return)
    assert "only they or an administrator" in everyone.message.text()
    assert everyone.editing is None


def test_an_officer_records_a_training_and_sees_the_hours_still_to_go(
    qtbot: QtBot, db: Database
) -> None:
    area = area_for(qtbot, db, REYES)
    page = area.training
    area.tabs.setCurrentWidget(page)
    assert page.trainee.isReadOnly() and page.trainee.text() == "Sam Reyes"
    assert not page.required.isEnabled()
    focus(qtbot, page.course)
    qtbot.keyClicks(page.course, "Youth mental health first aid")
    type_into_next(qtbot, "")  # category: the first, youth mental health first aid
    type_into_next(qtbot, "7.5")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    (record,) = TrainingService(Context(db.sessions, viewer=REYES)).records()
    assert (record.course, record.category, record.tenths) == (
        "Youth mental health first aid",
        "mental_health_first_aid",
        75,
    )
    assert [page.totals.item(0, c).text() for c in range(4)] == [
        "Sam Reyes",
        "7.5 h",
        "40 h",
        "32.5 h still to go",
    ]
    # A training with no hours: a plain message, nothing saved.
    qtbot.keyClicks(page.course, "De-escalation")
    qtbot.keyClick(page.course, Qt.Key.Key_Return)
    assert "needs its hours" in page.message.text() or "not a number" in page.message.text()
    assert len(TrainingService(Context(db.sessions, viewer=REYES)).records()) == 1


def test_a_counselor_sets_the_required_hours(qtbot: QtBot, db: Database) -> None:
    area = area_for(qtbot, db, COUNSELOR)
    page = area.training
    qtbot.keyClick(area.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert area.tabs.currentWidget() is page
    focus(qtbot, page.required)
    qtbot.keyClick(page.required, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.required, "80")
    qtbot.keyClick(page.required, Qt.Key.Key_Return)
    assert "80 h" in page.message.text()
    from circlekeeper.core.sro.training import required_tenths

    assert required_tenths(db.sessions) == 800


def test_every_control_is_named(qtbot: QtBot, db: Database) -> None:
    area = area_for(qtbot, db, COUNSELOR)
    assert unnamed_controls(area) == []
    area.tabs.setCurrentWidget(area.training)
    assert unnamed_controls(area) == []


def test_the_main_window_shows_the_sro_log_as_the_window_user_sees_it(
    qtbot: QtBot, db_path, home
) -> None:
    from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
    from circlekeeper.core.store.database import open_database
    from circlekeeper.ui.main_window import MainWindow

    # Given an installation without profiles: its user is the facilitator named in Settings
    setup = open_database(db_path)
    SettingsService(setup.sessions).save(
        SchoolSettings(facilitator_name="Dana Whitfield", welcome_done="1")
    )
    SroActivityService(Context(setup.sessions, viewer=REYES)).log(
        ActivityEntry("class_taught", TODAY, 50)
    )
    setup.close()
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.open_database(db_path, interactive=False)
    titles = [window.navigation.item(r).text() for r in range(window.navigation.count())]
    window.show_area(titles.index("SRO log"))
    area = window.sro
    assert isinstance(area, SroArea)
    # Then the counselor sees the officer's entry, and logs under their own name
    assert area.activity.table.rowCount() == 1
    assert area.viewer().name == "Dana Whitfield"
    window.close_database()

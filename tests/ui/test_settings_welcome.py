"""Settings save and reload; the first-run welcome; the main window's areas."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from circlekeeper.core.settings.settings import SettingsService
from circlekeeper.core.store.database import Database
from circlekeeper.ui.last_database import remember_database, remembered_database
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.settings_view import SettingsView
from circlekeeper.ui.welcome import DEMO, EMPTY, WelcomeDialog

from .conftest import activate


def test_settings_save_and_reload(qtbot: QtBot, db: Database, tmp_path: Path):
    view = SettingsView(db)
    qtbot.addWidget(view)
    activate(qtbot, view)
    qtbot.keyClicks(view.school_name, "Lincoln Middle School")
    view.school_address.setPlainText("12 Elm Street\nSpringfield")
    view.logo_path.setText(str(tmp_path / "missing-logo.png"))
    assert "not there" in view.logo_status.text()  # reported, but does not block saving
    qtbot.keyClicks(view.facilitator_name, "Dana Brooks")
    qtbot.keyClick(view.facilitator_name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert view.saved_label.text() == "Saved."

    again = SettingsView(db)
    qtbot.addWidget(again)
    assert again.school_name.text() == "Lincoln Middle School"
    assert again.school_address.toPlainText() == "12 Elm Street\nSpringfield"
    assert again.facilitator_name.text() == "Dana Brooks"
    assert again.logo_path.text().endswith("missing-logo.png")


def test_logo_preview_for_a_real_picture(qtbot: QtBot, db: Database, tmp_path: Path):
    from PySide6.QtGui import QColor, QPixmap

    picture = QPixmap(40, 20)
    picture.fill(QColor("teal"))
    path = tmp_path / "logo.png"
    assert picture.save(str(path))
    view = SettingsView(db)
    qtbot.addWidget(view)
    view.logo_path.setText(str(path))
    assert view.logo_status.text() == "Logo found."
    assert not view.logo_preview.pixmap().isNull()


def test_welcome_empty_database(qtbot: QtBot, db: Database):
    assert SettingsService(db.sessions).load().first_run
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    qtbot.keyClicks(dialog.facilitator_name, "Dana Brooks")
    qtbot.keyClicks(dialog.facilitator_role, "Counselor")
    qtbot.keyClicks(dialog.school_name, "Lincoln Middle")
    assert dialog.empty.isChecked()
    qtbot.keyClick(dialog.school_name, Qt.Key.Key_Return)
    assert dialog.choice == EMPTY
    saved = SettingsService(db.sessions).load()
    assert not saved.first_run
    assert (saved.facilitator_name, saved.facilitator_role, saved.school_name) == (
        "Dana Brooks",
        "Counselor",
        "Lincoln Middle",
    )


def test_welcome_demo_choice(qtbot: QtBot, db: Database):
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.demo.isChecked)
    dialog.accept()
    assert dialog.choice == DEMO


def test_main_window_switches_to_demo_and_remembers(qtbot: QtBot, db_path: Path, home: Path):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(db_path, interactive=False)
    areas = [window.navigation.item(r).text() for r in range(window.navigation.count())]
    assert "People" in areas and "Settings" in areas
    assert areas.index("Settings") > areas.index("People")
    from circlekeeper.core.settings.settings import SchoolSettings

    answers = SchoolSettings(facilitator_name="Dana Brooks", welcome_done="1")
    assert window.start_demo(answers)
    qtbot.waitUntil(lambda: window.database is not None)
    demo_path = db_path.parent / "circlekeeper-demo.sqlite3"
    assert window.database.path == demo_path
    assert remembered_database() == demo_path.resolve()
    assert window.people.model.total > 0
    assert SettingsService(window.database.sessions).load().facilitator_name == "Dana Brooks"
    assert window.navigation.count() == len(areas)
    window.close_database()


def test_remembered_database_ignores_missing_files(home: Path, tmp_path: Path):
    assert remembered_database() is None
    remember_database(tmp_path / "gone.sqlite3")
    assert remembered_database() is None


def test_welcome_answers_keep_the_calendar_setting_of_the_database(qtbot, db_path) -> None:  # type: ignore[no-untyped-def]
    from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
    from circlekeeper.core.store.database import open_database
    from circlekeeper.ui.main_window import MainWindow

    # Given a database whose school turned first names on for the calendar
    db = open_database(db_path)
    try:
        service = SettingsService(db.sessions)
        saved = service.load()
        saved.calendar_first_names = "1"
        service.save(saved)
    finally:
        db.close()

    # When the welcome's answers are written into it
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.switch_database(db_path, SchoolSettings(school_name="Lincoln Middle"))

    # Then the school's choice is kept (answers from the welcome never touch it)
    assert window.database is not None
    settings = SettingsService(window.database.sessions).load()
    assert settings.school_name == "Lincoln Middle" and settings.calendar_names
    window.close_database()

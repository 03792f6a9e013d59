"""Every reachable control on every screen has a name a screen reader can say.

To cover a new screen, add a builder to ``SCREENS`` (or call ``unnamed_controls`` from
``tests/ui/a11y.py`` in the screen's own tests).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from circlekeeper.core.people.people import PeopleService, PersonData
from circlekeeper.core.store.database import Database
from circlekeeper.ui.main_window import MainWindow

from .a11y import unnamed_controls

ROSTER = "Student ID,First Name,Last Name,Grade,Colour\n1,Ana,Núñez,7,blue\n2,Liam,Smith,Q,red\n"


def _person_dialog(db: Database, tmp_path: Path) -> QWidget:
    from circlekeeper.ui.people.dialog import PersonDialog

    service = PeopleService(db.sessions)
    student = service.create(PersonData("Ana", "Núñez", grade="7"))
    guardian = service.create(PersonData("Rosa", "Núñez", kind="guardian"))
    service.link_guardian(student.id, guardian.id, "Mother")
    dialog = PersonDialog(service, student.id)
    dialog.equity_toggle.setChecked(True)  # check the optional fields too
    dialog.birth_known.setChecked(True)
    return dialog


def _guardian_picker(db: Database, tmp_path: Path) -> QWidget:
    from circlekeeper.ui.people.guardian_picker import GuardianPicker

    return GuardianPicker(PeopleService(db.sessions), set())


def _import_dialog(db: Database, tmp_path: Path) -> QWidget:
    from circlekeeper.ui.people.import_dialog import RosterImportDialog

    dialog = RosterImportDialog(db)
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    dialog.load(path)  # with a problem row, so the problem list and skip box show
    return dialog


def _settings(db: Database, tmp_path: Path) -> QWidget:
    from circlekeeper.ui.settings_view import SettingsView

    return SettingsView(db)


def _welcome(db: Database, tmp_path: Path) -> QWidget:
    from circlekeeper.ui.welcome import WelcomeDialog

    return WelcomeDialog(db)


SCREENS: dict[str, Callable[[Database, Path], QWidget]] = {
    "person dialog": _person_dialog,
    "guardian picker": _guardian_picker,
    "roster import dialog": _import_dialog,
    "settings": _settings,
    "welcome": _welcome,
}


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_screen_controls_have_names(qtbot: QtBot, db: Database, tmp_path: Path, screen: str):
    widget = SCREENS[screen](db, tmp_path)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    assert unnamed_controls(widget) == []


def test_main_window_areas_have_names(qtbot: QtBot, db_path: Path):
    # Given the main window on a database with someone in it
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(db_path, interactive=False)
    assert window.database is not None
    PeopleService(window.database.sessions).create(PersonData("Ana", "Núñez"))
    window.people.reload()
    problems: dict[str, list[str]] = {}
    # When each area is shown in turn, then nothing reachable is nameless
    for row in range(window.navigation.count()):
        window.show_area(row)
        qtbot.wait(10)
        found = unnamed_controls(window)
        if found:
            problems[window.navigation.item(row).text()] = found
    window.close_database()
    assert problems == {}

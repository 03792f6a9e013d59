"""The start's order: Today first, then what it does not show, and every area when chosen.

The main window builds only the home screen when the records open; the lock's idle watch,
the fields' rules and the search shortcuts come just after it (``finish_setup``), and every
other area the first time it is chosen. These tests check that what waits still works: each
area opens correctly the first time, by mouse and by keyboard, with the records as they are
now, and nothing the rules would have changed exists before the rules do.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDateTimeEdit
from pytestqt.qtbot import QtBot
from tests.ui.conftest import activate, add_person

from circlekeeper.core.people.people import PeopleService
from circlekeeper.ui import main_window as main_window_module
from circlekeeper.ui.main_window import AreaSlot, MainWindow
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.people.model import PeopleTableModel
from circlekeeper.ui.search.popup import SearchPopup


@pytest.fixture
def window(qtbot: QtBot, db_path: Path) -> Iterator[MainWindow]:
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    assert main.open_database(db_path, interactive=False)
    yield main
    main.close_database()


def _names(window: MainWindow) -> list[str]:
    model = window.people.model
    return [model.index(r, PeopleTableModel.NAME).data() for r in range(model.rowCount())]


def _unbuilt(window: MainWindow) -> list[str]:
    return [
        window.navigation.item(row).text()
        for row, slot in enumerate(window.area_slots())
        if slot.area is None
    ]


def test_only_today_is_built_when_the_records_open(window: MainWindow) -> None:
    titles = [window.navigation.item(r).text() for r in range(window.navigation.count())]
    assert titles[0] == "Today" and window.current_area() is window.today
    # Every other area waits until it is chosen.
    assert _unbuilt(window) == titles[1:]
    # The lock and the search shortcuts are there as soon as the records are.
    assert window.guard is not None and len(window._search_shortcuts) == 2


def test_each_area_opens_when_first_clicked(qtbot: QtBot, window: MainWindow) -> None:
    activate(qtbot, window)
    for row in range(1, window.navigation.count()):
        slot = window.stack.widget(row + 1)
        assert isinstance(slot, AreaSlot) and slot.area is None
        # When its name in the sidebar is clicked
        rect = window.navigation.visualItemRect(window.navigation.item(row))
        qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        # Then it is built, on show and filling the place beside the sidebar
        assert window.navigation.currentRow() == row
        assert slot.area is not None and window.stack.currentWidget() is slot
        assert slot.area.isVisible() and slot.area.width() > 0 and slot.area.height() > 0


def test_an_area_chosen_by_keyboard_shows_what_was_saved_after_opening(
    qtbot: QtBot, window: MainWindow
) -> None:
    # Given a person saved after the records opened, while People was not built yet
    assert window.database is not None
    add_person(PeopleService(context_for(window.database)), "Ana", "Quiroga")
    assert "People" in _unbuilt(window)
    activate(qtbot, window)
    # When Ctrl+3 chooses People
    row = [window.navigation.item(r).text() for r in range(window.navigation.count())].index(
        "People"
    )
    qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + row), Qt.KeyboardModifier.ControlModifier)
    # Then People is built on show, the keyboard is in it, and it lists her
    assert window.current_area() is window.people
    assert window.people.isAncestorOf(QApplication.focusWidget())
    assert "Ana Quiroga" in _names(window)


def test_ctrl_f_in_the_sidebar_reaches_the_people_search_before_people_is_built(
    qtbot: QtBot, window: MainWindow
) -> None:
    activate(qtbot, window)
    window.navigation.setFocus()
    assert "People" in _unbuilt(window)
    qtbot.keyClick(window.navigation, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() is window.people
    assert QApplication.focusWidget() is window.people.search


def test_ctrl_k_opens_a_person_in_people_not_built_yet(qtbot: QtBot, window: MainWindow) -> None:
    assert window.database is not None
    person = add_person(PeopleService(context_for(window.database)), "Rosa", "Delgado")
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = window.search_popup
    assert isinstance(popup, SearchPopup) and popup.isVisible()
    popup.field.setText("delgado")
    popup.run_search()
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    assert window.current_area() is window.people
    page = window.people.story_page
    assert page.person_id == person and page.title.text() == "Rosa Delgado"


def test_ctrl_l_locks_once_the_records_are_open(qtbot: QtBot, window: MainWindow) -> None:
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.guard is not None and window.guard.locked
    assert window.guard.unlock("")  # no passphrase and no profile PIN: Unlock opens


def test_no_drop_down_or_date_field_exists_before_the_fields_rules(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rules (style.py: _EveryField) come after Today is built; a list or a date field
    # built before them (on Today, or in a dialog of the opening) would miss them.
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    seen: list[str] = []
    real = main_window_module.watch_every_field

    def watching(app: QApplication) -> None:
        fields = [*main.findChildren(QComboBox), *main.findChildren(QDateTimeEdit)]
        seen.extend(f"{type(f).__name__} {f.accessibleName()!r}" for f in fields)
        real(app)

    monkeypatch.setattr(main_window_module, "watch_every_field", watching)
    assert main.open_database(db_path, interactive=False)
    assert main.guard is not None  # the rules were installed at this opening
    assert seen == [], "build these after finish_setup, or set their rule yourself"
    main.close_database()

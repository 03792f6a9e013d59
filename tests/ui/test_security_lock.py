"""The app lock: content hidden (not closed) until the passphrase is given."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from tests.ui.a11y import unnamed_controls
from tests.ui.conftest import activate

from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.store.database import open_database
from circlekeeper.ui.main_window import MainWindow
from circlekeeper.ui.security.guard import LockCover

PASSPHRASE = "lock me away please"


@pytest.fixture
def window(qtbot, home: Path) -> Iterator[MainWindow]:
    path = home / "locked.sqlite3"
    db = open_database(path, passphrase=PASSPHRASE)
    SettingsService(db.sessions).save(SchoolSettings(welcome_done="1"))
    db.close()
    main = MainWindow()
    qtbot.addWidget(main)
    assert main.switch_database(path, passphrase=PASSPHRASE)
    yield main
    main.close_database()


def _second_window(qtbot) -> tuple[QWidget, QLineEdit]:
    """A stand-in for the facilitator window: a separate window holding typed state."""
    other = QWidget(None, Qt.WindowType.Window)
    other.setWindowTitle("Circle in progress")
    qtbot.addWidget(other)
    typed = QLineEdit("half-typed note", other)
    typed.setAccessibleName("Note")
    QVBoxLayout(other).addWidget(typed)
    other.show()
    return other, typed


def test_lock_hides_every_window_and_only_the_passphrase_unlocks(qtbot, window) -> None:
    activate(qtbot, window)
    other, typed = _second_window(qtbot)
    central = window.centralWidget()
    window.guard.lock()
    assert window.guard.locked
    assert not central.isVisible() and not typed.isVisible()
    covers = window.findChildren(LockCover)
    assert len(covers) == 1 and covers[0].isVisible()
    assert covers[0].field is not None  # the encrypted database asks for its passphrase
    assert unnamed_controls(covers[0]) == []
    assert "locked" in window.windowTitle() and "locked" in other.windowTitle()
    assert other.findChildren(LockCover)[0].isVisible()

    covers[0].field.setText("wrong guess")
    covers[0].unlock_button.click()  # type: ignore[union-attr]
    assert window.guard.locked and not central.isVisible()
    assert "not right" in covers[0].message.text()  # type: ignore[union-attr]

    covers[0].field.setText(PASSPHRASE)
    covers[0].unlock_button.click()  # type: ignore[union-attr]
    assert not window.guard.locked
    assert central.isVisible() and typed.isVisible()
    assert typed.text() == "half-typed note"  # the circle's state was kept, only covered
    assert other.windowTitle() == "Circle in progress"


def test_ctrl_l_locks_and_idle_time_locks(qtbot, window) -> None:
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.guard.locked
    assert window.guard.unlock(PASSPHRASE)
    window.guard.idle.setInterval(50)  # as if the setting were a few milliseconds
    window.guard.idle.start()
    qtbot.waitUntil(lambda: window.guard.locked, timeout=2000)
    assert window.guard.unlock(PASSPHRASE)


def test_protection_setting_sets_the_idle_time(qtbot, window) -> None:
    section = window.settings_view.protection
    section.lock_after.setValue(3)
    section.save_lock()
    assert window.guard.idle_minutes == 3
    assert window.guard.idle.interval() == 3 * 60 * 1000

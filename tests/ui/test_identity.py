"""Every window carries the program's icon, and the desktop can match it to its menu entry."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from circlekeeper.ui.identity import APP_ID, ICON_SIZES, app_icon, apply_identity
from circlekeeper.ui.main_window import MainWindow


def test_the_icon_ships_at_every_size():
    icon = app_icon()
    assert not icon.isNull()
    assert {size.width() for size in icon.availableSizes()} == set(ICON_SIZES)
    assert icon.pixmap(QSize(48, 48)).width() == 48


def test_windows_get_the_icon_and_the_desktop_entry_name(qtbot: QtBot, qapp: QApplication):
    # Given the application named as run_app names it
    before = (qapp.windowIcon(), qapp.desktopFileName())
    apply_identity(qapp)
    try:
        # Then a window shows the icon, and Wayland desktops find the entry
        window = MainWindow()
        qtbot.addWidget(window)
        assert window.windowIcon().cacheKey() == qapp.windowIcon().cacheKey()
        assert not window.windowIcon().isNull()
        assert qapp.desktopFileName() == APP_ID
    finally:
        qapp.setWindowIcon(before[0])
        qapp.setDesktopFileName(before[1])

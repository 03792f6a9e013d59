"""Windows that reopen the size and place the person left them at, splitters included.

A counselor who widens the circle plan on a projector laptop should find it that wide the
next time. Each remembered window and splitter has a name; their state goes to
``windows.ini`` (a QSettings file) in the data folder, so it follows ``CIRCLEKEEPER_HOME`` like
everything else the program keeps, and holds no record: only sizes and positions.

One call per window (after its ``default_size``, which keeps it inside the screen) and one
per splitter: ``remember_geometry(self, "circle-plan")``, ``remember_splitter(splitter,
"scripts")``.
Qt puts a window that was left on a screen no longer plugged in back on one that is.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from circlekeeper.core.files import private_file, private_folder
from circlekeeper.core.paths import data_home

FILENAME = "windows.ini"


def window_settings() -> QSettings:
    """The QSettings file holding every remembered window and splitter."""
    folder = private_folder(data_home())
    return QSettings(str(folder / FILENAME), QSettings.Format.IniFormat)


def _load(key: str) -> QByteArray | None:
    value = window_settings().value(key)
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    return None


def _store(values: dict[str, QByteArray]) -> None:
    settings = window_settings()
    for key, value in values.items():
        settings.setValue(key, value)
    settings.sync()
    private_file(data_home() / FILENAME)


class _SavesWhenHidden(QObject):
    """Saves a widget's state whenever it is hidden (closed, done, or its page left)."""

    def __init__(self, widget: QWidget, save: Callable[[], None]) -> None:
        super().__init__(widget)
        self._save = save
        widget.installEventFilter(self)
        _WATCHING.append(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide:
            self._save()
        return False


_WATCHING: list[_SavesWhenHidden] = []


@atexit.register
def _stop_watching() -> None:
    """Let go of windows still open when Python exits: Qt hides them while tearing them
    down, and a Python filter called then would crash the exit."""
    for keeper in _WATCHING:
        try:
            widget = keeper.parent()
            if isinstance(widget, QWidget):
                widget.removeEventFilter(keeper)
        except RuntimeError:  # the window is already gone
            continue
    _WATCHING.clear()


# Room left for the window's title bar and frame, which the window manager adds outside.
FRAME_ROOM = 40


def default_size(window: QWidget, width: int, height: int) -> None:
    """Open ``window`` at ``width`` x ``height``, or smaller so it fits the screen's free area.

    A school laptop's 1366x768 screen (less its taskbar) is smaller than the size some windows
    would like; opened larger, their bottom buttons sit below the screen's edge.
    """
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width())
        height = min(height, room.height() - FRAME_ROOM)
    window.resize(width, height)


def remember_geometry(window: QWidget, name: str) -> None:
    """Give ``window`` the size and place it had when last closed, and keep them next time."""
    geometry = _load(f"{name}/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    if isinstance(window, QMainWindow):
        state = _load(f"{name}/state")
        if state is not None:
            window.restoreState(state)

    def save() -> None:
        values = {f"{name}/geometry": window.saveGeometry()}
        if isinstance(window, QMainWindow):
            values[f"{name}/state"] = window.saveState()
        _store(values)

    _SavesWhenHidden(window, save)


def remember_splitter(splitter: QSplitter, name: str) -> None:
    """Give ``splitter`` the sizes it was last left at, and keep them next time."""
    state = _load(f"splitters/{name}")
    if state is not None:
        splitter.restoreState(state)

    def save() -> None:
        _store({f"splitters/{name}": splitter.saveState()})

    _SavesWhenHidden(splitter, save)

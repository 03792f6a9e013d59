"""Every window fits a school laptop's 1366x768 screen, in English, at the size it opens at.

For each screen of ``screens.py``: the window (with room for its title bar) lies inside the
screen; its minimum size fits the screen (so no layout forces it past the edge); a window's
own buttons are inside it; nothing needs scrolling sideways (a long page may scroll down, and
a dialog's push buttons stay in sight); and no label or button is cut off (its text needs no
more room than it was given).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from circlekeeper.ui.geometry import FRAME_ROOM

from .screens import (
    SCREEN_SIZE,
    SCREENS,
    build_demo_template,
    clipped_controls,
    demo_copy,
    open_screens,
)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_template(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo(demo_template: Path, home: Path) -> Path:
    return demo_copy(demo_template, home)


def _scroll_parent(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _named(control: QWidget) -> str:
    text = control.text() if isinstance(control, QAbstractButton) else control.accessibleName()
    return f"{type(control).__name__} {text!r}"


def buttons_out_of_sight(window: QWidget) -> list[str]:
    """Visible buttons a person cannot see without moving the window or scrolling sideways.

    A long page of the main window (Settings, a case's page) may scroll down; nothing scrolls
    sideways, and a window of its own (a dialog: one task, such as building an agreement or
    planning a circle) has every push button in sight (a long list in it, such as the signers,
    may scroll).
    """
    out = []
    whole = window.rect()
    controls = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QComboBox | QAbstractSpinBox | QLineEdit)
    ]
    for button in controls:
        if not button.isVisible() or button.window() is not window:
            continue
        if isinstance(button, QAbstractButton) and not button.text():
            continue
        if not isinstance(button.parentWidget(), QWidget) or isinstance(
            button.parentWidget(), QAbstractSpinBox | QComboBox
        ):
            continue
        place = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        scroll = _scroll_parent(button)
        if scroll is None:
            if not whole.contains(place):
                out.append(
                    f"button {button.text()!r} outside the window ({place.x()}, "
                    f"{place.y()}; the window is {whole.width()}x{whole.height()})"
                )
            continue
        view = scroll.viewport()
        seen = QRect(view.mapTo(window, QPoint(0, 0)), view.size())
        if place.left() < seen.left() - 1 or place.right() > seen.right() + 1:
            out.append(f"{_named(button)} past the right edge of its page")
        elif isinstance(window, QDialog) and isinstance(button, QPushButton):
            if seen.contains(place):
                continue
            out.append(f"{_named(button)} below the fold of the window")
    return out


def test_every_window_fits_a_school_laptop(qtbot: QtBot, demo: Path, qapp: QApplication) -> None:
    screen = qapp.primaryScreen().availableGeometry()
    # The tests' screen is the laptop's (tests/conftest.py), or this test says nothing.
    assert (screen.width(), screen.height()) == SCREEN_SIZE
    problems: list[str] = []
    seen: list[str] = []
    for name, window in open_screens(qtbot, demo):
        seen.append(name)
        frame = QRect(window.geometry())
        frame.setTop(frame.top() - FRAME_ROOM // 2)
        if frame.width() > screen.width() or frame.height() > screen.height():
            problems.append(f"{name}: opens at {window.width()}x{window.height()}")
        least = window.minimumSizeHint().expandedTo(window.minimumSize())
        if least.width() > screen.width() or least.height() > screen.height() - FRAME_ROOM:
            problems.append(f"{name}: cannot be smaller than {least.width()}x{least.height()}")
        problems += [f"{name} · {p}" for p in buttons_out_of_sight(window)]
        problems += [f"{name} · {p}" for p in clipped_controls(window)]
    assert tuple(seen) == SCREENS
    assert not problems, "Does not fit 1366x768:\n" + "\n".join(problems)

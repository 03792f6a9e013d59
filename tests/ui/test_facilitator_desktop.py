"""The facilitator's keyboard on a real desktop: the projector never takes it, Esc never ends
a circle, and closing the window by hand says the circle is only paused."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.domain.enums import CircleStatus
from circlekeeper.core.store.database import Database
from circlekeeper.ui.live.dialogs import ConfirmEndDialog

from .test_facilitator_helpers import harm_circle, open_window, press, to_first_round

Key = Qt.Key
SHOW = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_the_projector_never_takes_the_keyboard(qtbot: QtBot, db: Database) -> None:
    # Given a circle on its first round, with the projector opened from the keyboard
    cid, ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    to_first_round(qtbot, window)
    press(qtbot, window, Key.Key_P, SHOW)
    projector = window.projector
    qtbot.waitExposed(projector)
    # Then the projector cannot be focused, and the keeper's window keeps the keyboard
    assert projector.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert projector.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert projector.focusPolicy() == Qt.FocusPolicy.NoFocus
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    # When a projector is plugged in mid-circle, the keyboard comes back to the keeper
    projector._screens_changed(QGuiApplication.primaryScreen())
    qtbot.wait(50)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    speaker = window.state.speaker  # type: ignore[union-attr]
    press(qtbot, window, Key.Key_Space)
    assert window.state.speaker != speaker  # type: ignore[union-attr]
    assert ids


def test_esc_leaves_full_screen_and_never_ends_the_circle(qtbot: QtBot, db: Database) -> None:
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    press(qtbot, window, Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    press(qtbot, window, Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    press(qtbot, window, Key.Key_Escape)
    assert window.dialog is None and window.summary is None
    # Ctrl+W asks; Esc and then Return from the dialog both keep the circle going
    for key in (Key.Key_Escape, Key.Key_Return):
        press(qtbot, window, Key.Key_W, Qt.KeyboardModifier.ControlModifier)
        dialog = window.dialog
        assert isinstance(dialog, ConfirmEndDialog)
        assert dialog.keep_button.isDefault() and not dialog.end_button.isDefault()
        qtbot.keyClick(dialog, key)
        qtbot.waitUntil(lambda: window.dialog is None)
    assert window.summary is None
    assert CirclePlanner(db.sessions).detail(cid).status == CircleStatus.IN_PROGRESS


class _TitleBarClose:
    """A close request as the window manager makes it (the title bar's close button)."""

    def __init__(self) -> None:
        self.ignored = False

    def spontaneous(self) -> bool:
        return True

    def ignore(self) -> None:
        self.ignored = True


def test_closing_from_the_title_bar_says_the_circle_is_only_paused(
    qtbot: QtBot, db: Database
) -> None:
    cid, _ids = harm_circle(db)
    window = open_window(qtbot, db, cid)
    seen: list[str] = []

    def answer_keep_going() -> None:
        box = window.close_box
        assert box is not None
        seen.append(box.text())
        box.defaultButton().click()

    QTimer.singleShot(0, answer_keep_going)
    event = _TitleBarClose()
    window.closeEvent(event)  # type: ignore[arg-type]
    assert event.ignored and window.isVisible()
    assert seen and "has not ended" in seen[0] and "resume" in seen[0]
    assert CirclePlanner(db.sessions).detail(cid).status == CircleStatus.IN_PROGRESS

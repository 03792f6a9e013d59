"""Answering the dialog that asks a counselor's or administrator's PIN, from a test."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from circlekeeper.ui.profile_approval import ApprovalDialog


def approval_dialog() -> ApprovalDialog | None:
    """The approval dialog on screen, if one is."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ApprovalDialog) and widget.isVisible():
            return widget
    return None


def approve_when_asked(
    qtbot: QtBot, name: str, pin: str, *, then_cancel: bool = False
) -> list[str]:
    """When the approval dialog opens next, choose ``name``, type ``pin`` and approve.

    Returns a list that gets the dialog's message after the try (a wrong PIN leaves it open;
    with ``then_cancel`` it is then cancelled, as a person would).
    """
    messages: list[str] = []
    waits = iter(range(500))  # gives up after about five seconds without a dialog

    def answer() -> None:
        dialog = approval_dialog()
        if dialog is None:
            if next(waits, None) is not None:
                QTimer.singleShot(10, answer)
            return
        dialog.who.setCurrentIndex(dialog.who.findText(name))
        dialog.pin.setText(pin)
        dialog.accept()
        if dialog.isVisible():
            messages.append(dialog.message.text())
            if then_cancel:
                dialog.reject()

    QTimer.singleShot(0, answer)
    return messages

"""What the app does with an error nobody planned for: log it privately, say so calmly, go on.

A slot that raises (in any window, on any thread) must not end the program in the middle of a
circle. The traceback goes to the private log (``core/logs.py`` scrubs record content out of
it); the person sees a short message in plain words, once, not a traceback. The project's own
problems (plain words already) are shown as they are.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

log = logging.getLogger("circlekeeper.unexpected")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class _Notice(QObject):
    """Carries the message to the UI thread, and shows one box at a time."""

    say = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.box: QMessageBox | None = None
        self.shown: list[str] = []  # what was said (read by tests and the self-test)
        self.say.connect(self.show)

    def show(self, text: str) -> None:
        self.shown.append(text)
        if self.box is not None and self.box.isVisible():
            return  # one calm message is enough; the log has every detail
        parent = QApplication.activeWindow()
        box = QMessageBox(parent if isinstance(parent, QWidget) else None)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(box.tr("Something went wrong"))
        box.setAccessibleName(box.tr("Something went wrong"))
        box.setText(text)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.button(QMessageBox.StandardButton.Ok).setAccessibleName(box.tr("OK"))
        self.box = box
        box.open()  # not modal to the whole app: a circle on screen goes on


def _words(error: BaseException) -> str:
    from circlekeeper.core.problems import InvalidInput, NotFound, NotPermitted, TryLater
    from circlekeeper.core.store.problems import DatabaseProblem

    if isinstance(error, (InvalidInput, NotFound, NotPermitted, TryLater, DatabaseProblem)):
        return str(error)
    return QApplication.translate(
        "unexpected",
        "Something went wrong in circlekeeper. Nothing saved was lost: every change is "
        "stored the moment it is made, and you can carry on. If it happens again, restart "
        "circlekeeper. The details are in the log (the logs folder in the data folder).",
    )


class ErrorHooks:
    """``sys.excepthook`` and ``threading.excepthook`` for the GUI; ``uninstall`` restores."""

    def __init__(self) -> None:
        self.notice = _Notice()
        self._previous: tuple[ExceptHook, Callable[..., object]] | None = None

    def install(self) -> ErrorHooks:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self.handle_thread
        return self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def handle(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        log.error("An unexpected error (the app went on)", exc_info=(kind, error, trace))
        # Emitted from whichever thread failed; Qt queues it to the UI thread.
        self.notice.say.emit(_words(error))

    def handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)


def install_error_hooks() -> ErrorHooks:
    """Install the GUI's hooks (call once a QApplication exists)."""
    return ErrorHooks().install()

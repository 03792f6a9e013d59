"""The app lock (after an idle time and on Ctrl+L) and the backups made while the app runs.

The lock covers every open circlekeeper window (the main window, a facilitator or projector
window, an open dialog): their content is hidden, not closed, so a circle in progress keeps its
state underneath, and comes back when the passphrase is given (or, for an unencrypted
database, the current profile's PIN, or when it has none, when Unlock is pressed; a passphrase
can be set in Settings → Protection).

Backups while the app runs: :func:`maybe_backup` is checked on a timer every few minutes rather
than after each save. Saves happen in dozens of places across the areas; a timer catches them
all without touching each one, its check is a single indexed query, and the database itself is
durable after every commit (backups guard against damage, not against a crash), so a copy a few
minutes later loses nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.store.problems import DamagedDatabase, DatabaseProblem
from circlekeeper.ui.background import BackgroundTask

if TYPE_CHECKING:  # the main window builds a Guard before its first paint: no SQLAlchemy yet
    from circlekeeper.core.store.database import Database
from circlekeeper.ui.style import heading, note

log = logging.getLogger(__name__)

DEFAULT_LOCK_MINUTES = 10  # as in core.settings.settings, which is not imported before first paint
BACKUP_CHECK_MS = 3 * 60 * 1000
INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


def lock_minutes(database: Database) -> int:
    """Minutes of no typing or mouse before the app locks; 0 means never."""
    from circlekeeper.core.settings import settings
    from circlekeeper.ui.operations import context_for

    return settings.lock_minutes(context_for(database))


def set_lock_minutes(database: Database, minutes: int) -> None:
    from circlekeeper.core.settings import settings
    from circlekeeper.ui.operations import context_for

    settings.set_lock_minutes(context_for(database), minutes)


class LockCover(QWidget):
    """What a locked window shows instead of its content."""

    def __init__(self, guard: Guard, window: QWidget, *, audience: bool) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setAccessibleName(self.tr("circlekeeper is locked"))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = heading(self.tr("circlekeeper is locked"), self)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.field: QLineEdit | None = None
        self.pin = False
        self.message: QLabel | None = None
        self.unlock_button: QPushButton | None = None
        if audience:
            # A projector faces the room: no passphrase is typed where everyone can see it.
            layout.addWidget(self._centred(self.tr("Paused for a moment.")))
        else:
            encrypted = guard.needs_passphrase()
            self.pin = not encrypted and guard.needs_pin()
            layout.addWidget(
                self._centred(
                    self.tr("The records are hidden. Type the passphrase to go on.")
                    if encrypted
                    else self.tr("The records are hidden. Type your PIN to go on.")
                    if self.pin
                    else self.tr(
                        "The records are hidden. No passphrase is set for this database, "
                        "so Unlock opens it; set one in Settings → Protection."
                    )
                )
            )
            row = QHBoxLayout()
            row.addStretch(1)
            if encrypted or self.pin:
                self.field = QLineEdit(self)
                self.field.setEchoMode(QLineEdit.EchoMode.Password)
                if self.pin:
                    self.field.setAccessibleName(self.tr("PIN to unlock"))
                    self.field.setPlaceholderText(self.tr("PIN"))
                else:
                    self.field.setAccessibleName(self.tr("Passphrase to unlock"))
                    self.field.setPlaceholderText(self.tr("Passphrase"))
                self.field.setMinimumWidth(320)
                self.field.returnPressed.connect(self._unlock)
                row.addWidget(self.field)
            self.unlock_button = QPushButton(self.tr("&Unlock"), self)
            self.unlock_button.setAccessibleName(self.tr("Unlock"))
            self.unlock_button.setAutoDefault(True)
            self.unlock_button.clicked.connect(self._unlock)
            row.addWidget(self.unlock_button)
            row.addStretch(1)
            layout.addLayout(row)
            self.message = QLabel(self)
            self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.message.setAccessibleName(self.tr("Unlock message"))
            self.message.setStyleSheet("QLabel { color: #a4262c; font-weight: bold; }")
            layout.addWidget(self.message)
        layout.addStretch(2)
        self._guard = guard
        self.setGeometry(window.rect())

    def _centred(self, text: str) -> QLabel:
        label = note(text, self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _unlock(self) -> None:
        from circlekeeper.core.problems import TryLater

        secret = self.field.text() if self.field is not None else ""
        try:
            unlocked = self._guard.unlock(secret)
            wait = ""
        except TryLater as problem:  # several wrong PINs in a row: the next try must wait
            unlocked, wait = False, str(problem)
        if not unlocked and self.message is not None:
            self.message.setText(
                wait
                or (
                    self.tr("That PIN is not right. Try again.")
                    if self.pin
                    else self.tr(
                        "That passphrase is not right. Check the Caps Lock key and try again."
                    )
                )
            )
            if self.field is not None:
                self.field.selectAll()
                self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_entry(self) -> None:
        target = self.field or self.unlock_button
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)


class Guard(QObject):
    """Owns the lock and the backup timers of one main window."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.locked = False
        self._covered: list[tuple[QWidget, LockCover, list[QWidget], str]] = []
        self._focus: QWidget | None = None
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.lock)
        self.set_idle_minutes(DEFAULT_LOCK_MINUTES)
        shortcut = QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_L), window)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(self.lock)
        self.shortcut = shortcut
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.check_backup)
        self.backup_timer.start()
        self._backup_task: BackgroundTask | None = None
        self.last_backup_problem = ""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- idle time ---------------------------------------------------------------------------

    def set_idle_minutes(self, minutes: int) -> None:
        self.idle_minutes = max(0, minutes)
        if self.idle_minutes:
            self.idle.setInterval(self.idle_minutes * 60 * 1000)
            if not self.locked:
                self.idle.start()
        else:
            self.idle.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in INPUT_EVENTS and not self.locked and self.idle_minutes:
            self.idle.start()
        elif kind == QEvent.Type.Resize:
            for window, cover, _hidden, _title in self._covered:
                if watched is window:
                    cover.setGeometry(window.rect())
        return False

    # -- locking -----------------------------------------------------------------------------

    def needs_passphrase(self) -> bool:
        database = getattr(self.window, "database", None)
        return database is not None and bool(database.encrypted)

    def needs_pin(self) -> bool:
        """Whether the current profile's PIN unlocks (a database without a passphrase)."""
        database = getattr(self.window, "database", None)
        profile_id = getattr(self.window, "profile_id", None)
        if database is None or database.encrypted or profile_id is None:
            return False
        from circlekeeper.core.problems import NotFound
        from circlekeeper.core.profiles.profiles import ProfileService
        from circlekeeper.ui.operations import context_for

        try:
            return ProfileService(context_for(database)).get(profile_id).has_pin
        except NotFound:
            return False

    def _windows(self) -> list[QWidget]:
        found = []
        for widget in QApplication.topLevelWidgets():
            if not widget.isVisible() or widget is self.window:
                continue
            if widget.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                widget.hide()  # a menu or search popup: simply closed
                continue
            found.append(widget)
        return [self.window, *found]

    def lock(self) -> None:
        """Hide every window's content behind a lock cover (nothing is closed)."""
        if self.locked or self.window.centralWidget() is None:
            return
        self.locked = True
        self.idle.stop()
        self._focus = QApplication.focusWidget()
        for window in self._windows():
            audience = window.objectName() == "projector"
            hidden = [
                child
                for child in window.findChildren(
                    QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
                )
                if child.isVisible() and not child.isWindow()
            ]
            for child in hidden:
                child.hide()
            cover = LockCover(self, window, audience=audience)
            cover.show()
            cover.raise_()
            title = window.windowTitle()
            window.setWindowTitle(self.tr("circlekeeper — locked"))
            window.installEventFilter(self)
            self._covered.append((window, cover, hidden, title))
        if QApplication.platformName() != "offscreen":  # offscreen cannot raise windows
            self.window.raise_()
        self.window.activateWindow()
        for window, cover, _hidden, _title in self._covered:
            if window is self.window or isinstance(window, QDialog):
                cover.focus_entry()

    def check_secret(self, secret: str) -> bool:
        database = getattr(self.window, "database", None)
        if database is None:
            return True
        if not database.encrypted:
            if not self.needs_pin():
                return True
            from circlekeeper.core.profiles.profiles import ProfileService
            from circlekeeper.ui.operations import context_for

            profile_id = getattr(self.window, "profile_id", None)
            return isinstance(profile_id, int) and ProfileService(context_for(database)).verify_pin(
                profile_id, secret
            )
        try:
            from circlekeeper.core.store import crypto

            return bool(crypto.key_for(database.path, secret) == database.key)
        except DatabaseProblem:
            return False

    def unlock(self, secret: str) -> bool:
        """Show the windows again if ``secret`` is right; False (still locked) otherwise."""
        if not self.locked:
            return True
        if not self.check_secret(secret):
            return False
        covered, self._covered = self._covered, []
        for window, cover, hidden, title in covered:
            window.removeEventFilter(self)
            cover.hide()
            cover.deleteLater()
            for child in hidden:
                child.show()
            window.setWindowTitle(title)
        self.locked = False
        if self._focus is not None:
            self._focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus = None
        if self.idle_minutes:
            self.idle.start()
        return True

    # -- backups while running ---------------------------------------------------------------

    def backup_at_start(self) -> BackgroundTask | None:
        """Back up once a day at start, off the UI thread (call once the data is ready)."""
        from circlekeeper.core.store.backups import backup_at_start

        return self._backup(backup_at_start)

    def check_backup(self) -> BackgroundTask | None:
        """Copy the database when enough has changed since the last copy (off the UI thread)."""
        from circlekeeper.core.store.backups import maybe_backup

        return self._backup(maybe_backup)

    def _backup(self, work: object) -> BackgroundTask | None:
        database = getattr(self.window, "database", None)
        if database is None or self._backup_task is not None:
            return None
        run = work

        def job(_progress: object, _cancelled: object) -> object:
            return run(database)  # type: ignore[operator]

        task = BackgroundTask(job, self)
        task.failed.connect(self._backup_failed)
        task.finished.connect(self._backup_done)
        self._backup_task = task
        task.start()
        return task

    def wait_for_backup(self) -> None:
        """Wait for a backup being made (before the file is closed or changed)."""
        while self._backup_task is not None:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def _backup_done(self) -> None:
        self._backup_task = None

    def _backup_failed(self, error: object) -> None:
        if isinstance(error, DamagedDatabase) and error.moved_to is None:
            # The page check found damage: nothing was written; offer what opening offers.
            window = self.window
            QTimer.singleShot(0, lambda: window.damaged_while_open(error))  # type: ignore[attr-defined]
            return
        text = (
            str(error)
            if isinstance(error, DatabaseProblem)
            else self.tr(
                "A backup copy could not be made just now. Your records are safe; it will be "
                "tried again."
            )
        )
        self.last_backup_problem = text
        self.window.statusBar().showMessage(text, 15000)

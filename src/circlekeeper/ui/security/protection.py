"""Settings → Protection: encryption, backups and restore, retention, and the app lock."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.retention.retention import retention_years, set_retention_years
from circlekeeper.core.store import crypto
from circlekeeper.core.store.backups import (
    BackupInfo,
    list_backups,
    make_backup,
    restore_backup,
    verify_backup,
)
from circlekeeper.core.store.database import Database, is_encrypted
from circlekeeper.core.store.encryption import (
    change_passphrase,
    decrypt_database,
    encrypt_database,
)
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.locale import datetime_text
from circlekeeper.ui.looking import screen_context
from circlekeeper.ui.security.guard import lock_minutes, set_lock_minutes
from circlekeeper.ui.security.operations import change_file, run_busy, tell
from circlekeeper.ui.security.passphrase import NewPassphraseDialog
from circlekeeper.ui.security.retention import RetentionDialog
from circlekeeper.ui.style import heading, note

log = logging.getLogger(__name__)


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(1, size // 1000)} kB"


class ProtectionSection(QWidget):
    """The Protection part of Settings. Acts on the main window it sits in (``window()``)."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.setAccessibleName(self.tr("Protection"))

        # Encryption
        self.encryption_status = QLabel(self)
        self.encryption_status.setWordWrap(True)
        self.encryption_status.setAccessibleName(self.tr("Encryption status"))
        self.encrypt_button = self._button("", self.toggle_encryption)
        self.passphrase_button = self._button(
            self.tr("C&hange passphrase…"), self.change_passphrase
        )

        # Backups
        self.backups = QListWidget(self)
        self.backups.setAccessibleName(self.tr("Backups, newest first"))
        self.backups.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 12)
        self.backup_now = self._button(self.tr("&Back up now"), self.back_up_now)
        self.restore_button = self._button(self.tr("Restore…"), self.restore_selected)
        self.backups.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.backup_status = QLabel(self)
        self.backup_status.setWordWrap(True)
        self.backup_status.setAccessibleName(self.tr("Backup status"))

        # Retention
        self.years = QSpinBox(self)
        self.years.setRange(0, 99)
        self.years.setSpecialValueText(self.tr("No rule (keep everything)"))
        self.years.setSuffix(self.tr(" years after closing"))
        self.years.setAccessibleName(self.tr("Keep closed cases for this many years"))
        self.save_years = self._button(self.tr("Save &rule"), self.save_retention)
        self.preview_button = self._button(self.tr("Prev&iew…"), self.preview)

        # Lock
        self.lock_after = QSpinBox(self)
        self.lock_after.setRange(0, 240)
        self.lock_after.setSpecialValueText(self.tr("Never"))
        self.lock_after.setSuffix(self.tr(" minutes without use"))
        self.lock_after.setAccessibleName(self.tr("Lock after this many minutes without use"))
        self.lock_after.editingFinished.connect(self.save_lock)
        self.lock_now = self._button(self.tr("Lock no&w (Ctrl+L)"), self._lock)

        box = QGroupBox(self)
        form = QFormLayout(box)
        form.setVerticalSpacing(10)
        form.addRow(
            note(
                self.tr(
                    "These records are about children. Protect them if this laptop is left in "
                    "a classroom or lost."
                ),
                box,
            )
        )
        form.addRow(self._label(self.tr("Encryption"), self.encrypt_button), self.encryption_status)
        form.addRow("", self._row(self.encrypt_button, self.passphrase_button))
        form.addRow(self._label(self.tr("Backups"), self.backups), self.backups)
        form.addRow("", self._row(self.backup_now, self.restore_button))
        form.addRow("", self.backup_status)
        form.addRow(self._label(self.tr("Re&tention"), self.years), self.years)
        form.addRow("", self._row(self.save_years, self.preview_button))
        form.addRow(self._label(self.tr("Loc&k"), self.lock_after), self.lock_after)
        form.addRow("", self._row(self.lock_now))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(self.tr("Protection"), self, level=2))
        layout.addWidget(box)
        self.load()

    # -- building ----------------------------------------------------------------------------

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.replace("&", "").replace("…", ""))
        button.clicked.connect(slot)
        return button

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _row(self, *widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        for widget in widgets:
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def host(self) -> Any:
        """The main window (it closes, changes and reopens the database)."""
        return self.window()

    def load(self) -> None:
        encrypted = self.database.encrypted
        self.encryption_status.setText(
            self.tr("On: the file can only be read with the passphrase. Backups are encrypted too.")
            if encrypted
            else self.tr(
                "Off: anyone who copies the file can read the records. Turn it on to require a "
                "passphrase."
            )
        )
        text = self.tr("Turn encryption &off…") if encrypted else self.tr("Turn encryption &on…")
        self.encrypt_button.setText(text)
        self.encrypt_button.setAccessibleName(text.replace("&", "").replace("…", ""))
        self.passphrase_button.setEnabled(encrypted)
        on_server = self.database.path is None
        if on_server:
            # The server's disk encryption and pg_dump are IT's: nothing here to turn on.
            self.encryption_status.setText(
                self.tr(
                    "These records are on the district's server. Its disk encryption and "
                    "sign-ins are managed by IT."
                )
            )
        for control in (self.encrypt_button, self.passphrase_button, self.backups):
            control.setVisible(not on_server)
        for control in (self.backup_now, self.restore_button):
            control.setVisible(not on_server)
        self.fill_backups()
        try:
            self.years.setValue(retention_years(screen_context(self.database)) or 0)
            self.lock_after.setValue(lock_minutes(self.database))
        except DatabaseProblem:
            log.exception("Reading the protection settings failed")
        guard = getattr(self.host(), "guard", None)
        if guard is not None:
            guard.set_idle_minutes(self.lock_after.value())

    def fill_backups(self) -> None:
        self.backups.clear()
        self._backup_list: list[BackupInfo] = (
            list_backups(self.database.path) if self.database.path is not None else []
        )
        reasons = {
            "manual": self.tr("made by hand"),
            "start": self.tr("at start"),
            "changes": self.tr("after changes"),
        }
        for info in self._backup_list:
            why = reasons.get(info.reason) or (
                self.tr("before an upgrade") if info.reason.startswith("before-") else info.reason
            )
            text = self.tr("{when} — {why}, {size}").format(
                when=datetime_text(info.at), why=why, size=_size(info.size)
            )
            item = QListWidgetItem(text, self.backups)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        if self.database.path is None:
            self.backup_status.setText(
                self.tr(
                    "These records are on the district's server: IT backs them up with the "
                    "server's own routine (pg_dump)."
                )
            )
        elif not self._backup_list:
            self.backup_status.setText(self.tr("No backups yet."))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.backups.currentRow() >= 0)

    # -- encryption --------------------------------------------------------------------------

    def _right_passphrase(self, passphrase: str) -> bool:
        try:
            return crypto.key_for(self.database.file(), passphrase) == self.database.key
        except DatabaseProblem:
            return False

    def toggle_encryption(self) -> bool:
        if self.database.encrypted:
            return self.turn_off()
        dialog = NewPassphraseDialog(
            self,
            title=self.tr("Turn encryption on"),
            explanation=self.tr(
                "Choose a passphrase. It will be asked for each time circlekeeper starts. "
                "If it is forgotten, nobody can open the records again, not even IT staff: "
                "write it down and keep it somewhere safe, away from this laptop. "
                "Your backups are encrypted with it too."
            ),
            accept_text=self.tr("Encrypt"),
        )
        if not dialog.exec():
            return False
        passphrase = dialog.new.text()
        return change_file(
            self.host(),
            title=self.tr("Turning encryption on"),
            text=self.tr("Encrypting your records and backups. Please wait…"),
            work=lambda path: encrypt_database(path, passphrase),
            passphrase_after=passphrase,
            passphrase_if_failed=None,
            encrypted_after=True,
            done=self.tr(
                "Encryption is on for {file}. The passphrase will be asked for each time it is "
                "opened."
            ).format(file=self.database.path),
        )

    def turn_off(self) -> bool:
        dialog = NewPassphraseDialog(
            self,
            title=self.tr("Turn encryption off"),
            explanation=self.tr(
                "The records will be stored without a passphrase: anyone who copies the file "
                "can read them. Existing backups stay encrypted with the current passphrase. "
                "Type the current passphrase to go on."
            ),
            ask_current=True,
            ask_new=False,
            accept_text=self.tr("Turn off"),
        )
        while True:
            if not dialog.exec():
                return False
            current = dialog.current.text()
            if self._right_passphrase(current):
                break
            dialog.message.setText(self.tr("That is not the current passphrase. Try again."))
            dialog.message.show()
        return change_file(
            self.host(),
            title=self.tr("Turning encryption off"),
            text=self.tr("Storing your records without encryption. Please wait…"),
            work=lambda path: decrypt_database(path, current),
            passphrase_after=None,
            passphrase_if_failed=current,
            encrypted_after=False,
            done=self.tr(
                "Encryption is off for {file}. No passphrase will be asked for to open it."
            ).format(file=self.database.path),
        )

    def change_passphrase(self) -> bool:
        dialog = NewPassphraseDialog(
            self,
            title=self.tr("Change the passphrase"),
            explanation=self.tr(
                "The records and the backups made with the current passphrase are encrypted "
                "again with the new one. The old passphrase will open nothing afterwards."
            ),
            ask_current=True,
            accept_text=self.tr("Change"),
        )
        while True:
            if not dialog.exec():
                return False
            old = dialog.current.text()
            if self._right_passphrase(old):
                break
            dialog.message.setText(self.tr("That is not the current passphrase. Try again."))
            dialog.message.show()
        new = dialog.new.text()
        return change_file(
            self.host(),
            title=self.tr("Changing the passphrase"),
            text=self.tr("Encrypting your records with the new passphrase. Please wait…"),
            work=lambda path: change_passphrase(path, old, new),
            passphrase_after=new,
            passphrase_if_failed=old,
            done=self.tr("The passphrase was changed. Use the new one from now on."),
        )

    # -- backups -----------------------------------------------------------------------------

    def back_up_now(self) -> BackupInfo | None:
        database = self.database
        try:
            info = run_busy(
                self,
                self.tr("Backing up"),
                self.tr("Making a copy of your records…"),
                lambda: make_backup(database, "manual"),
            )
        except DatabaseProblem as problem:
            self.backup_status.setText(str(problem))
            return None
        assert isinstance(info, BackupInfo)
        self.fill_backups()
        self.backup_status.setText(self.tr("Backed up to {file}.").format(file=info.path.name))
        return info

    def restore_selected(self) -> bool:
        row = self.backups.currentRow()
        if row < 0:
            return False
        info = self._backup_list[row]
        when = datetime_text(info.at)
        answer = QMessageBox.question(
            self,
            self.tr("Restore this backup?"),
            self.tr(
                "Restore the backup from {when}? Your records go back to how they were then; "
                "changes made since are not in it. The records as they are now are not deleted: "
                "they are moved aside to a file next to the database."
            ).format(when=when),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        passphrase: str | None = None
        if is_encrypted(info.path):
            from circlekeeper.ui.security.opening import ask_passphrase

            try:
                answer_pass = ask_passphrase(
                    info.path, self, lambda p: verify_backup(info.path, passphrase=p)
                )
            except DatabaseProblem as problem:
                tell(self, self.tr("Restore"), str(problem), warning=True)
                return False
            if answer_pass is None:
                return False
            passphrase = answer_pass[0]
        backup: Path = info.path
        done = self.tr(
            "The backup from {when} was restored. The records as they were before were moved "
            "aside, next to the database."
        ).format(when=when)
        if passphrase is None and self.database.encrypted:
            done += " " + self.tr(
                "This backup is not encrypted; turn encryption on again here if you want it."
            )
        return change_file(
            self.host(),
            title=self.tr("Restoring a backup"),
            text=self.tr("Putting the backup in place. Please wait…"),
            work=lambda path: restore_backup(path, backup, passphrase=passphrase),
            passphrase_after=passphrase,
            passphrase_if_failed=None,
            done=done,
        )

    # -- retention ---------------------------------------------------------------------------

    def save_retention(self) -> bool:
        years = self.years.value() or None
        try:
            set_retention_years(screen_context(self.database), years)
        except (InvalidInput, DatabaseProblem) as problem:
            tell(self, self.tr("Retention"), str(problem), warning=True)
            return False
        return True

    def preview(self) -> RetentionDialog | None:
        years = self.years.value()
        if not years:
            tell(
                self,
                self.tr("Retention"),
                self.tr("Set how many years to keep closed cases first."),
            )
            return None
        if not self.save_retention():
            return None
        dialog = RetentionDialog(self.database, years, self)
        self.retention_dialog = dialog
        dialog.open()
        return dialog

    # -- lock --------------------------------------------------------------------------------

    def save_lock(self) -> None:
        try:
            set_lock_minutes(self.database, self.lock_after.value())
        except DatabaseProblem:
            log.exception("Saving the lock time failed")
            return
        guard = getattr(self.host(), "guard", None)
        if guard is not None:
            guard.set_idle_minutes(self.lock_after.value())

    def _lock(self) -> None:
        guard = getattr(self.host(), "guard", None)
        if guard is not None:
            guard.lock()

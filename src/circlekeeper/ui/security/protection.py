"""Settings → Protection: encryption, backups and restore, retention, and the app lock."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from circlekeeper.core.services import InvalidInput
from circlekeeper.core.services.retention import (
    Mode,
    RetentionCandidate,
    apply_retention,
    preview_retention,
    retention_years,
    set_retention_years,
)
from circlekeeper.core.services.settings import SettingsService
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
from circlekeeper.ui.security.guard import lock_minutes, set_lock_minutes
from circlekeeper.ui.security.operations import change_file, run_busy, tell
from circlekeeper.ui.security.passphrase import NewPassphraseDialog
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
        self.restore_button = self._button(self.tr("&Restore…"), self.restore_selected)
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
        self.preview_button = self._button(self.tr("&Preview…"), self.preview)

        # Lock
        self.lock_after = QSpinBox(self)
        self.lock_after.setRange(0, 240)
        self.lock_after.setSpecialValueText(self.tr("Never"))
        self.lock_after.setSuffix(self.tr(" minutes without use"))
        self.lock_after.setAccessibleName(self.tr("Lock after this many minutes without use"))
        self.lock_after.editingFinished.connect(self.save_lock)
        self.lock_now = self._button(self.tr("&Lock now (Ctrl+L)"), self._lock)

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
        form.addRow(self._label(self.tr("Backu&ps"), self.backups), self.backups)
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
        self.fill_backups()
        try:
            self.years.setValue(retention_years(self.database.sessions) or 0)
            self.lock_after.setValue(lock_minutes(self.database))
        except SQLAlchemyError:
            log.exception("Reading the protection settings failed")
        guard = getattr(self.host(), "guard", None)
        if guard is not None:
            guard.set_idle_minutes(self.lock_after.value())

    def fill_backups(self) -> None:
        self.backups.clear()
        self._backup_list: list[BackupInfo] = list_backups(self.database.path)
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
                when=info.at.strftime("%Y-%m-%d %H:%M"), why=why, size=_size(info.size)
            )
            item = QListWidgetItem(text, self.backups)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        if not self._backup_list:
            self.backup_status.setText(self.tr("No backups yet."))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.backups.currentRow() >= 0)

    def _actor(self) -> str:
        try:
            return SettingsService(self.database.sessions).load().facilitator_name
        except SQLAlchemyError:
            return ""

    # -- encryption --------------------------------------------------------------------------

    def _right_passphrase(self, passphrase: str) -> bool:
        try:
            return crypto.key_for(self.database.path, passphrase) == self.database.key
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
            done=self.tr("Encryption is on. The passphrase will be asked for at each start."),
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
            done=self.tr("Encryption is off. No passphrase will be asked for at start."),
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
        when = info.at.strftime("%Y-%m-%d %H:%M")
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
            set_retention_years(self.database.sessions, years, actor=self._actor())
        except (InvalidInput, SQLAlchemyError, DatabaseProblem) as problem:
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
        dialog = RetentionDialog(self.database, years, self._actor(), self)
        self.retention_dialog = dialog
        dialog.open()
        return dialog

    # -- lock --------------------------------------------------------------------------------

    def save_lock(self) -> None:
        try:
            set_lock_minutes(self.database, self.lock_after.value())
        except SQLAlchemyError:
            log.exception("Saving the lock time failed")
            return
        guard = getattr(self.host(), "guard", None)
        if guard is not None:
            guard.set_idle_minutes(self.lock_after.value())

    def _lock(self) -> None:
        guard = getattr(self.host(), "guard", None)
        if guard is not None:
            guard.lock()


class RetentionDialog(QDialog):
    """The cases the rule would remove, with counts; Apply after typing a confirmation word."""

    def __init__(self, database: Database, years: int, actor: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.database = database
        self.years = years
        self.actor = actor
        self.today = date.today()
        self.setWindowTitle(self.tr("Old closed cases"))
        self.setAccessibleName(self.windowTitle())
        self.resize(760, 520)
        self.candidates: list[RetentionCandidate] = preview_retention(
            database.sessions, years, self.today
        )
        self.table = QTableWidget(len(self.candidates), 6, self)
        self.table.setAccessibleName(self.tr("Cases that would be removed"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Case"),
                self.tr("Closed on"),
                self.tr("Circles"),
                self.tr("Agreements"),
                self.tr("Notes"),
                self.tr("Follow-ups"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        for row, c in enumerate(self.candidates):
            values = [
                self.tr("{category}, referred {day}").format(
                    category=c.incident_category.replace("_", " "), day=c.referred_on.isoformat()
                ),
                c.closed_on.isoformat(),
                str(c.circles),
                str(c.agreements),
                str(c.notes),
                str(c.follow_ups),
            ]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        totals = (
            sum(c.circles for c in self.candidates),
            sum(c.agreements for c in self.candidates),
            sum(c.notes for c in self.candidates),
            sum(c.follow_ups for c in self.candidates),
        )
        self.summary = note(
            self.tr(
                "{cases} closed cases closed more than {years} years ago, with {circles} "
                "circles, {agreements} agreements, {notes} notes and {follow_ups} follow-ups."
            ).format(
                cases=len(self.candidates),
                years=years,
                circles=totals[0],
                agreements=totals[1],
                notes=totals[2],
                follow_ups=totals[3],
            )
            if self.candidates
            else self.tr("No closed case is older than {years} years. Nothing to do.").format(
                years=years
            ),
            self,
        )
        self.purge = QRadioButton(self.tr("&Delete them completely"), self)
        self.purge.setAccessibleName(self.tr("Delete them completely"))
        self.anonymise = QRadioButton(
            self.tr(
                "&Anonymise them (keep dates and outcomes for counting, remove names and words)"
            ),
            self,
        )
        self.anonymise.setAccessibleName(self.tr("Anonymise them"))
        self.anonymise.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.purge)
        group.addButton(self.anonymise)
        self.confirm = QLineEdit(self)
        self.confirm.setAccessibleName(self.tr("Type the word to confirm"))
        self.confirm_label = QLabel(self)
        self.confirm_label.setWordWrap(True)
        self.confirm_label.setBuddy(self.confirm)
        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton(
            self.tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setAccessibleName(self.tr("Apply"))
        close = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(self.tr("Close"))
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        self.result_label = note("", self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.anonymise)
        layout.addWidget(self.purge)
        layout.addWidget(self.confirm_label)
        layout.addWidget(self.confirm)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        for widget in (self.purge, self.anonymise):
            widget.toggled.connect(self._update)
        self.confirm.textChanged.connect(self._update)
        self._update()

    def word(self) -> str:
        return self.tr("delete") if self.purge.isChecked() else self.tr("anonymise")

    def _update(self) -> None:
        self.confirm_label.setText(
            self.tr(
                "This cannot be undone (backups made before keep the old records). "
                "To go on, type the word {word} below."
            ).format(word=f"«{self.word()}»")
        )
        ready = bool(self.candidates) and self.confirm.text().strip().lower() == self.word()
        self.apply_button.setEnabled(ready)

    def apply(self) -> None:
        if not self.apply_button.isEnabled():
            return
        mode: Mode = "purge" if self.purge.isChecked() else "anonymise"
        try:
            result = apply_retention(
                self.database.sessions,
                self.years,
                self.today,
                mode=mode,
                actor=self.actor,
                case_ids=[c.case_id for c in self.candidates],
            )
        except (InvalidInput, SQLAlchemyError, DatabaseProblem) as problem:
            self.result_label.setText(
                self.tr("Nothing was changed: {problem}").format(problem=problem)
            )
            return
        self.outcome = result
        self.result_label.setText(
            (
                self.tr(
                    "{cases} cases deleted, with {circles} circles and {agreements} agreements."
                )
                if mode == "purge"
                else self.tr(
                    "{cases} cases anonymised, with {circles} circles and {agreements} agreements."
                )
            ).format(cases=result.cases, circles=result.circles, agreements=result.agreements)
        )
        self.candidates = []
        self.table.setRowCount(0)
        self.confirm.clear()
        self._update()

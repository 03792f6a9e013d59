"""The first-run welcome: who is facilitating, and whether to start with demo data."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.settings.settings import SchoolSettings, SettingsService
from circlekeeper.core.settings.welcome import facilitator_record, holds_records
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.background import BackgroundTask
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.style import heading, note

log = logging.getLogger(__name__)

EMPTY = "empty"
DEMO = "demo"


def _tr(text: str) -> str:
    return QCoreApplication.translate("WelcomeDialog", text)


class WelcomeDialog(QDialog):
    """Asked once per database; saving marks the welcome as done (``welcome_done="1"``)."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.service = SettingsService(context_for(database))
        self.settings = self.service.load()
        self.choice = EMPTY
        self.wants_passphrase = False
        self.setWindowTitle(self.tr("Welcome to circlekeeper"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(620)

        self.facilitator_name = self._line(self.tr("Your name"), self.settings.facilitator_name)
        self.facilitator_name.setPlaceholderText(self.tr("As it should appear on agreements"))
        self.facilitator_role = self._line(self.tr("Your role"), self.settings.facilitator_role)
        self.facilitator_role.setPlaceholderText(self.tr("e.g. School counselor"))
        self.school_name = self._line(self.tr("School name"), self.settings.school_name)

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, field in (
            (self.tr("Your &name"), self.facilitator_name),
            (self.tr("Yo&ur role"), self.facilitator_role),
            (self.tr("&School name"), self.school_name),
        ):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)

        start = QGroupBox(self.tr("How would you like to start?"), self)
        self.demo = QRadioButton(
            self.tr("Start with &demo data (fictional students, for trying things out)"), start
        )
        self.demo.setAccessibleName(self.tr("Start with demo data"))
        self.demo.setAccessibleDescription(
            self.tr("Opens a separate practice database of made-up people and circles.")
        )
        # A file that already holds records (a colleague's, a restored backup) is never
        # offered a start "empty": it keeps its records.
        self.has_records = holds_records(context_for(database))
        if self.has_records:
            self.empty = QRadioButton(
                self.tr("&Keep working with the records already in this database"), start
            )
            self.empty.setAccessibleName(self.tr("Keep the records in this database"))
        else:
            self.empty = QRadioButton(self.tr("Start with an &empty database"), start)
            self.empty.setAccessibleName(self.tr("Start with an empty database"))
        self.empty.setChecked(True)
        self._group = QButtonGroup(self)
        self._group.addButton(self.demo)
        self._group.addButton(self.empty)
        start_layout = QVBoxLayout(start)
        start_layout.addWidget(self.empty)
        start_layout.addWidget(self.demo)
        start_layout.addWidget(
            note(
                self.tr(
                    "Demo data goes into a separate practice file, so real records never mix "
                    "with made-up ones. You can change all of this later in Settings."
                ),
                start,
            )
        )

        self.protect = QCheckBox(self.tr("&Protect these records with a passphrase"), self)
        self.protect.setAccessibleName(self.tr("Protect these records with a passphrase"))
        self.protect.setAccessibleDescription(
            self.tr(
                "After Start, choose a passphrase; the records file is then encrypted and the "
                "passphrase is asked for at each start."
            )
        )
        self.protect.setChecked(not database.encrypted)
        self.protect.setVisible(not database.encrypted)

        self.buttons = QDialogButtonBox(self)
        self.start_button: QPushButton = self.buttons.addButton(
            self.tr("Start"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start_button.setAccessibleName(self.tr("Start"))
        self.start_button.setDefault(True)
        later = self.buttons.addButton(self.tr("Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        later.setAccessibleName(self.tr("Not now"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Welcome"), self))
        layout.addWidget(
            note(
                self.tr(
                    "circlekeeper keeps your circles, conferences and agreements on this "
                    "computer only. A few details first:"
                ),
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(start)
        layout.addWidget(self.protect)
        layout.addWidget(
            note(
                self.tr(
                    "These are education records about children. A passphrase keeps them "
                    "unreadable if this laptop is lost. It can be turned on or off later in "
                    "Settings → Protection."
                ),
                self,
            )
        )
        layout.addWidget(self.buttons)
        self.facilitator_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _line(self, name: str, value: str) -> QLineEdit:
        edit = QLineEdit(value, self)
        edit.setAccessibleName(name)
        return edit

    def answers(self) -> SchoolSettings:
        """The settings with what was typed here, marked as welcomed."""
        s = self.settings
        return SchoolSettings(
            school_name=self.school_name.text().strip() or s.school_name,
            school_address=s.school_address,
            logo_path=s.logo_path,
            facilitator_name=self.facilitator_name.text().strip(),
            facilitator_role=self.facilitator_role.text().strip(),
            welcome_done="1",
        )

    def _add_facilitator(self) -> None:
        add_facilitator(self.database, self.answers())

    def accept(self) -> None:
        try:
            self.service.save(self.answers())
        except DatabaseProblem:
            log.exception("Saving the welcome answers failed")
            QMessageBox.warning(
                self,
                self.tr("Not saved"),
                self.tr("Your answers could not be saved just now. Please try Start again."),
            )
            return
        self._add_facilitator()
        self.choice = DEMO if self.demo.isChecked() else EMPTY
        self.wants_passphrase = not self.protect.isHidden() and self.protect.isChecked()
        super().accept()


def add_facilitator(database: Database, answers: SchoolSettings) -> None:
    """The facilitator named in the welcome, as a staff person of this database (the plan
    offers them as a new circle's keeper); a failure here loses nothing already saved."""
    try:
        facilitator_record(
            context_for(database), answers.facilitator_name, answers.facilitator_role
        )
    except (InvalidInput, DatabaseProblem):
        log.exception("Adding the facilitator to the directory failed")


def build_demo_database(path: Path, parent: QWidget | None = None) -> bool:
    """Build the demo database at ``path`` off the UI thread, with progress and Cancel.

    Returns True when the file is ready; False when it was cancelled or failed (after telling
    the person, in words). A cancelled build leaves no file behind.
    """
    from circlekeeper.core.demo import demo

    title = _tr("Preparing demo data")
    progress = QProgressDialog(
        _tr("Making fictional students, staff and circles…"),
        _tr("Cancel"),
        0,
        0,
        parent,
    )
    progress.setWindowTitle(title)
    progress.setAccessibleName(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)

    task = BackgroundTask(
        lambda report, cancelled: demo.build_demo(
            path, "small", progress=report, cancelled=cancelled
        )
    )
    outcome: dict[str, object] = {}
    loop = QEventLoop()

    def show_progress(done: int, total: int) -> None:
        if total > 0:
            progress.setMaximum(total)
            progress.setValue(min(done, total))

    task.progressed.connect(show_progress)
    task.succeeded.connect(lambda result: outcome.setdefault("result", result))
    task.failed.connect(lambda error: outcome.setdefault("error", error))
    task.finished.connect(loop.quit)
    progress.canceled.connect(task.cancel)
    task.start()
    progress.show()
    loop.exec()
    progress.close()
    progress.deleteLater()

    error = outcome.get("error")
    if error is None and "result" in outcome:
        return True
    if isinstance(error, demo.DemoCancelled) or task.cancel_requested:
        return False
    QMessageBox.warning(
        parent,
        _tr("Demo data not made"),
        _tr(
            "The demo data could not be made ({problem}). Your own database was not changed."
        ).format(problem=error),
    )
    return False

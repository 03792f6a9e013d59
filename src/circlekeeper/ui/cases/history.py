"""A student's history: every case, circle, agreement and follow-up for one person, in order."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from circlekeeper.core.people.names import display_name
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.store.database import Database
from circlekeeper.core.today.today import HistoryEntry, student_history
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    agreement_status_label,
    circle_status_label,
    day_text,
    follow_up_status_label,
    problem_text,
    role_label,
    status_label,
)
from circlekeeper.ui.cases.page import _table
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.style import heading


def _kind_label(dialog: QWidget, kind: str) -> str:
    return {
        "case": dialog.tr("Case"),
        "circle": dialog.tr("Circle"),
        "agreement": dialog.tr("Agreement"),
        "follow_up": dialog.tr("Follow-up"),
    }.get(kind, kind)


def _status(entry: HistoryEntry) -> str:
    if entry.kind == "case":
        return status_label(entry.status)
    if entry.kind == "follow_up":
        return follow_up_status_label(entry.status)
    if entry.kind == "circle":
        return circle_status_label(entry.status)
    return agreement_status_label(entry.status)


class StudentHistoryDialog(QDialog):
    """One person's history as a table, oldest first."""

    def __init__(self, database: Database, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        default_size(self, 820, 520)
        try:
            name = PeopleService(context_for(database)).details(person_id).data
            display = display_name(name.first_name, name.preferred_name, name.last_name)
            self.entries = student_history(database.sessions, person_id)
            problem = ""
        except PROBLEMS as error:
            display, self.entries, problem = "", [], problem_text(error)
        self.setWindowTitle(self.tr("History of {name}").format(name=display))
        self.setAccessibleName(self.windowTitle())
        self.table = _table(
            self,
            self.tr("History entries"),
            [self.tr("Date"), self.tr("What"), self.tr("Details"), self.tr("Role"),
             self.tr("Status")],
            stretch=2,
        )  # fmt: skip
        self.table.setRowCount(len(self.entries))
        from PySide6.QtWidgets import QTableWidgetItem

        for row, entry in enumerate(self.entries):
            for column, text in enumerate(
                (
                    day_text(entry.on),
                    _kind_label(self, entry.kind),
                    entry.title,
                    role_label(entry.role) if entry.role else "",
                    _status(entry),
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        summary = QLabel(
            problem
            or (
                self.tr("{n} entries, oldest first.").format(n=len(self.entries))
                if self.entries
                else self.tr("Nothing recorded for this person yet.")
            ),
            self,
        )
        summary.setWordWrap(True)
        summary.setAccessibleName(summary.text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self))
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


def show_student_history(
    database: Database, person_id: int, parent: QWidget | None = None
) -> StudentHistoryDialog:
    """Open a person's history beside the current screen (not modal) and return the dialog."""
    dialog = StudentHistoryDialog(database, person_id, parent)
    dialog.show()
    return dialog

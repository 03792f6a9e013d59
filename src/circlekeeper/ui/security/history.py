"""A record's audit trail in plain words: who changed what, when, field by field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.audit.audit import AuditEntry, history
from circlekeeper.core.operations import Context
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.locale import datetime_text
from circlekeeper.ui.looking import sessions_context
from circlekeeper.ui.style import heading, note


def _value(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


class HistoryDialog(QDialog):
    """Every audit line of one record, oldest first."""

    def __init__(
        self,
        sessions: Context | object,
        entity_uuid: str,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("History of {record}").format(record=title))
        self.setAccessibleName(self.windowTitle())
        default_size(self, 820, 480)
        try:
            # Who is looking decides in core what the lines show (no demographics to an SRO).
            self.entries: list[AuditEntry] = history(sessions_context(sessions), entity_uuid)
            problem = ""
        except DatabaseProblem:
            self.entries = []
            problem = self.tr("The history could not be read just now.")
        self.table = QTableWidget(0, 3, self)
        self.table.setAccessibleName(self.tr("Changes, oldest first"))
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("What")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for entry in self.entries:
            row = self.table.rowCount()
            self.table.insertRow(row)
            when = datetime_text(entry.at.astimezone()) if entry.at else ""
            for column, text in enumerate(
                (when, entry.actor or self.tr("(not recorded)"), self.describe(entry))
            ):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(self)
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self))
        if not problem and not self.entries:
            # Records made by the demo builder or an older import carry no trail of their own.
            problem = self.tr(
                "No changes have been recorded for this record yet. Changes saved from now on "
                "will be listed here, with who saved them."
            )
        layout.addWidget(
            note(
                problem
                or self.tr(
                    "Every change saved to this record, and who saved it. This list cannot be "
                    "edited."
                ),
                self,
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def describe(self, entry: AuditEntry) -> str:
        """One line in plain words, e.g. "Changed: last name Smith → Smyth"."""
        actions = {
            "create": self.tr("Added"),
            "update": self.tr("Changed"),
            "delete": self.tr("Deleted"),
            "archive": self.tr("Archived"),
            "unarchive": self.tr("Brought back from the archive"),
        }
        what = actions.get(entry.action) or entry.action.replace("_", " ").capitalize()
        parts = [
            self.tr("{field} {old} → {new}").format(
                field=name.replace("_", " "), old=_value(old), new=_value(new)
            )
            for name, (old, new) in sorted(entry.changes.items())
        ]
        if entry.entity != "person" and entry.detail.get("item") is None:
            what = f"{what} ({entry.entity.replace('_', ' ')})"
        return f"{what}: " + "; ".join(parts) if parts else what

"""What the roster import shows before anything is saved: the rows, what happens to each
(new, unchanged, or which fields change from what to what), and how columns are used."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from circlekeeper.core.people.people import PersonData
from circlekeeper.ui.people.labels import kind_short_label

Index = QModelIndex | QPersistentModelIndex

# Which PersonData fields the preview shows, in order.
PREVIEW_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "kind",
    "grade",
    "external_id",
    "school",
    "pronouns",
)

_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "full_name": "Full name",
    "preferred_name": "Preferred name",
    "pronouns": "Pronouns",
    "kind": "Kind",
    "grade": "Grade",
    "school": "School",
    "external_id": "Student/staff ID",
    "birth_date": "Birth date",
    "email": "Email",
    "phone": "Phone",
    "title": "Job title",
    "gender": "Gender",
    "race_ethnicity": "Race or ethnicity",
    "disability": "Disability",
    "english_learner": "English learner",
    "low_income": "Low income",
    "guardian_name": "Guardian name",
    "guardian_first_name": "Guardian first name",
    "guardian_last_name": "Guardian last name",
    "guardian_phone": "Guardian phone",
    "guardian_email": "Guardian email",
    "guardian_relationship": "Guardian relationship",
}


def field_label(name: str) -> str:
    text = _LABELS.get(name, name.replace("_", " ").capitalize())
    return QCoreApplication.translate("RosterFields", text)


def _tr(text: str) -> str:
    return QCoreApplication.translate("RosterPreviewModel", text)


def change_text(row: Any) -> str:
    """What importing does to one row, in words: New, Unchanged, or each field's change."""
    if row.action == "new":
        return _tr("New")
    if row.action == "unchanged":
        return _tr("Unchanged")
    empty = _tr("(empty)")
    return "; ".join(
        _tr("{field}: {old} → {new}").format(
            field=field_label(c.name),
            old=empty if c.old in (None, "") else str(c.old),
            new=empty if c.new in (None, "") else str(c.new),
        )
        for c in row.changes
    )


class RosterPreviewModel(QAbstractTableModel):
    """The rows read from the file: file line number, what happens, then the person's fields."""

    LINE = 0
    CHANGE = 1
    FIRST_FIELD = 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.FIRST_FIELD + len(PREVIEW_FIELDS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == self.LINE:
            return _tr("Line")
        if section == self.CHANGE:
            return _tr("What happens")
        return field_label(PREVIEW_FIELDS[section - self.FIRST_FIELD])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        row = self._rows[index.row()]
        if index.column() == self.LINE:
            return str(row.line_number)
        if index.column() == self.CHANGE:
            return change_text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        data: PersonData = row.data
        name = PREVIEW_FIELDS[index.column() - self.FIRST_FIELD]
        value = getattr(data, name, None)
        if name == "kind" and value:
            return kind_short_label(str(value))
        return "" if value is None else str(value)


class ColumnChoices(QTableWidget):
    """Each column of the file and the field it fills, which the person can change."""

    chosen = Signal(str, str)  # column, field ("" for not used)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setAccessibleName(self.tr("How the file's columns are used"))
        self.setHorizontalHeaderLabels([self.tr("In the file"), self.tr("Used as")])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._fields: list[str] = []

    def show_columns(self, columns: list[str], mapping: dict[str, str], fields: list[str]) -> None:
        """One line per column, in the file's order, with a choice of field for each."""
        self._fields = fields
        self.setRowCount(len(columns))
        for row, column in enumerate(columns):
            field = mapping.get(column, "")
            self.setItem(row, 0, QTableWidgetItem(column))
            label = field_label(field) if field else self.tr("Not used")
            self.setItem(row, 1, QTableWidgetItem(label))
            choice = QComboBox(self)
            choice.setAccessibleName(self.tr("Field for the column {column}").format(column=column))
            choice.addItem(self.tr("Not used"), "")
            for name in fields:
                choice.addItem(field_label(name), name)
            choice.setCurrentIndex(max(0, choice.findData(field)))
            choice.currentIndexChanged.connect(
                lambda _i, c=column, box=choice: self.chosen.emit(c, box.currentData())
            )
            self.setCellWidget(row, 1, choice)

    def choice(self, column: str) -> QComboBox | None:
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            if item is not None and item.text() == column:
                widget = self.cellWidget(row, 1)
                return widget if isinstance(widget, QComboBox) else None
        return None

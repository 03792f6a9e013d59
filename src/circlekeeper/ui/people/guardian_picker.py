"""Choosing a guardian for a student: find someone already listed, or add a new guardian."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.people.people import PeopleService, PersonRow
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.people.model import PeopleTableModel
from circlekeeper.ui.style import heading, note


class GuardianPicker(QDialog):
    """Pick an existing person as guardian (or create one); ``chosen`` holds the answer."""

    def __init__(
        self, service: PeopleService, taken: set[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.taken = taken
        self.chosen: PersonRow | None = None
        self.setWindowTitle(self.tr("Link a guardian"))
        self.setAccessibleName(self.windowTitle())
        default_size(self, 680, 520)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Type part of the guardian's name"))
        self.search.setAccessibleName(self.tr("Search for a guardian"))
        self.search.setClearButtonEnabled(True)
        self.model = PeopleTableModel(service, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Matching people"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        for column in (PeopleTableModel.GRADE, PeopleTableModel.SCHOOL, PeopleTableModel.PRONOUNS):
            self.table.hideColumn(column)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.new_button = QPushButton(self.tr("&New guardian…"), self)
        self.new_button.setAccessibleName(self.tr("Add a new guardian"))
        self.relationship = QLineEdit(self)
        self.relationship.setPlaceholderText(self.tr("e.g. Mother, Grandfather, Foster parent"))
        self.relationship.setAccessibleName(self.tr("Relationship to the student"))
        self.can_consent = QCheckBox(self.tr("Can give &consent for this student"), self)
        self.can_consent.setChecked(True)
        self.can_consent.setAccessibleName(self.tr("Can give consent for this student"))

        self.buttons = QDialogButtonBox(self)
        self.link_button = self.buttons.addButton(
            self.tr("Link"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.link_button.setAccessibleName(self.tr("Link the selected person as guardian"))
        self.link_button.setDefault(True)
        cancel = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.new_button)
        form = QFormLayout()
        label = QLabel(self.tr("&Relationship"), self)
        label.setBuddy(self.relationship)
        form.addRow(label, self.relationship)
        form.addRow("", self.can_consent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self))
        layout.addWidget(
            note(self.tr("Find the guardian if they are already listed, or add them."), self)
        )
        layout.addLayout(search_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._search)
        self.search.textChanged.connect(self._timer.start)
        self.search.installEventFilter(self)
        self.new_button.clicked.connect(self.new_guardian)
        self.table.doubleClicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.model.modelReset.connect(self._update)
        self._search()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _search(self) -> None:
        self._timer.stop()
        # Guardians first when nothing is typed; any adult can be found by name.
        kind = None if self.search.text().strip() else PersonKind.GUARDIAN.value
        self.model.set_query(self.search.text(), kind=kind)

    def _selected(self) -> PersonRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.person_at(rows[0].row()) if rows else None

    def _update(self) -> None:
        person = self._selected()
        self.link_button.setEnabled(person is not None and person.id not in self.taken)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount() > 0
        ):
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    def new_guardian(self) -> None:
        from circlekeeper.ui.people.dialog import PersonDialog

        dialog = PersonDialog(
            self.service, parent=self, kind=PersonKind.GUARDIAN.value, allow_guardians=False
        )
        words = self.search.text().split()
        if len(words) >= 2:
            dialog.first_name.setText(words[0])
            dialog.last_name.setText(" ".join(words[1:]))
        if dialog.exec() and dialog.saved is not None:
            self.chosen = dialog.saved
            self.relationship.setFocus(Qt.FocusReason.OtherFocusReason)
            self.search.setText(dialog.saved.display_name)
            self._search()
            row = self.model.row_of(dialog.saved.id)
            if row >= 0:
                self.table.selectRow(row)

    def accept(self) -> None:
        person = self._selected()
        if person is None or person.id in self.taken:
            return
        self.chosen = person
        super().accept()

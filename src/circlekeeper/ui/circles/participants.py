"""Inviting people to a circle: find them as you type, give each a role, say whom a supporter
supports."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import (
    KEEPER_ROLES,
    PRINCIPAL_ROLES,
    SUPPORT_ROLES,
    ParticipantRow,
)
from circlekeeper.core.domain.enums import Role
from circlekeeper.core.people.people import PeopleService
from circlekeeper.ui.circles.labels import role_choices, role_label
from circlekeeper.ui.circles.problems import PROBLEMS
from circlekeeper.ui.people.labels import kind_short_label
from circlekeeper.ui.style import heading

SEARCH_DELAY_MS = 150
RESULT_LIMIT = 50


def participant_role_text(row: ParticipantRow, rows: list[ParticipantRow]) -> str:
    names = {r.id: r.name for r in rows}
    return role_label(row.role, names.get(row.supporter_of_id or -1))


class ParticipantsPanel(QWidget):
    """The people of one circle. ``changed`` is emitted after anything is saved."""

    changed = Signal()

    def __init__(
        self,
        planner: CirclePlanner,
        people: PeopleService,
        ensure_circle: Callable[[], int | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.planner = planner
        self.people = people
        self.ensure_circle = ensure_circle
        self.rows: list[ParticipantRow] = []
        self.error: Callable[[Exception], None] = lambda exc: None

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Type part of a name or ID to invite someone"))
        self.search.setAccessibleName(self.tr("Find a person to invite"))
        self.search.setClearButtonEnabled(True)
        for button in self.search.findChildren(QToolButton):
            button.setAccessibleName(self.tr("Clear the search"))
        self.results = QListWidget(self)
        self.results.setAccessibleName(self.tr("People found"))
        self.results.setMinimumHeight(self.fontMetrics().height() * 6)
        self.role = QComboBox(self)
        self.role.setAccessibleName(self.tr("Role in the circle"))
        for value, text in role_choices():
            self.role.addItem(text, value)
        self.supporter_of = QComboBox(self)
        self.supporter_of.setAccessibleName(self.tr("Supports whom"))
        self.supporter_of.setMinimumContentsLength(16)
        self.add_button = QPushButton(self.tr("&Invite"), self)
        self.add_button.setAccessibleName(self.tr("Invite the chosen person with this role"))
        self.add_button.setToolTip(self.tr("Invite (Enter in the list of people found)"))

        self.table = QTableWidget(0, 2, self)
        self.table.setAccessibleName(self.tr("People in this circle"))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setAccessibleName(self.tr("Columns"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.change_button = QPushButton(self.tr("C&hange role"), self)
        self.change_button.setAccessibleName(
            self.tr("Give the selected person the role chosen above")
        )
        self.remove_button = QPushButton(self.tr("Re&move"), self)
        self.remove_button.setAccessibleName(self.tr("Remove the selected person from the circle"))

        role_label_widget = QLabel(self.tr("Rol&e"), self)
        role_label_widget.setBuddy(self.role)
        of_label = QLabel(self.tr("Suppo&rter of"), self)
        of_label.setBuddy(self.supporter_of)
        choose = QGridLayout()
        choose.addWidget(role_label_widget, 0, 0)
        choose.addWidget(self.role, 0, 1)
        choose.addWidget(of_label, 1, 0)
        choose.addWidget(self.supporter_of, 1, 1)
        choose.addWidget(self.add_button, 0, 2)
        choose.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.change_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Invite"), self, level=2))
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addLayout(choose)
        layout.addWidget(heading(self.tr("In the circle"), self, level=2))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_people)
        self.search.textChanged.connect(self._timer.start)
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemDoubleClicked.connect(lambda _item: self.invite())
        self.results.currentRowChanged.connect(lambda _row: self._update())
        self.role.currentIndexChanged.connect(lambda _i: self._update())
        self.add_button.clicked.connect(self.invite)
        self.change_button.clicked.connect(self.change_role)
        self.remove_button.clicked.connect(self.remove)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self._update()

    # -- searching ---------------------------------------------------------------------------

    def search_people(self) -> None:
        self._timer.stop()
        text = self.search.text().strip()
        self.results.clear()
        if not text:
            self._update()
            return
        here = {r.person_id for r in self.rows}
        for person in self.people.search(text, limit=RESULT_LIMIT):
            label = f"{person.display_name} — {kind_short_label(person.kind)}"
            if person.grade:
                label += self.tr(", grade {grade}").format(grade=person.grade)
            if person.id in here:
                label += self.tr(" (already invited)")
            item = QListWidgetItem(label, self.results)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            if person.id in here:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        for row in range(self.results.count()):
            if self.results.item(row).flags() & Qt.ItemFlag.ItemIsEnabled:
                self.results.setCurrentRow(row)
                break
        self._update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search and key == Qt.Key.Key_Down and self.results.count():
                if self._timer.isActive():
                    self.search_people()
                self.results.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if watched is self.search and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self.search_people()
                self.invite()
                return True
            if watched is self.results and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.invite()
                return True
        return super().eventFilter(watched, event)

    def chosen_person(self) -> int | None:
        item = self.results.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return int(item.data(Qt.ItemDataRole.UserRole))

    # -- the circle's people -----------------------------------------------------------------

    def set_rows(self, rows: list[ParticipantRow]) -> None:
        selected = self.selected()
        self.rows = rows
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            name = QTableWidgetItem(row.name + (f" ({row.pronouns})" if row.pronouns else ""))
            name.setData(Qt.ItemDataRole.UserRole, row.id)
            self.table.setItem(index, 0, name)
            self.table.setItem(index, 1, QTableWidgetItem(participant_role_text(row, rows)))
            if selected is not None and row.id == selected.id:
                self.table.selectRow(index)
        current = self.supporter_of.currentData()
        self.supporter_of.clear()
        principals = [r for r in rows if r.role in PRINCIPAL_ROLES]
        if not principals:
            self.supporter_of.addItem(self.tr("(invite the harmed or responsible person first)"))
        for r in principals:
            self.supporter_of.addItem(f"{r.name} — {role_label(r.role)}", r.id)
        found = self.supporter_of.findData(current)
        if found >= 0:
            self.supporter_of.setCurrentIndex(found)
        self._update()

    def selected(self) -> ParticipantRow | None:
        items = self.table.selectedItems()
        if not items:
            return None
        item = self.table.item(items[0].row(), 0)
        pid = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((r for r in self.rows if r.id == pid), None)

    def _choice(self) -> tuple[str, int | None]:
        role = str(self.role.currentData())
        supporter_of = self.supporter_of.currentData() if role in SUPPORT_ROLES else None
        return role, supporter_of

    def _show_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.role.setCurrentIndex(max(0, self.role.findData(row.role)))
            found = self.supporter_of.findData(row.supporter_of_id)
            if found >= 0:
                self.supporter_of.setCurrentIndex(found)
        self._update()

    def _update(self) -> None:
        role = str(self.role.currentData())
        self.supporter_of.setEnabled(role in SUPPORT_ROLES)
        self.add_button.setEnabled(self.chosen_person() is not None)
        selected = self.selected()
        self.change_button.setEnabled(selected is not None)
        self.remove_button.setEnabled(selected is not None)

    # -- actions -----------------------------------------------------------------------------

    def invite(self) -> None:
        person_id = self.chosen_person()
        if person_id is None:
            return
        circle_id = self.ensure_circle()
        if circle_id is None:
            return
        role, supporter_of = self._choice()
        try:
            self.planner.add_participant(circle_id, person_id, role, supporter_of)
        except PROBLEMS as exc:
            self.error(exc)
            return
        self.search.clear()
        self.results.clear()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def change_role(self) -> None:
        row = self.selected()
        if row is None:
            return
        role, supporter_of = self._choice()
        try:
            self.planner.set_role(row.id, role, supporter_of)
        except PROBLEMS as exc:
            self.error(exc)
            return
        self.changed.emit()

    def remove(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            self.planner.remove_participant(row.id)
        except PROBLEMS as exc:
            self.error(exc)
            return
        self.changed.emit()


def is_keeper(row: ParticipantRow) -> bool:
    return row.role in KEEPER_ROLES


def is_observer(row: ParticipantRow) -> bool:
    return row.role == Role.OBSERVER.value

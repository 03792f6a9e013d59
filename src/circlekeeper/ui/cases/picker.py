"""Finding a person in the directory as you type: a field, a short list, Enter to pick."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.people.people import PeopleService, PersonRow
from circlekeeper.ui.cases.common import PROBLEMS, clearable, problem_text
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.style import heading, note

SEARCH_DELAY_MS = 120
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


def person_line(person: PersonRow) -> str:
    """'Ana Ruiz · student, grade 8 · S1042' for lists where names can repeat."""
    from circlekeeper.ui.people.labels import kind_short_label

    parts = [person.display_name, kind_short_label(person.kind)]
    if person.grade:
        parts[-1] += QCoreApplication.translate("PersonFinder", ", grade {grade}").format(
            grade=person.grade
        )
    if person.external_id:
        parts.append(person.external_id)
    return " · ".join(parts)


class PersonFinder(QWidget):
    """A search field over the directory with the matches below; ``picked`` on Enter."""

    picked = Signal(object)  # PersonRow

    def __init__(
        self,
        service: PeopleService,
        parent: QWidget | None = None,
        *,
        name: str = "",
        adults_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.adults_only = adults_only
        self.field = QLineEdit(self)
        clearable(self.field)
        self.field.setPlaceholderText(self.tr("Type part of a name or ID, then Enter"))
        self.field.setAccessibleName(name or self.tr("Find a person"))
        self.results = QListWidget(self)
        self.results.setAccessibleName(self.tr("Matching people"))
        self.results.setMinimumHeight(self.fontMetrics().height() * 5)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addWidget(self.results, 1)
        self.setFocusProxy(self.field)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.field.textChanged.connect(self._timer.start)
        self.field.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemActivated.connect(lambda _item: self.pick_current())
        self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        self.results.clear()
        text = self.field.text().strip()
        try:
            rows = self.service.search(text, limit=40)
        except PROBLEMS as problem:
            self.results.addItem(problem_text(problem))
            return
        if self.adults_only:
            rows = [r for r in rows if r.kind != PersonKind.STUDENT]
        for person in rows[:20]:
            item = QListWidgetItem(person_line(person), self.results)
            item.setData(ROW_ROLE, person)
        if self.results.count():
            self.results.setCurrentRow(0)
        elif text:
            item = QListWidgetItem(self.tr("Nobody matches “{text}”.").format(text=text))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)

    def current(self) -> PersonRow | None:
        if self._timer.isActive():
            self.refresh()
        item = self.results.currentItem()
        person = item.data(ROW_ROLE) if item is not None else None
        return person if isinstance(person, PersonRow) else None

    def pick_current(self) -> None:
        person = self.current()
        if person is not None:
            self.picked.emit(person)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # Enter picks the highlighted match here, it does not close the dialog.
                self.pick_current()
                return True
            if watched is self.field and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.results.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                if 0 <= row < self.results.count():
                    self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)


class PersonPickerDialog(QDialog):
    """Choose one person from the directory; ``chosen`` holds the answer."""

    def __init__(
        self,
        service: PeopleService,
        title: str,
        parent: QWidget | None = None,
        *,
        explanation: str = "",
        adults_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.chosen: PersonRow | None = None
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        default_size(self, 520, 440)
        self.finder = PersonFinder(service, self, name=title, adults_only=adults_only)
        buttons = QDialogButtonBox(self)
        choose = buttons.addButton(self.tr("Choose"), QDialogButtonBox.ButtonRole.AcceptRole)
        choose.setAccessibleName(self.tr("Choose the highlighted person"))
        cancel = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAccessibleName(self.tr("Cancel"))
        buttons.accepted.connect(self.finder.pick_current)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title, self, level=2))
        if explanation:
            layout.addWidget(note(explanation, self))
        layout.addWidget(self.finder, 1)
        layout.addWidget(buttons)
        self.finder.picked.connect(self._picked)
        self.finder.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _picked(self, person: PersonRow) -> None:
        self.chosen = person
        self.accept()

"""The officer's activity log: a quick entry form (keyboard first) above the list of entries.

Type the activity, Tab through minutes, place and head count, Ctrl+Enter (or Enter in a text
field) saves. Enter on a row of the list loads it into the form to correct it; Delete removes
it after asking. What the list holds is decided in core: an SRO sees only their own entries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.sro import DEFAULT_ROLE, ENFORCEMENT_ACTIONS, EVENT_TYPES
from circlekeeper.core.domain.sro import ActivityType as Kind
from circlekeeper.core.operations import Context
from circlekeeper.core.people.people import PeopleService, PersonRow
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.sro.activity import ActivityEntry, ActivityRow, SroActivityService
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    caption_grid,
    day_text,
    from_qdate,
    message_label,
    problem_text,
    show_message,
    to_qdate,
)
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.sro.labels import label_of, role_choices, type_choices
from circlekeeper.ui.style import compact_combo, heading, list_table, note

COLUMNS = ("date", "type", "role", "minutes", "place", "attendance", "student", "officer")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
NO_COUNT = -1


class ActivityPage(QWidget):
    """Log an activity in a few keys; the officer's own entries below (everyone's for staff)."""

    def __init__(
        self,
        database: Database,
        viewer_of: Callable[[], Viewer],
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.viewer_of = viewer_of
        self.today = today
        self.editing: int | None = None
        self.student_id: int | None = None
        self.rows: list[ActivityRow] = []
        self._build()
        self.clear_form()
        self.refresh()

    def context(self) -> Context:
        """The database's operation context, acting as the viewer this page was given."""
        return context_for(self.database).acting_as(lambda: self.viewer_of().name, self.viewer_of)

    def service(self) -> SroActivityService:
        return SroActivityService(self.context(), today=self.today)

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.kind = compact_combo(QComboBox(self))
        self.kind.setAccessibleName(self.tr("Activity type"))
        for value, label in type_choices():
            self.kind.addItem(label, value)
        self.role = compact_combo(QComboBox(self))
        self.role.setAccessibleName(self.tr("Role it is counted under"))
        for value, label in role_choices():
            self.role.addItem(label, value)
        self.minutes = QSpinBox(self)
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.setAccessibleName(self.tr("Minutes"))
        self.place = QLineEdit(self)
        self.place.setAccessibleName(self.tr("Place"))
        self.place.setPlaceholderText(self.tr("Room, gym, community centre…"))
        self.attendance = QSpinBox(self)
        self.attendance.setRange(NO_COUNT, 100_000)
        self.attendance.setSpecialValueText(self.tr("not counted"))
        self.attendance.setAccessibleName(self.tr("People attending (events)"))
        self.on_date = QDateEdit(self)
        self.on_date.setCalendarPopup(True)
        self.on_date.setAccessibleName(self.tr("Date of the activity"))
        self.incident = compact_combo(QComboBox(self))
        self.incident.setAccessibleName(self.tr("Incident type (citations and arrests)"))
        self.student_label = QLabel(self)
        self.student_label.setAccessibleName(self.tr("Student this activity is about"))
        self.choose_student = QPushButton(self.tr("Student…"), self)
        self.choose_student.setAccessibleName(self.tr("Choose the student this is about"))
        self.clear_student = QPushButton(self.tr("No student"), self)
        self.clear_student.setAccessibleName(self.tr("Remove the student link"))
        self.save = QPushButton(self.tr("Save (Ctrl+Enter)"), self)
        self.save.setAccessibleName(self.tr("Save the activity"))
        self.save.setDefault(True)
        self.new = QPushButton(self.tr("New entry"), self)
        self.new.setAccessibleName(self.tr("Clear the form for a new entry"))
        self.message = message_label(self, self.tr("Activity log message"))
        self.mode = QLabel(self)

        pairs = (
            (self.tr("&Type"), self.kind),
            (self.tr("&Minutes"), self.minutes),
            (self.tr("&Place"), self.place),
            (self.tr("&Attending"), self.attendance),
            (self.tr("&Date"), self.on_date),
            (self.tr("&Role"), self.role),
            (self.tr("&Incident"), self.incident),
        )
        form = caption_grid(self, pairs, 4)
        student = QHBoxLayout()
        student.addWidget(self.choose_student)
        student.addWidget(self.clear_student)
        student.addWidget(self.student_label, 1)
        form.addLayout(student, 3, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mode, 1)
        buttons.addWidget(self.new)
        buttons.addWidget(self.save)

        self.table = QTableWidget(0, len(COLUMNS), self)
        header = list_table(self.table, self.tr("Logged activities"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Date"),
                self.tr("Type"),
                self.tr("Role"),
                self.tr("Minutes"),
                self.tr("Place"),
                self.tr("Attending"),
                self.tr("Student"),
                self.tr("Logged by"),
            ]
        )
        header.setStretchLastSection(True)
        self.totals = QLabel(self)
        self.totals.setWordWrap(True)  # one line per role when the words run long
        self.totals.setAccessibleName(self.tr("Hours by role"))

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Activity log"), self, level=2))
        layout.addWidget(
            note(
                self.tr(
                    "One line per activity. Link a student only when the activity was about "
                    "that one student. An officer sees only their own entries."
                ),
                self,
            )
        )
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.totals)
        layout.addWidget(self.table, 1)
        order = (
            self.kind,
            self.minutes,
            self.place,
            self.attendance,
            self.on_date,
            self.role,
            self.incident,
            self.choose_student,
            self.clear_student,
            self.new,
            self.save,
            self.table,
        )
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

        self.kind.currentIndexChanged.connect(self._type_changed)
        self.save.clicked.connect(self.save_entry)
        self.new.clicked.connect(self.clear_form)
        self.place.returnPressed.connect(self.save_entry)
        self.choose_student.clicked.connect(self.pick_student)
        self.clear_student.clicked.connect(lambda: self._set_student(None))
        self.table.itemActivated.connect(lambda _item: self.edit_selected())
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save_entry)
        remove = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self.remove_selected)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.clear_form)
        self.setFocusProxy(self.kind)

    def _load_incident_types(self) -> None:
        from circlekeeper.core.cases.incidents import IncidentVocabulary

        current = self.incident.currentData()
        self.incident.clear()
        self.incident.addItem(self.tr("—"), None)
        try:
            for item in IncidentVocabulary(context_for(self.database)).types():
                self.incident.addItem(item.label, item.id)
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
        self.incident.setCurrentIndex(max(0, self.incident.findData(current)))

    # -- form -----------------------------------------------------------------------------

    def _type_changed(self) -> None:
        kind = Kind(self.kind.currentData())
        self.role.setCurrentIndex(self.role.findData(DEFAULT_ROLE[kind].value))
        event = kind in EVENT_TYPES
        self.attendance.setEnabled(event)
        if not event:
            self.attendance.setValue(NO_COUNT)
        self.choose_student.setEnabled(not event)
        if event:
            self._set_student(None)
        self.incident.setEnabled(kind in ENFORCEMENT_ACTIONS or kind is Kind.INCIDENT_RESPONSE)
        if not self.incident.isEnabled():
            self.incident.setCurrentIndex(0)

    def _set_student(self, person_id: int | None, name: str = "") -> None:
        self.student_id = person_id
        self.student_label.setText(name if person_id is not None else self.tr("no student"))
        self.clear_student.setEnabled(person_id is not None)

    def pick_student(self) -> None:
        from circlekeeper.ui.cases.picker import PersonPickerDialog

        dialog = PersonPickerDialog(
            PeopleService(context_for(self.database)),
            self.tr("The student this activity was about"),
            self,
        )
        chosen: PersonRow | None = dialog.chosen if dialog.exec() else None
        if chosen is not None:
            self._set_student(chosen.id, chosen.display_name)

    def clear_form(self) -> None:
        self.editing = None
        self._load_incident_types()
        self.kind.setCurrentIndex(0)
        self._type_changed()
        self.minutes.setValue(0)
        self.place.clear()
        self.attendance.setValue(NO_COUNT)
        self.on_date.setDate(to_qdate(self.today()))
        self._set_student(None)
        self.mode.setText(self.tr("New entry"))
        self.kind.setFocus(Qt.FocusReason.OtherFocusReason)

    def entry(self) -> ActivityEntry:
        attendance = self.attendance.value()
        return ActivityEntry(
            activity_type=str(self.kind.currentData()),
            on_date=from_qdate(self.on_date.date()),
            minutes=self.minutes.value(),
            role=str(self.role.currentData()),
            place=self.place.text(),
            attendance=None if attendance == NO_COUNT else attendance,
            student_id=self.student_id,
            incident_type_id=self.incident.currentData(),
        )

    def save_entry(self) -> None:
        try:
            if self.editing is None:
                row = self.service().log(self.entry())
                done = self.tr("Saved: {type}, {minutes} minutes.")
            else:
                row = self.service().update(self.editing, self.entry())
                done = self.tr("Corrected: {type}, {minutes} minutes.")
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        self.clear_form()
        self.refresh()
        show_message(
            self.message,
            done.format(type=label_of(type_choices(), row.activity_type), minutes=row.minutes),
        )

    # -- list -----------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            self.rows = self.service().entries()
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        self.table.setRowCount(len(self.rows))
        types, roles = type_choices(), role_choices()
        for index, row in enumerate(self.rows):
            values = (
                day_text(row.on_date),
                label_of(types, row.activity_type),
                label_of(roles, row.role),
                str(row.minutes),
                row.place or "",
                "" if row.attendance is None else str(row.attendance),
                row.student_name or "",
                row.officer,
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, row.id)
                self.table.setItem(index, column, item)
        self.table.resizeColumnsToContents()
        from circlekeeper.ui.reports.area import school_year_start

        since = school_year_start(self.today())
        by_role = {value: 0 for value, _label in roles}
        for row in self.rows:
            if row.on_date >= since:
                by_role[row.role] = by_role.get(row.role, 0) + row.minutes
        self.totals.setText(
            self.tr("This school year (since {day}): ").format(day=day_text(since))
            + " · ".join(
                self.tr("{role}: {hours} h").format(role=label, hours=f"{by_role[value] / 60:.1f}")
                for value, label in roles
            )
        )

    def selected(self) -> ActivityRow | None:
        index = self.table.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def edit_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not row.editable:
            show_message(
                self.message,
                self.tr(
                    "This entry was logged by {name}; only they or an administrator can correct it."
                ).format(name=row.officer),
                problem=True,
            )
            return
        self.editing = row.id
        self.kind.setCurrentIndex(self.kind.findData(row.activity_type))
        self._type_changed()
        self.role.setCurrentIndex(self.role.findData(row.role))
        self.minutes.setValue(row.minutes)
        self.place.setText(row.place or "")
        self.attendance.setValue(NO_COUNT if row.attendance is None else row.attendance)
        self.on_date.setDate(to_qdate(row.on_date))
        self.incident.setCurrentIndex(max(0, self.incident.findData(row.incident_type_id)))
        self._set_student(row.student_id, row.student_name or "")
        self.mode.setText(
            self.tr("Correcting the entry of {day}").format(day=day_text(row.on_date))
        )
        self.kind.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove this entry?"),
            self.tr("Remove the {type} of {day} from the log? This cannot be undone.").format(
                type=label_of(type_choices(), row.activity_type), day=day_text(row.on_date)
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.service().remove(row.id)
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        self.refresh()
        show_message(self.message, self.tr("The entry was removed."))

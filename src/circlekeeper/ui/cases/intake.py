"""The intake of a referral: when, from whom, what happened, and the people involved."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseDetail, CaseIntake
from circlekeeper.core.people.people import PeopleService, PersonRow
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    case_role_choices,
    from_qdate,
    message_label,
    problem_text,
    role_label,
    show_message,
    source_choices,
    to_qdate,
)
from circlekeeper.ui.cases.picker import PersonFinder, PersonPickerDialog
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.locale import format_edit
from circlekeeper.ui.style import heading

# Where incidents happen, as SWIS groups locations; offered as the place is typed.
LOCATIONS = (
    "Classroom",
    "Hallway",
    "Cafeteria",
    "Playground",
    "Gym",
    "Restroom",
    "Library",
    "Bus",
    "Bus loading zone",
    "Parking lot",
    "Office",
    "Online",
    "Off campus",
)

# Offered when the school's incident vocabulary cannot be read; any other words can be typed.
CATEGORIES = (
    "Conflict between students",
    "Fighting",
    "Bullying or harassment",
    "Property damage",
    "Theft",
    "Disrespect toward staff",
    "Classroom disruption",
    "Online harm",
    "Attendance",
)


class IntakeDialog(QDialog):
    """Record a new referral; ``saved`` holds the new case once Save worked."""

    def __init__(
        self,
        cases: CaseService,
        people: PeopleService,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.cases = cases
        self.people = people
        self.saved: CaseDetail | None = None
        self.parties: list[tuple[PersonRow, str]] = []
        self.referred_by: PersonRow | None = None
        self.setWindowTitle(self.tr("New referral"))
        self.setAccessibleName(self.windowTitle())
        default_size(self, 820, 760)

        self.referred_on = QDateEdit(to_qdate(today), self)
        self.referred_on.setCalendarPopup(True)
        self.referred_on.setAccessibleName(self.tr("Date of the referral"))
        self.source = QComboBox(self)
        self.source.setAccessibleName(self.tr("Who referred (source)"))
        for value, label in source_choices():
            self.source.addItem(label, value)
        self.referred_by_label = QLabel(self.tr("Not named"), self)
        self.referred_by_label.setAccessibleName(self.tr("Person who referred"))
        self.referred_by_button = QPushButton(self.tr("C&hoose…"), self)
        self.referred_by_button.setAccessibleName(self.tr("Choose the person who referred"))
        self.category = QComboBox(self)
        self.category.setEditable(True)
        self.category.addItems(cases.incident_type_labels() or list(CATEGORIES))
        self.category.setCurrentIndex(-1)
        self.category.setAccessibleName(self.tr("Incident category"))
        line = self.category.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("Pick from the list or type your own words"))
        line.setAccessibleName(self.tr("Incident category"))
        self.incident_on = QDateEdit(self)
        self.incident_on.setCalendarPopup(True)
        self.incident_on.setMinimumDate(to_qdate(date(2000, 1, 1)))
        self.incident_on.setSpecialValueText(self.tr("Not known"))
        self.incident_on.setDate(to_qdate(today))
        self.incident_on.setAccessibleName(self.tr("Date of the incident"))
        self.place = QLineEdit(self)
        self.place.setPlaceholderText(self.tr("e.g. Cafeteria, Room 12, bus 4"))
        self.place.setAccessibleName(self.tr("Where it happened"))
        places = QCompleter(list(LOCATIONS), self.place)
        places.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # Completed in the field itself (Tab keeps it), so no pop-up takes the keyboard away.
        places.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
        self.place.setCompleter(places)
        # The time of day the reports count by; "Not known" until someone sets it.
        self.incident_time = QTimeEdit(self)
        format_edit(self.incident_time)
        self.incident_time.setMinimumTime(QTime(0, 0))
        self.incident_time.setSpecialValueText(self.tr("Not known"))
        self.incident_time.setTime(QTime(0, 0))
        self.incident_time.setAccessibleName(self.tr("Time of day of the incident"))
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(self.tr("What happened, as reported"))
        self.description.setAccessibleName(self.tr("Description of what happened"))
        self.description.setFixedHeight(self.fontMetrics().height() * 4 + 12)

        self.finder = PersonFinder(self.people, self, name=self.tr("Find a person involved"))
        self.finder.results.setFixedHeight(self.fontMetrics().height() * 5 + 12)
        self.role = QComboBox(self)
        self.role.setAccessibleName(self.tr("Role of the person to add"))
        for value, label in case_role_choices():
            self.role.addItem(label, value)
        self.add_button = QPushButton(self.tr("&Add to the referral"), self)
        self.add_button.setAccessibleName(self.tr("Add the highlighted person with this role"))
        self.table = QTableWidget(0, 2, self)
        self.table.setAccessibleName(self.tr("People involved"))
        self.table.setHorizontalHeaderLabels([self.tr("Person"), self.tr("Role")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setAccessibleName(self.tr("People involved: columns"))
        self.table.setFixedHeight(self.fontMetrics().height() * 5 + 12)
        self.remove_button = QPushButton(self.tr("Re&move"), self)
        self.remove_button.setAccessibleName(self.tr("Remove the selected person from the list"))
        self.problem = message_label(self, self.tr("Problem with the referral"))

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(
            self.tr("&Save referral"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setAccessibleName(self.tr("Save the referral"))
        cancel = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAccessibleName(self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        who = QHBoxLayout()
        who.addWidget(self.referred_by_label, 1)
        who.addWidget(self.referred_by_button)
        for label, field in (
            (self.tr("&Referral date"), self.referred_on),
            (self.tr("Referred &by"), self.source),
            (self.tr("Incident &category"), self.category),
            (self.tr("&Incident date"), self.incident_on),
            (self.tr("&Time of day"), self.incident_time),
            (self.tr("&Place"), self.place),
            (self.tr("&Description"), self.description),
        ):
            buddy = QLabel(label, self)
            buddy.setBuddy(field)
            form.addRow(buddy, field)
            if field is self.source:
                form.addRow(self.tr("Named person"), who)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel(self.tr("as"), self))
        add_row.addWidget(self.role, 1)
        add_row.addWidget(self.add_button)
        listed = QHBoxLayout()
        listed.addWidget(self.table, 1)
        listed.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self))
        layout.addLayout(form)
        layout.addWidget(heading(self.tr("People involved"), self, level=2))
        layout.addWidget(self.finder)
        layout.addLayout(add_row)
        layout.addLayout(listed)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(buttons)

        self.referred_by_button.clicked.connect(self.choose_referrer)
        self.finder.picked.connect(self.add_person)
        self.add_button.clicked.connect(self.finder.pick_current)
        self.remove_button.clicked.connect(self.remove_selected)
        self.referred_on.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose_referrer(self) -> None:
        dialog = PersonPickerDialog(self.people, self.tr("Who made the referral?"), self)
        if dialog.exec() and dialog.chosen is not None:
            self.referred_by = dialog.chosen
            self.referred_by_label.setText(dialog.chosen.display_name)
            self.referred_by_label.setAccessibleName(
                self.tr("Person who referred: {name}").format(name=dialog.chosen.display_name)
            )

    def add_person(self, person: PersonRow) -> None:
        if any(p.id == person.id for p, _role in self.parties):
            show_message(
                self.problem,
                self.tr("{name} is already listed; give them one role.").format(
                    name=person.display_name
                ),
                problem=True,
            )
            return
        role = str(self.role.currentData())
        self.parties.append((person, role))
        self._fill_table()
        show_message(self.problem, "")
        self.finder.field.clear()
        self.finder.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.parties):
            del self.parties[row]
            self._fill_table()

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.parties))
        for row, (person, role) in enumerate(self.parties):
            self.table.setItem(row, 0, QTableWidgetItem(person.display_name))
            self.table.setItem(row, 1, QTableWidgetItem(role_label(role)))

    def intake(self) -> CaseIntake:
        incident = self.incident_on.date()
        return CaseIntake(
            referred_on=from_qdate(self.referred_on.date()),
            incident_category=self.category.currentText(),
            referral_source=str(self.source.currentData()),
            referred_by_id=self.referred_by.id if self.referred_by else None,
            incident_on=None
            if incident == self.incident_on.minimumDate()
            else from_qdate(incident),
            location=self.place.text(),
            description=self.description.toPlainText(),
            parties=[(p.id, role) for p, role in self.parties],
            incident_time=None
            if self.incident_time.time() == self.incident_time.minimumTime()
            else self.incident_time.time().toString("HH:mm"),
        )

    def save(self) -> None:
        try:
            self.saved = self.cases.intake(self.intake())
        except PROBLEMS as problem:
            show_message(self.problem, problem_text(problem), problem=True)
            return
        self.accept()

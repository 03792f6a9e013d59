"""A student's page: who they are, then their cases, circles, agreements, follow-ups, family
contacts, guardians and notes on one page; each line opens its record, Edit is a button."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.people.story import PersonStory, person_story
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    Clock,
    agreement_status_label,
    circle_kind_label,
    circle_status_label,
    contact_method_label,
    day_text,
    follow_up_status_label,
    local_now,
    message_label,
    problem_text,
    role_label,
    show_message,
    status_label,
)
from circlekeeper.ui.cases.page import _fill, _table
from circlekeeper.ui.circles.labels import role_label as circle_role_label
from circlekeeper.ui.lists import open_on_enter
from circlekeeper.ui.locale import datetime_text
from circlekeeper.ui.operations import Changes, context_for, listen
from circlekeeper.ui.people.labels import kind_label
from circlekeeper.ui.style import heading

# What the page shows: a change to any of these may change a line of it.
SHOWN_KINDS = ("person", "case", "circle", "agreement", "follow_up", "note")


class StudentPage(QScrollArea):
    """One person's story; ``open_record`` asks the window to show a record, ``back`` the list."""

    back = Signal()
    open_record = Signal(str, int, object)  # kind, id, parent id
    edited = Signal(int)  # a person id, after Edit saved

    def __init__(
        self, database: Database, parent: QWidget | None = None, *, clock: Clock | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.clock = clock or local_now
        self.people = PeopleService(context_for(database))
        self.person_id: int | None = None
        self.story: PersonStory | None = None
        self.setWidgetResizable(True)
        self.setAccessibleName(self.tr("Student page"))
        body = QWidget(self)
        self.setWidget(body)

        self.back_button = QPushButton(self.tr("← &All people"), body)
        self.back_button.setAccessibleName(self.tr("Back to the list of people"))
        self.edit_button = QPushButton(self.tr("&Edit…"), body)
        self.edit_button.setAccessibleName(self.tr("Edit this person's details"))
        self.title = heading("", body)
        self.facts = QLabel(body)
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName(self.tr("About this person"))
        self.demographics = QLabel(body)
        self.demographics.setWordWrap(True)
        self.demographics.setAccessibleName(self.tr("Equity fields"))
        self.message = message_label(body, self.tr("Last change"))

        self.cases = self._section(
            body,
            self.tr("Cases"),
            [self.tr("Referred"), self.tr("Incident"), self.tr("Role"), self.tr("Step")],
            1,
        )
        self.circles = self._section(
            body,
            self.tr("Circles"),
            [self.tr("When"), self.tr("Circle"), self.tr("Kind"), self.tr("Role"),
             self.tr("Status")],
            1,
        )  # fmt: skip
        self.agreements = self._section(
            body,
            self.tr("Agreements"),
            [self.tr("Agreed"), self.tr("Harm to repair"), self.tr("Progress"),
             self.tr("Status")],
            1,
        )  # fmt: skip
        self.follow_ups = self._section(
            body,
            self.tr("Follow-ups"),
            [self.tr("Due"), self.tr("Purpose"), self.tr("Who"), self.tr("Status")],
            1,
        )
        self.contacts = self._section(
            body,
            self.tr("Family contacts"),
            [self.tr("When"), self.tr("With"), self.tr("How"), self.tr("Outcome"),
             self.tr("By")],
            3,
        )  # fmt: skip
        self.guardians = self._section(
            body,
            self.tr("Guardians"),
            [self.tr("Name"), self.tr("Relationship"), self.tr("May consent"),
             self.tr("Phone"), self.tr("Email")],
            0,
        )  # fmt: skip
        self.students = self._section(
            body,
            self.tr("Students in their care"),
            [self.tr("Name"), self.tr("Relationship"), self.tr("May consent")],
            0,
        )
        self.notes = self._section(
            body,
            self.tr("Notes about them"),
            [self.tr("Written"), self.tr("By"), self.tr("Kept as"), self.tr("Note")],
            3,
        )

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(body)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.demographics)
        layout.addWidget(self.message)
        self._boxes: dict[QTableWidget, QGroupBox] = {}
        for table in self.tables():
            box = table.parentWidget()
            assert isinstance(box, QGroupBox)
            self._boxes[table] = box
            layout.addWidget(box)
        layout.addStretch(1)

        order: list[QWidget] = [self.back_button, self.edit_button, *self.tables()]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

        self.back_button.clicked.connect(self.back)
        self.edit_button.clicked.connect(self.edit)
        for table, action in (
            (self.cases, self._open_case),
            (self.circles, self._open_circle),
            (self.agreements, self._open_agreement),
            (self.follow_ups, self._open_follow_up),
            (self.contacts, self._open_contact),
            (self.guardians, self._open_guardian),
            (self.students, self._open_student),
            (self.notes, self._open_note),
        ):
            self._connect(table, action)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.back)
        listen(self, database, SHOWN_KINDS, self.on_changes)

    # -- building --------------------------------------------------------------------------

    def _section(self, body: QWidget, title: str, columns: list[str], stretch: int) -> QTableWidget:
        box = QGroupBox(title, body)
        box.setAccessibleName(title)
        table = _table(box, title, columns, stretch)
        table.setAccessibleDescription(self.tr("Press Enter on a line to open it."))
        # One line per record, cut short with "…" when long: the record itself has the rest.
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        inner = QVBoxLayout(box)
        inner.addWidget(table)
        return table

    def tables(self) -> list[QTableWidget]:
        """The sections' tables, top to bottom."""
        return [
            self.cases,
            self.circles,
            self.agreements,
            self.follow_ups,
            self.contacts,
            self.guardians,
            self.students,
            self.notes,
        ]

    @staticmethod
    def _connect(table: QTableWidget, action: Callable[[int], None]) -> None:
        table.cellDoubleClicked.connect(lambda row, _column: action(row))
        open_on_enter(table, lambda: action(table.currentRow()))

    # -- showing ---------------------------------------------------------------------------

    def show_person(self, person_id: int) -> bool:
        """Read and show one person's page; False (with the reason shown) if it cannot be."""
        self.person_id = person_id
        return self.reload()

    def reload(self) -> bool:
        if self.person_id is None:
            return False
        try:
            self.story = person_story(
                context_for(self.database), self.person_id, today=self.clock().date()
            )
        except PROBLEMS as problem:
            self.story = None
            self.title.setText(self.tr("This person cannot be shown"))
            show_message(self.message, problem_text(problem), problem=True)
            for table in self.tables():
                _fill(table, [], "")
            self.edit_button.setEnabled(False)
            return False
        self.edit_button.setEnabled(True)
        self._fill(self.story)
        return True

    def on_changes(self, _changes: Changes) -> None:
        """Something this page shows may have changed (here or in another window)."""
        if self.person_id is not None:
            self.reload()

    def _fill(self, story: PersonStory) -> None:
        header = story.header
        self.title.setText(header.name)
        self.setAccessibleName(self.tr("Student page: {name}").format(name=header.name))
        facts = [kind_label(header.kind)]
        if header.grade:
            facts.append(self.tr("Grade {grade}").format(grade=header.grade))
        if header.external_id:
            facts.append(self.tr("ID {id}").format(id=header.external_id))
        if header.school:
            facts.append(header.school)
        if header.pronouns:
            facts.append(header.pronouns)
        if header.archived:
            facts.append(self.tr("archived"))
        self.facts.setText("  ·  ".join(facts))
        self.demographics.setVisible(header.demographics is not None)
        self.demographics.setText(self._demographics_text(header.demographics or {}))
        today = self.clock().date()

        _fill(
            self.cases,
            [
                [day_text(c.referred_on),
                 c.incident_category + (f" ({c.location})" if c.location else ""),
                 role_label(c.role), status_label(c.status)]
                for c in story.cases
            ],
            self.tr("No cases."),
        )  # fmt: skip
        _fill(
            self.circles,
            [
                [self._circle_when(c.when, c.held),
                 c.title or circle_kind_label(c.kind), circle_kind_label(c.kind),
                 circle_role_label(c.role), circle_status_label(c.status)]
                for c in story.circles
            ],
            self.tr("No circles."),
        )  # fmt: skip
        _fill(
            self.agreements,
            [
                [day_text(a.agreed_on) if a.agreed_on else self.tr("Not signed yet"),
                 a.harm_summary, self._progress(a.items_done, a.items_total),
                 agreement_status_label(a.status)]
                for a in story.agreements
            ],
            self.tr("No agreements."),
        )  # fmt: skip
        _fill(
            self.follow_ups,
            [
                [day_text(f.due_on), f.purpose or self.tr("Follow-up"),
                 f.responsible_name or "", self._follow_up_status(f.status, f.due_on, today)]
                for f in story.follow_ups
            ],
            self.tr("No follow-ups."),
        )  # fmt: skip
        _fill(
            self.contacts,
            [
                [datetime_text(c.contacted_at.astimezone()), c.person_name or "",
                 contact_method_label(c.method), c.outcome, c.staff_name or ""]
                for c in story.contacts
            ],
            self.tr("No family contacts."),
        )  # fmt: skip
        _fill(
            self.guardians,
            [
                [g.name, g.relationship or "", self.tr("Yes") if g.can_consent else self.tr("No"),
                 g.phone or "", g.email or ""]
                for g in story.guardians
            ],
            self.tr("No guardians linked."),
        )  # fmt: skip
        _fill(
            self.students,
            [
                [s.name, s.relationship or "", self.tr("Yes") if s.can_consent else self.tr("No")]
                for s in story.students
            ],
            "",
        )  # fmt: skip
        self._boxes[self.students].setVisible(bool(story.students))
        _fill(
            self.notes,
            [
                [datetime_text(n.written_at.astimezone()), n.author or "",
                 self.tr("Private") if n.privacy == "private" else self.tr("Record"), n.text]
                for n in story.notes
            ],
            self.tr("No notes about them."),
        )  # fmt: skip

    def _circle_when(self, when: object, held: bool) -> str:
        if when is None:
            return self.tr("Not decided")
        text = datetime_text(when.astimezone())  # type: ignore[attr-defined]
        return self.tr("Held {when}").format(when=text) if held else text

    def _progress(self, done: int, total: int) -> str:
        if total == 0:
            return self.tr("No items yet")
        return self.tr("{done} of {total} done").format(done=done, total=total)

    def _follow_up_status(self, status: str, due_on: date, today: date) -> str:
        text = follow_up_status_label(status)
        if status == "open" and due_on < today:
            text = "⚠ " + self.tr("{n} days overdue").format(n=(today - due_on).days)
        return text

    def _demographics_text(self, fields: dict[str, object]) -> str:
        names = {
            "gender": self.tr("Gender"),
            "race_ethnicity": self.tr("Race/ethnicity"),
            "disability": self.tr("Disability (IEP/504)"),
            "english_learner": self.tr("English learner"),
            "low_income": self.tr("Low income"),
        }
        parts = []
        for name, label in names.items():
            value = fields.get(name)
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                value = self.tr("yes") if value else self.tr("no")
            parts.append(f"{label}: {value}")
        return self.tr("Equity fields (never shown to an SRO): {fields}").format(
            fields="; ".join(parts) if parts else self.tr("none recorded")
        )

    # -- opening ---------------------------------------------------------------------------

    def _open_case(self, row: int) -> None:
        if self.story is not None and 0 <= row < len(self.story.cases):
            self.open_record.emit("case", self.story.cases[row].id, None)

    def _open_circle(self, row: int) -> None:
        if self.story is not None and 0 <= row < len(self.story.circles):
            circle = self.story.circles[row]
            self.open_record.emit("circle", circle.id, circle.case_id)

    def _open_agreement(self, row: int) -> None:
        if self.story is not None and 0 <= row < len(self.story.agreements):
            agreement = self.story.agreements[row]
            self.open_record.emit("agreement", agreement.id, agreement.case_id)

    def _open_follow_up(self, row: int) -> None:
        # A follow-up is kept (and its outcome recorded) on the page of what it belongs to.
        if self.story is None or not 0 <= row < len(self.story.follow_ups):
            return
        follow_up = self.story.follow_ups[row]
        if follow_up.case_id is not None:
            self.open_record.emit("case", follow_up.case_id, None)
        elif follow_up.agreement_id is not None:
            self.open_record.emit("agreement", follow_up.agreement_id, None)
        elif follow_up.circle_id is not None:
            self.open_record.emit("circle", follow_up.circle_id, None)

    def _open_contact(self, row: int) -> None:
        if self.story is not None and 0 <= row < len(self.story.contacts):
            self.open_record.emit("case", self.story.contacts[row].case_id, None)

    def _open_guardian(self, row: int) -> None:
        if self.story is not None and 0 <= row < len(self.story.guardians):
            self.show_person(self.story.guardians[row].person_id)

    def _open_student(self, row: int) -> None:
        if self.story is not None and 0 <= row < len(self.story.students):
            self.show_person(self.story.students[row].person_id)

    def _open_note(self, row: int) -> None:
        if self.story is not None and 0 <= row < len(self.story.notes):
            self.open_record.emit("circle", self.story.notes[row].circle_id, None)

    # -- editing ---------------------------------------------------------------------------

    def edit(self) -> None:
        from circlekeeper.ui.people.dialog import PersonDialog

        if self.person_id is None:
            return
        try:
            dialog = PersonDialog(self.people, self.person_id, parent=self)
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        if dialog.exec() and dialog.saved is not None:
            self.reload()
            show_message(
                self.message,
                self.tr("Saved the changes to {name}.").format(name=dialog.saved.display_name),
            )
            self.edited.emit(self.person_id)

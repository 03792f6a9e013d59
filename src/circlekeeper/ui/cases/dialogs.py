"""The small questions a case page asks: why go back, how it closes, a contact, a follow-up."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.rows import FollowUpSummary
from circlekeeper.core.people.people import PeopleService, PersonRow
from circlekeeper.ui.cases.common import (
    closure_choices,
    contact_method_choices,
    day_text,
    dialog_buttons,
    form_row,
    from_qdate,
    message_label,
    show_message,
    to_qdate,
)
from circlekeeper.ui.cases.picker import PersonPickerDialog
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.locale import format_edit
from circlekeeper.ui.style import heading, note


class ReasonDialog(QDialog):
    """Ask why a case goes one step back; the reason is kept in the case's history."""

    def __init__(self, title: str, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("e.g. The conference was postponed"))
        self.reason.setMinimumWidth(420)
        self.problem = message_label(self, self.tr("Problem with the reason"))
        layout = QVBoxLayout(self)
        layout.addWidget(note(question, self))
        layout.addWidget(self.reason)
        layout.addWidget(self.problem)
        layout.addWidget(dialog_buttons(self, self.tr("Go &back"), self.tr("Go back a step")))

    def accept(self) -> None:
        if not self.reason.text().strip():
            show_message(self.problem, self.tr("Say why, in a few words."), problem=True)
            return
        super().accept()


class CloseCaseDialog(QDialog):
    """Choose how a case ends (a closure reason) and the date it closes."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Close the case"))
        self.setAccessibleName(self.windowTitle())
        self.reason = QComboBox(self)
        self.reason.setAccessibleName(self.tr("How the case ended"))
        for value, label in closure_choices():
            self.reason.addItem(label, value)
        self.closed_on = QDateEdit(to_qdate(today), self)
        self.closed_on.setCalendarPopup(True)
        self.closed_on.setAccessibleName(self.tr("Date the case closes"))
        form = QFormLayout()
        form_row(form, self, self.tr("&How it ended"), self.reason)
        form_row(form, self, self.tr("Closed &on"), self.closed_on)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self, level=2))
        layout.addWidget(
            note(
                self.tr("A closed case can be reopened later (one step back, with a reason)."),
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(dialog_buttons(self, self.tr("&Close case"), self.tr("Close the case")))

    def choice(self) -> tuple[str, date]:
        return str(self.reason.currentData()), from_qdate(self.closed_on.date())


def ask_about_open_follow_ups(parent: QWidget, follow_ups: list[FollowUpSummary]) -> str | None:
    """Ask what to do with the follow-ups still open: "cancel", "keep", or None (don't close)."""
    lines = "\n".join(
        "• "
        + parent.tr("{day}: {what} ({who})").format(
            day=day_text(f.due_on),
            what=f.purpose or parent.tr("Follow-up"),
            who=f.responsible_name or parent.tr("nobody named"),
        )
        for f in follow_ups
    )
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(parent.tr("Follow-ups are still open"))
    box.setAccessibleName(box.windowTitle())
    box.setText(
        parent.tr(
            "These follow-ups are still open on this case:\n\n{lines}\n\n"
            "Cancel them, keep them open (they still show as due), or leave the case open?"
        ).format(lines=lines)
    )
    cancel = box.addButton(parent.tr("Cancel &them and close"), QMessageBox.ButtonRole.YesRole)
    cancel.setObjectName("cancel_follow_ups")
    cancel.setAccessibleName(parent.tr("Cancel the follow-ups and close the case"))
    keep = box.addButton(parent.tr("&Keep them and close"), QMessageBox.ButtonRole.NoRole)
    keep.setObjectName("keep_follow_ups")
    keep.setAccessibleName(parent.tr("Keep the follow-ups open and close the case"))
    stay = box.addButton(parent.tr("&Don't close"), QMessageBox.ButtonRole.RejectRole)
    stay.setObjectName("dont_close")
    stay.setAccessibleName(parent.tr("Don't close the case"))
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)
    box.exec()
    clicked = box.clickedButton()
    if clicked is cancel:
        return "cancel"
    if clicked is keep:
        return "keep"
    return None


class ContactDialog(QDialog):
    """One contact with a family: when, with whom, how, and what came of it."""

    def __init__(
        self,
        now: datetime,
        people: list[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Log a family contact"))
        self.setAccessibleName(self.windowTitle())
        default_size(self, 520, 300)
        self._zone = now.tzinfo
        start = QDateTime(to_qdate(now.date()), QTime(now.hour, now.minute))
        self.when = QDateTimeEdit(start, self)
        self.when.setCalendarPopup(True)
        format_edit(self.when)
        self.when.setAccessibleName(self.tr("When the contact happened"))
        self.who = QComboBox(self)
        self.who.setAccessibleName(self.tr("Who was contacted"))
        self.who.addItem(self.tr("Someone not listed"), None)
        for person_id, label in people:
            self.who.addItem(label, person_id)
        self.how = QComboBox(self)
        self.how.setAccessibleName(self.tr("How"))
        for value, label in contact_method_choices():
            self.how.addItem(label, value)
        self.outcome = QLineEdit(self)
        self.outcome.setAccessibleName(self.tr("Outcome"))
        self.outcome.setPlaceholderText(self.tr("e.g. Mother agreed to come on Thursday"))
        self.staff = QLineEdit(self)
        self.staff.setAccessibleName(self.tr("Staff member who made the contact"))
        form = QFormLayout()
        form_row(form, self, self.tr("&When"), self.when)
        form_row(form, self, self.tr("&Who"), self.who)
        form_row(form, self, self.tr("&How"), self.how)
        form_row(form, self, self.tr("&Outcome"), self.outcome)
        form_row(form, self, self.tr("&Staff"), self.staff)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(dialog_buttons(self, self.tr("&Log contact"), self.tr("Log the contact")))

    def values(self) -> tuple[datetime, int | None, str, str, str]:
        moment = self.when.dateTime()
        day, clock = moment.date(), moment.time()
        when = datetime(
            day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=self._zone
        )
        person = self.who.currentData()
        return (
            when,
            int(person) if person is not None else None,
            str(self.how.currentData()),
            self.outcome.text(),
            self.staff.text(),
        )


class FollowUpDialog(QDialog):
    """A follow-up to add: the date, the responsible adult, and what it is for."""

    def __init__(self, people: PeopleService, due: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people = people
        self.responsible: PersonRow | None = None
        self.setWindowTitle(self.tr("Add a follow-up"))
        self.setAccessibleName(self.windowTitle())
        self.due_on = QDateEdit(to_qdate(due), self)
        self.due_on.setCalendarPopup(True)
        self.due_on.setAccessibleName(self.tr("Due date"))
        self.who = QLabel(self.tr("Nobody chosen yet"), self)
        self.who.setAccessibleName(self.tr("Responsible adult"))
        self.choose = QPushButton(self.tr("C&hoose…"), self)
        self.choose.setAccessibleName(self.tr("Choose the responsible adult"))
        self.purpose = QLineEdit(self)
        self.purpose.setAccessibleName(self.tr("What the follow-up is for"))
        self.purpose.setPlaceholderText(self.tr("e.g. Check in with both students"))
        self.purpose.setMinimumWidth(360)
        self.problem = message_label(self, self.tr("Problem with the follow-up"))
        who_row = QHBoxLayout()
        who_row.addWidget(self.who, 1)
        who_row.addWidget(self.choose)
        form = QFormLayout()
        form_row(form, self, self.tr("&Due"), self.due_on)
        form.addRow(self.tr("Responsible adult"), who_row)
        form_row(form, self, self.tr("&Purpose"), self.purpose)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(
            dialog_buttons(self, self.tr("&Add follow-up"), self.tr("Add the follow-up"))
        )
        self.choose.clicked.connect(self.choose_person)
        self.choose.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose_person(self) -> None:
        dialog = PersonPickerDialog(
            self.people, self.tr("Who does the follow-up?"), self, adults_only=True
        )
        if dialog.exec() and dialog.chosen is not None:
            self.responsible = dialog.chosen
            self.who.setText(dialog.chosen.display_name)

    def accept(self) -> None:
        if self.responsible is None:
            show_message(
                self.problem, self.tr("Choose the adult who will do the follow-up."), problem=True
            )
            return
        super().accept()

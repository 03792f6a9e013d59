"""Labels, dates, the clock and problem messages shared by the Today, Cases and Search screens."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from circlekeeper.core.domain.enums import (
    CaseStatus,
    ClosureReason,
    ContactMethod,
    Diversion,
    FollowUpStatus,
    ReferralSource,
    Role,
)
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.circles.labels import role_word

log = logging.getLogger(__name__)

# What a service call may raise that a person should see in words; anything else is a bug.
# The one list for every screen: storage errors reach the screens as DatabaseProblem.
PROBLEMS = (InvalidInput, NotFound, DatabaseProblem)

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """This computer's local time, time-zone aware (the default clock of the screens)."""
    return datetime.now().astimezone()


def _tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def problem_text(problem: Exception) -> str:
    """What went wrong, in words a counselor can act on (the details are in the log).

    The one copy for every screen: the core already words its problems (a storage error
    arrives as :class:`DatabaseProblem`, logged where it happened).
    """
    text = str(problem).strip()
    if text:
        return text
    if isinstance(problem, DatabaseProblem):
        return _tr(
            "Problems",
            "The records could not be read or saved just now. Nothing already saved was lost. "
            "Try again; if it keeps happening, restart circlekeeper.",
        )
    log.error("A problem without words: %s", type(problem).__name__)
    return _tr("Problems", "That did not work. Nothing already saved was lost; try again.")


def clearable(field: QLineEdit) -> None:
    """Give a line edit its clear button, named for screen readers."""
    field.setClearButtonEnabled(True)
    for button in field.findChildren(QToolButton):
        button.setAccessibleName(QCoreApplication.translate("Search", "Clear the text"))


def dialog_buttons(dialog: QDialog, ok: str, ok_name: str) -> QDialogButtonBox:
    """OK (named for a screen reader, the default) and Cancel, wired to accept and reject."""
    buttons = QDialogButtonBox(dialog)
    accept = buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
    accept.setAccessibleName(ok_name)
    accept.setDefault(True)
    cancel = buttons.addButton(dialog.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
    cancel.setAccessibleName(dialog.tr("Cancel"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def form_row(form: QFormLayout, parent: QWidget, text: str, field: QWidget) -> None:
    """A form row whose label is the field's buddy, so its Alt key moves to the field."""
    label = QLabel(text, parent)
    label.setBuddy(field)
    form.addRow(label, field)


def caption_grid(
    parent: QWidget, pairs: tuple[tuple[str, QWidget], ...], columns: int
) -> QGridLayout:
    """Fields laid out ``columns`` to a line, each under its caption (the field's buddy)."""
    grid = QGridLayout()
    for index, (text, field) in enumerate(pairs):
        caption = QLabel(text, parent)
        caption.setBuddy(field)
        grid.addWidget(caption, index // columns * 2, index % columns)
        grid.addWidget(field, index // columns * 2 + 1, index % columns)
    return grid


def message_label(parent: QWidget, name: str) -> QLabel:
    """An inline line for results and problems, read out by screen readers when it changes."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.hide()
    return label


def show_message(label: QLabel, text: str, *, problem: bool = False) -> None:
    """Show a result or a problem inline; problems start with a sign, not only a colour."""
    if not text:
        label.clear()
        label.hide()
        return
    label.setText(("⚠ " + text) if problem else text)
    label.setAccessibleDescription(text)
    label.setStyleSheet("font-weight: bold;" if problem else "")
    label.show()


def status_choices() -> list[tuple[str, str]]:
    labels = {
        CaseStatus.REFERRED: _tr("CaseStatus", "Referred"),
        CaseStatus.SCREENED: _tr("CaseStatus", "Screened"),
        CaseStatus.PREPARING: _tr("CaseStatus", "Preparing"),
        CaseStatus.HELD: _tr("CaseStatus", "Conference held"),
        CaseStatus.MONITORING: _tr("CaseStatus", "Monitoring"),
        CaseStatus.CLOSED: _tr("CaseStatus", "Closed"),
    }
    return [(s.value, labels[s]) for s in CaseStatus]


def status_label(status: str | None) -> str:
    return dict(status_choices()).get(status or "", (status or "").replace("_", " "))


def closure_choices() -> list[tuple[str, str]]:
    labels = {
        ClosureReason.COMPLETED: _tr("ClosureReason", "Completed"),
        ClosureReason.PARTIALLY_COMPLETED: _tr("ClosureReason", "Partially completed"),
        ClosureReason.DECLINED: _tr("ClosureReason", "Declined"),
        ClosureReason.NOT_RESTORABLE: _tr("ClosureReason", "Not restorable"),
        ClosureReason.NOT_COMPLETED: _tr("ClosureReason", "Not completed"),
        ClosureReason.HANDED_OFF: _tr("ClosureReason", "Handed off"),
    }
    return [(r.value, labels[r]) for r in ClosureReason]


def closure_label(reason: str | None) -> str:
    return dict(closure_choices()).get(reason or "", (reason or "").replace("_", " "))


def source_choices() -> list[tuple[str, str]]:
    labels = {
        ReferralSource.TEACHER: _tr("ReferralSource", "Teacher"),
        ReferralSource.ADMINISTRATOR: _tr("ReferralSource", "Administrator"),
        ReferralSource.SRO: _tr("ReferralSource", "School resource officer (SRO)"),
        ReferralSource.COUNSELOR: _tr("ReferralSource", "Counselor"),
        ReferralSource.PARENT: _tr("ReferralSource", "Parent or guardian"),
        ReferralSource.STUDENT: _tr("ReferralSource", "The student"),
        ReferralSource.OTHER: _tr("ReferralSource", "Someone else"),
    }
    return [(s.value, labels[s]) for s in ReferralSource]


def source_label(source: str) -> str:
    return dict(source_choices()).get(source, source)


def diversion_choices() -> list[tuple[str, str]]:
    labels = {
        Diversion.NONE: _tr("Diversion", "Nothing (not a diversion)"),
        Diversion.SUSPENSION: _tr("Diversion", "Suspension"),
        Diversion.EXPULSION: _tr("Diversion", "Expulsion"),
        Diversion.CITATION: _tr("Diversion", "Citation"),
        Diversion.ARREST: _tr("Diversion", "Arrest"),
    }
    return [(d.value, labels[d]) for d in Diversion]


def diversion_label(value: str) -> str:
    return dict(diversion_choices()).get(value, value)


def contact_method_choices() -> list[tuple[str, str]]:
    labels = {
        ContactMethod.PHONE: _tr("ContactMethod", "Phone call"),
        ContactMethod.MEETING: _tr("ContactMethod", "Meeting"),
        ContactMethod.LETTER: _tr("ContactMethod", "Letter"),
        ContactMethod.EMAIL: _tr("ContactMethod", "Email"),
        ContactMethod.OTHER: _tr("ContactMethod", "Other"),
    }
    return [(m.value, labels[m]) for m in ContactMethod]


def contact_method_label(value: str) -> str:
    return dict(contact_method_choices()).get(value, value)


def case_role_choices() -> list[tuple[str, str]]:
    """(stored value, label) for the roles a person can have in a case, most common first."""
    labels = {
        Role.RESPONSIBLE: _tr("Role", "Person responsible"),
        Role.HARMED: _tr("Role", "Harmed person"),
        Role.HARMED_AND_RESPONSIBLE: _tr("Role", "Both harmed and responsible"),
        Role.SUPPORTER: _tr("Role", "Supporter"),
        Role.GUARDIAN: _tr("Role", "Parent or guardian"),
        Role.COMMUNITY: _tr("Role", "Community member / affected other"),
        Role.ADMINISTRATOR: _tr("Role", "Administrator"),
        Role.OBSERVER: _tr("Role", "Observer"),
    }
    return [(role.value, text) for role, text in labels.items()]


def role_label(role: str | None) -> str:
    return dict(case_role_choices()).get(role or "", (role or "").replace("_", " "))


def parties_text(parties: Sequence[tuple[str, str]]) -> str:
    """A case's people on one line: "Ana Ruiz (responsible), Ben Lee (harmed)"."""
    return ", ".join(
        _tr("RoleWord", "{name} ({role})").format(name=name, role=role_word(role))
        for name, role in parties
    )


def follow_up_status_label(status: str) -> str:
    labels = {
        FollowUpStatus.OPEN: _tr("FollowUpStatus", "Open"),
        FollowUpStatus.DONE: _tr("FollowUpStatus", "Done"),
        FollowUpStatus.MISSED: _tr("FollowUpStatus", "Missed"),
        FollowUpStatus.CANCELLED: _tr("FollowUpStatus", "Cancelled"),
    }
    return str(labels.get(status, status))  # type: ignore[call-overload]


def circle_status_label(status: str) -> str:
    labels = {
        "planned": _tr("CircleStatus", "Planned"),
        "in_progress": _tr("CircleStatus", "Running (interrupted?)"),
        "completed": _tr("CircleStatus", "Held"),
        "cancelled": _tr("CircleStatus", "Cancelled"),
    }
    return labels.get(status, status.replace("_", " "))


def agreement_status_label(status: str) -> str:
    labels = {
        "draft": _tr("AgreementStatus", "Draft"),
        "active": _tr("AgreementStatus", "In force"),
        "completed": _tr("AgreementStatus", "Completed"),
        "partially_completed": _tr("AgreementStatus", "Partially completed"),
        "not_completed": _tr("AgreementStatus", "Not completed"),
        "superseded": _tr("AgreementStatus", "Replaced by a newer version"),
    }
    return labels.get(status, status.replace("_", " "))


def inert_item_flags() -> Qt.ItemFlag:
    """Flags for a list line that is read, not chosen (a heading, "nothing here")."""
    return Qt.ItemFlag.ItemIsEnabled


def circle_kind_label(kind: str) -> str:
    try:
        from circlekeeper.ui.circles.labels import kind_label
    except ImportError:  # the circles screens are optional here
        return kind.replace("_", " ").capitalize()
    return kind_label(kind)


def day_text(value: date | None) -> str:
    """A date as people read it ("Nov 23, 2026" / "23 nov 2026"), or an empty string."""
    from circlekeeper.ui.locale import date_text

    return date_text(value)


def long_day_text(value: date) -> str:
    from circlekeeper.ui.locale import long_date_text

    return long_date_text(value)


def time_text(value: datetime) -> str:
    from circlekeeper.ui.locale import time_text as written

    return written(value)


def days_overdue_text(days: int) -> str:
    if days == 1:
        return _tr("FollowUp", "1 day overdue")
    return _tr("FollowUp", "{n} days overdue").format(n=days)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())

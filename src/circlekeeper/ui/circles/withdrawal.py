"""Recording that a person's consent to a circle was withdrawn: the date, and who withdrew it.

The rule (a withdrawal is no consent, so a circle that deals with harm cannot start) is the
core's (``CirclePlanner.withdraw_consent`` and ``domain/eligibility.assess``); this window only
asks the two facts.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.circles.rows import ParticipantRow
from circlekeeper.ui.locale import format_edit
from circlekeeper.ui.style import note


class WithdrawConsentDialog(QDialog):
    """Ask when consent was withdrawn (today unless changed) and, optionally, by whom."""

    def __init__(self, row: ParticipantRow, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = self.tr("Consent withdrawn")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.when = QDateEdit(self)
        format_edit(self.when)
        self.when.setCalendarPopup(True)
        self.when.setMaximumDate(QDate(today.year, today.month, today.day))
        self.when.setDate(QDate(today.year, today.month, today.day))
        self.when.setAccessibleName(self.tr("Date consent was withdrawn"))
        self.who = QComboBox(self)
        self.who.setAccessibleName(self.tr("Who withdrew consent"))
        self.who.addItem(self.tr("Not said"), None)
        self.who.addItem(
            self.tr("{name}, the person taking part").format(name=row.name), "participant"
        )
        if row.minor:
            self.who.addItem(self.tr("Their parent or guardian"), "guardian")
        when_label = QLabel(self.tr("&Date:"), self)
        when_label.setBuddy(self.when)
        who_label = QLabel(self.tr("&Withdrawn by:"), self)
        who_label.setBuddy(self.who)
        form = QFormLayout()
        form.addRow(when_label, self.when)
        form.addRow(who_label, self.who)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        for which, name in (
            (QDialogButtonBox.StandardButton.Ok, self.tr("Record the withdrawal")),
            (QDialogButtonBox.StandardButton.Cancel, self.tr("Cancel")),
        ):
            button = buttons.button(which)
            if button is not None:
                button.setAccessibleName(name)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            note(
                self.tr(
                    "{name} will not take part unless consent is recorded again: the circle "
                    "cannot start while this stands. Tick their consent again when it is given."
                ).format(name=row.name),
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.when.setFocus()

    def answer(self) -> tuple[dt.date, str | None]:
        """The date chosen and who withdrew (``participant``, ``guardian`` or None)."""
        day = self.when.date()
        return dt.date(day.year(), day.month(), day.day()), self.who.currentData()

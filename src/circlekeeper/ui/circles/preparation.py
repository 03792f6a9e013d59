"""Conference preparation: a checklist per participant and the eligibility screen.

Every tick is saved when it is made; the readiness list elsewhere explains what is missing.
The screen is the case's own (the same form and the same stored answers as the case page);
only a conference without a case keeps a screen of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.eligibility import EligibilityService, Screen
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import KEEPER_ROLES, ParticipantRow
from circlekeeper.core.domain.enums import Role
from circlekeeper.ui.circles.participants import participant_role_text
from circlekeeper.ui.circles.problems import PROBLEMS
from circlekeeper.ui.circles.withdrawal import WithdrawConsentDialog
from circlekeeper.ui.eligibility import EligibilityForm
from circlekeeper.ui.locale import date_text
from circlekeeper.ui.style import heading, note


class PreparationPanel(QWidget):
    """What the facilitator has done to prepare each person, and whether the case can come to
    a conference at all. ``changed`` is emitted after each saved tick or withdrawal;
    ``form_requested`` when the keeper asks for the consent form."""

    changed = Signal()
    form_requested = Signal()
    # A withdrawal recorded or ended: the rows change shape, so the window reloads them.
    withdrawals_changed = Signal()

    def __init__(
        self,
        planner: CirclePlanner,
        screens: EligibilityService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.planner = planner
        self.screens = screens
        self.circle_id: int | None = None
        self.error: Callable[[Exception], None] = lambda exc: None
        self.boxes: dict[tuple[int, str], QCheckBox] = {}
        self.withdraw_buttons: dict[int, QPushButton] = {}
        self.withdrawn_labels: dict[int, QLabel] = {}
        self.rows: dict[int, ParticipantRow] = {}
        self._editable = True
        # The window asking a withdrawal's date and who withdrew (replaceable in tests).
        self.ask_withdrawal: Callable[[ParticipantRow], tuple[dt.date, str | None] | None] = (
            self._ask_withdrawal
        )

        # The checklist and the screen scroll together, so neither is squeezed on a small
        # laptop screen however many people are invited.
        body = QWidget(self)
        self.checklist = QWidget(body)
        self.grid = QGridLayout(self.checklist)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(8)
        self.grid.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.screen_box = QGroupBox(self.tr("Eligibility screen"), body)
        self.screen_box.setAccessibleName(self.tr("Eligibility screen"))
        self.whose = note("", self.screen_box)
        self.form = EligibilityForm(self.screen_box)
        screen_layout = QVBoxLayout(self.screen_box)
        screen_layout.addWidget(self.whose)
        screen_layout.addWidget(self.form)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.checklist)
        body_layout.addWidget(self.screen_box)
        body_layout.addStretch(1)

        self.form_button = QPushButton(self.tr("Consent form…"), self)
        self.form_button.setAccessibleName(self.tr("Print the consent form"))
        self.form_button.setToolTip(
            self.tr("A form for each person to sign, with a guardian's line for a minor")
        )
        self.form_button.clicked.connect(self.form_requested)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Preparation with each person"), self, level=2), 1)
        top.addWidget(self.form_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(
            note(
                self.tr(
                    "Meet each person before the circle, record their agreement to take "
                    "part, and a guardian's consent for anyone under 18. Consent can be "
                    "withdrawn at any time: record it with its date, and tick consent again "
                    "if it is given again."
                ),
                self,
            )
        )
        layout.addWidget(scroll, 1)

        self.form.edited.connect(self._save_screen)
        self._loading = False

    def load(self, circle_id: int, rows: list[ParticipantRow], screen: Screen) -> None:
        self._loading = True
        self.circle_id = circle_id
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.boxes.clear()
        self.withdraw_buttons.clear()
        self.withdrawn_labels.clear()
        self.rows = {r.id: r for r in rows}
        headers = (
            self.tr("Person"),
            self.tr("Pre-meeting\nheld"),
            self.tr("Agreed to\ntake part"),
            self.tr("Guardian\nconsent"),
            self.tr("Consent\nwithdrawn"),
        )
        for column, text in enumerate(headers):
            label = QLabel(text, self.checklist)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            label.setAccessibleName(text.replace("\n", " "))
            self.grid.addWidget(label, 0, column)
        prepared = [r for r in rows if r.role not in KEEPER_ROLES and r.role != Role.OBSERVER.value]
        if not prepared:
            empty = QLabel(self.tr("Invite the people taking part to see their checklist."))
            empty.setWordWrap(True)
            self.grid.addWidget(empty, 1, 0, 1, 5)
        for line, row in enumerate(prepared, start=1):
            who = QLabel(
                f"{row.name}<br><small>{participant_role_text(row, rows)}</small>",
                self.checklist,
            )
            who.setAccessibleName(row.name)
            self.grid.addWidget(who, line, 0)
            items = [
                ("pre_meeting_held", self.tr("Pre-meeting held with {name}"), row.pre_meeting_held),
                ("consent", self.tr("{name} agreed to take part"), row.consent),
            ]
            if row.minor:
                items.append(
                    (
                        "guardian_consent",
                        self.tr("Guardian consent recorded for {name}"),
                        bool(row.guardian_consent),
                    )
                )
            for column, (field, name, value) in enumerate(items, start=1):
                box = QCheckBox(self.tr("Yes"), self.checklist)
                box.setChecked(value)
                box.setAccessibleName(name.format(name=row.name))
                box.toggled.connect(
                    lambda checked, pid=row.id, f=field: self._save_item(pid, f, checked)
                )
                self.grid.addWidget(box, line, column)
                self.boxes[(row.id, field)] = box
            if not row.minor:
                adult = QLabel(self.tr("not needed"), self.checklist)
                adult.setEnabled(False)
                adult.setToolTip(self.tr("{name} is an adult.").format(name=row.name))
                self.grid.addWidget(adult, line, 3)
            self._show_withdrawal(row, line)
        self.grid.setRowStretch(len(prepared) + 2, 1)
        self.grid.setColumnStretch(0, 1)
        self._show_screen(screen)
        self._loading = False

    def _show_withdrawal(self, row: ParticipantRow, line: int) -> None:
        if row.consent_withdrawn_on is not None:
            when = date_text(row.consent_withdrawn_on)
            if row.consent_withdrawn_by == "guardian":
                text = self.tr("{date}, by a guardian").format(date=when)
            elif row.consent_withdrawn_by == "participant":
                text = self.tr("{date}, by {name}").format(date=when, name=row.name)
            else:
                text = when
            label = QLabel(f"⚠ {text}", self.checklist)
            label.setWordWrap(True)
            label.setAccessibleName(
                self.tr("Consent for {name} withdrawn on {date}").format(name=row.name, date=when)
            )
            label.setToolTip(self.tr("The circle cannot start until consent is recorded again."))
            self.grid.addWidget(label, line, 4)
            self.withdrawn_labels[row.id] = label
            return
        button = QPushButton(self.tr("Withdrawn…"), self.checklist)
        button.setAccessibleName(
            self.tr("Record that {name} withdrew consent").format(name=row.name)
        )
        button.setEnabled(self._editable)
        button.clicked.connect(lambda _checked=False, pid=row.id: self.withdraw(pid))
        self.grid.addWidget(button, line, 4)
        self.withdraw_buttons[row.id] = button

    def set_editable(self, editable: bool) -> None:
        """Withdrawals can be recorded until the circle is over."""
        self._editable = editable
        for button in self.withdraw_buttons.values():
            button.setEnabled(editable)

    def withdraw(self, participant_id: int) -> bool:
        """Ask the date and who withdrew, then record the withdrawal (True when recorded)."""
        row = self.rows.get(participant_id)
        if row is None:
            return False
        answer = self.ask_withdrawal(row)
        if answer is None:
            return False
        on, by = answer
        try:
            self.planner.withdraw_consent(participant_id, on, by)
        except PROBLEMS as exc:
            self.error(exc)
            return False
        self.changed.emit()
        self.withdrawals_changed.emit()
        return True

    def _ask_withdrawal(self, row: ParticipantRow) -> tuple[dt.date, str | None] | None:
        dialog = WithdrawConsentDialog(row, dt.date.today(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

    def _show_screen(self, screen: Screen) -> None:
        self.form.show_screen(screen)
        if screen.case_id is not None:
            self.whose.setText(
                self.tr(
                    "The screen of case {number}: the case page shows and saves these same answers."
                ).format(number=screen.case_id)
            )
        else:
            self.whose.setText(self.tr("This circle has no case; its screen is kept here."))
        self.whose.setAccessibleName(self.whose.text())

    def _save_item(self, participant_id: int, field: str, value: bool) -> None:
        if self._loading:
            return
        try:
            row = self.planner.set_preparation(participant_id, **{field: value})
        except PROBLEMS as exc:
            self.error(exc)
            return
        self.changed.emit()
        before = self.rows.get(participant_id)
        if before is not None and before.withdrawn and not row.withdrawn:
            self.withdrawals_changed.emit()  # consent given again: the withdrawal is over

    def _save_screen(self) -> None:
        if self._loading or self.circle_id is None:
            return
        try:
            screen = self.screens.record_for_circle(
                self.circle_id, self.form.answers(), loaded=self.form.loaded
            )
        except PROBLEMS as exc:
            self.error(exc)
            self._reload_screen()  # show what is stored, not the answer that was refused
            return
        self._show_screen(screen)
        self.changed.emit()

    def _reload_screen(self) -> None:
        if self.circle_id is None:
            return
        try:
            screen = self.screens.for_circle(self.circle_id)
        except PROBLEMS:
            return
        self._loading = True
        try:
            self._show_screen(screen)
        finally:
            self._loading = False

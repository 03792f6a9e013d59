"""The case page's hand-offs: hand a case to BTAM, Title IX, child protection, mental health or
the police, bring it back (with a re-entry circle), and open a student's record of disclosures.

Every rule (what a hand-off needs, who sees what was shared) lives in
:mod:`circlekeeper.core.cases.handoffs`; this module only asks and shows.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.handoffs import HandOffData, HandOffRow, HandOffService
from circlekeeper.core.cases.rows import CaseDetail
from circlekeeper.core.domain.handoffs import (
    BASIS_LABELS,
    HAND_OFF_LABELS,
    basis_label,
    hand_off_label,
)
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    day_text,
    dialog_buttons,
    form_row,
    from_qdate,
    inert_item_flags,
    message_label,
    problem_text,
    show_message,
    to_qdate,
)
from circlekeeper.ui.locale import language
from circlekeeper.ui.style import heading, note


class HandOffDialog(QDialog):
    """Where the case goes, who received it, when, what was shared and why; saved on OK, and
    kept open with the reason when core refuses (nothing saved)."""

    def __init__(
        self, service: HandOffService, case_id: int, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.case_id = case_id
        self.saved: HandOffRow | None = None
        self.setWindowTitle(self.tr("Hand the case off"))
        self.setAccessibleName(self.windowTitle())
        self.handed_to = QComboBox(self)
        self.handed_to.setAccessibleName(self.tr("Handed to"))
        spanish = language() == "es"  # the domain keeps both languages' words
        for value, (english, in_spanish) in HAND_OFF_LABELS.items():
            self.handed_to.addItem(in_spanish if spanish else english, value.value)
        self.recipient = QLineEdit(self)
        self.recipient.setAccessibleName(self.tr("Who received it"))
        self.recipient.setPlaceholderText(self.tr("Name and role, e.g. Ms. Patel, team lead"))
        self.handed_on = QDateEdit(to_qdate(today), self)
        self.handed_on.setCalendarPopup(True)
        self.handed_on.setAccessibleName(self.tr("Date handed off"))
        self.shared = QPlainTextEdit(self)
        self.shared.setTabChangesFocus(True)
        self.shared.setAccessibleName(self.tr("What was shared"))
        self.shared.setPlaceholderText(self.tr("e.g. the referral and the incident date"))
        self.shared.setFixedHeight(70)
        self.basis = QComboBox(self)
        self.basis.setAccessibleName(self.tr("FERPA basis for sharing"))
        self.basis.addItem(self.tr("Choose the basis…"), "")
        for basis, (words, in_spanish) in BASIS_LABELS.items():
            self.basis.addItem(in_spanish if spanish else words, basis.value)
        self.threat = QPlainTextEdit(self)
        self.threat.setTabChangesFocus(True)
        self.threat.setAccessibleName(self.tr("The threat (for a health or safety emergency)"))
        self.threat.setFixedHeight(50)
        self.problem = message_label(self, self.tr("Hand-off problem"))
        form = QFormLayout()
        form_row(form, self, self.tr("Handed &to"), self.handed_to)
        form_row(form, self, self.tr("&Received by"), self.recipient)
        form_row(form, self, self.tr("&On"), self.handed_on)
        form_row(form, self, self.tr("What was &shared"), self.shared)
        form_row(form, self, self.tr("FERPA &basis"), self.basis)
        form_row(form, self, self.tr("T&hreat (emergency)"), self.threat)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self, level=2))
        layout.addWidget(
            note(
                self.tr(
                    "Each student in the case gets a line in their record of disclosures, "
                    "which their family may ask to see."
                ),
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(dialog_buttons(self, self.tr("&Hand off"), self.tr("Save the hand-off")))
        self.resize(560, self.sizeHint().height())

    def data(self) -> HandOffData:
        return HandOffData(
            handed_to=str(self.handed_to.currentData()),
            recipient=self.recipient.text(),
            handed_on=from_qdate(self.handed_on.date()),
            shared=self.shared.toPlainText(),
            basis=str(self.basis.currentData() or ""),
            threat=self.threat.toPlainText() or None,
        )

    def accept(self) -> None:
        try:
            self.saved = self.service.hand_off(self.data(), case_id=self.case_id)
        except PROBLEMS as problem:
            show_message(self.problem, problem_text(problem), problem=True)
            return
        super().accept()


class BringBackDialog(QDialog):
    """The hand-off comes back: when, a short note, and (checked by default) a re-entry
    circle to plan for the case."""

    def __init__(
        self,
        service: HandOffService,
        hand_off: HandOffRow,
        now: datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.hand_off = hand_off
        self.saved: HandOffRow | None = None
        self.setWindowTitle(self.tr("Bring the case back"))
        self.setAccessibleName(self.windowTitle())
        self.returned_on = QDateEdit(to_qdate(now.date()), self)
        self.returned_on.setCalendarPopup(True)
        self.returned_on.setAccessibleName(self.tr("Date it came back"))
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setAccessibleName(self.tr("Note on the return"))
        self.note.setFixedHeight(60)
        self.reentry = QCheckBox(self.tr("Plan a &re-entry circle"), self)
        self.reentry.setAccessibleName(self.tr("Plan a re-entry circle"))
        self.reentry.setChecked(True)
        start = QDateTime(to_qdate(now.date()).addDays(1), QTime(9, 0))
        self.reentry_at = QDateTimeEdit(start, self)
        self.reentry_at.setCalendarPopup(True)
        self.reentry_at.setAccessibleName(self.tr("When the re-entry circle is held"))
        self.reentry.toggled.connect(self.reentry_at.setEnabled)
        self.problem = message_label(self, self.tr("Return problem"))
        form = QFormLayout()
        form_row(form, self, self.tr("Came back &on"), self.returned_on)
        form_row(form, self, self.tr("&Note"), self.note)
        form.addRow("", self.reentry)
        form_row(form, self, self.tr("Re-entry circle &at"), self.reentry_at)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self, level=2))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(
            dialog_buttons(self, self.tr("&Bring back"), self.tr("Bring the case back"))
        )

    def accept(self) -> None:
        at = None
        if self.reentry.isChecked():
            chosen = self.reentry_at.dateTime().toPython()
            assert isinstance(chosen, datetime)
            at = chosen.astimezone()  # the laptop's own time zone
        try:
            self.saved = self.service.bring_back(
                self.hand_off.id,
                on=from_qdate(self.returned_on.date()),
                note=self.note.toPlainText(),
                reentry_at=at,
            )
        except PROBLEMS as problem:
            show_message(self.problem, problem_text(problem), problem=True)
            return
        super().accept()


class HandOffSection(QGroupBox):
    """The case's hand-offs, newest first, with Hand off…, Bring back… and the record of
    disclosures of a student in the case."""

    saved = Signal()

    def __init__(self, service: HandOffService, clock: object, parent: QWidget | None = None):
        super().__init__(self.tr("Hand-offs"), parent)
        self.service = service
        self.clock = clock
        self.detail: CaseDetail | None = None
        self.rows: list[HandOffRow] = []
        self.setAccessibleName(self.tr("Hand-offs"))
        self.table = QTableWidget(0, 5, self)
        self.table.setAccessibleName(self.tr("Hand-offs of this case"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("On"), self.tr("To"), self.tr("Received by"), self.tr("Basis"),
             self.tr("Back")]
        )  # fmt: skip
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setFixedHeight(110)
        self.hand_off_button = QPushButton(self.tr("Hand &off…"), self)
        self.hand_off_button.setAccessibleName(
            self.tr("Hand the case to BTAM, Title IX, child protection, mental health or police")
        )
        self.back_button = QPushButton(self.tr("Bring bac&k…"), self)
        self.back_button.setAccessibleName(self.tr("Bring the selected hand-off back"))
        self.disclosures_button = QPushButton(self.tr("Record of disclos&ures…"), self)
        self.disclosures_button.setAccessibleName(
            self.tr("A student's record of disclosures, to view or print")
        )
        self.message = message_label(self, self.tr("Hand-off result"))
        buttons = QHBoxLayout()
        for button in (self.hand_off_button, self.back_button, self.disclosures_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.hand_off_button.clicked.connect(self.hand_off)
        self.back_button.clicked.connect(self.bring_back)
        self.disclosures_button.clicked.connect(self.show_disclosures)
        self.table.itemSelectionChanged.connect(self._update)

    def load(self, detail: CaseDetail) -> None:
        self.detail = detail
        try:
            self.rows = self.service.for_case(detail.id)
        except PROBLEMS as problem:
            self.rows = []
            show_message(self.message, problem_text(problem), problem=True)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            back = (
                self.tr("Not yet")
                if row.is_open
                else self.tr("{day}{circle}").format(
                    day=day_text(row.returned_on),
                    circle=self.tr(", re-entry circle planned") if row.reentry_circle_id else "",
                )
            )
            to_words = hand_off_label(row.handed_to, language())
            cells = [day_text(row.handed_on), to_words, row.recipient,
                     basis_label(row.basis, language()), back]  # fmt: skip
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(inert_item_flags())
                if c == 2 and row.shared is not None:
                    item.setToolTip(self.tr("Shared: {what}").format(what=row.shared))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        if self.rows:
            self.table.selectRow(0)
        self.hand_off_button.setEnabled(detail.status != "closed")
        self.disclosures_button.setEnabled(self.service.viewer.can_see_disclosures)
        self._update()

    def selected(self) -> HandOffRow | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def _update(self) -> None:
        chosen = self.selected()
        self.back_button.setEnabled(chosen is not None and chosen.is_open)

    def _now(self) -> datetime:
        return self.clock()  # type: ignore[operator, no-any-return]

    def hand_off(self) -> HandOffDialog | None:
        if self.detail is None:
            return None
        self.dialog = HandOffDialog(self.service, self.detail.id, self._now().date(), self)
        self.dialog.accepted.connect(
            lambda: self._after(self.tr("Handed off; written in the record of disclosures."))
        )
        self.dialog.open()
        return self.dialog

    def bring_back(self) -> BringBackDialog | None:
        chosen = self.selected()
        if chosen is None or not chosen.is_open:
            return None
        self.dialog_back = BringBackDialog(self.service, chosen, self._now(), self)
        self.dialog_back.accepted.connect(self._brought_back)
        self.dialog_back.open()
        return self.dialog_back

    def _brought_back(self) -> None:
        saved = self.dialog_back.saved
        if saved is not None and saved.reentry_circle_id:
            self._after(self.tr("Back from the hand-off; a re-entry circle is planned."))
        else:
            self._after(self.tr("Back from the hand-off."))

    def show_disclosures(self) -> QDialog | None:
        from circlekeeper.ui.disclosures import DisclosuresDialog

        if self.detail is None:
            return None
        try:
            students = self.service.students(self.detail.id)
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return None
        self.disclosures = DisclosuresDialog(self.service, students, self)
        self.disclosures.open()
        return self.disclosures

    def _after(self, text: str) -> None:
        show_message(self.message, text)
        self.saved.emit()

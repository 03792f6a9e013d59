"""Parts of the case page that edit one thing each: the eligibility screen and the diversion."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.eligibility import EligibilityService
from circlekeeper.core.cases.rows import CaseAction, CaseDetail
from circlekeeper.core.domain.enums import Diversion
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    diversion_choices,
    message_label,
    problem_text,
    show_message,
)
from circlekeeper.ui.eligibility import EligibilityForm


class EligibilitySection(QGroupBox):
    """The case's eligibility screen (the same form a conference's preparation shows), saved
    with a button; the verdict in plain words comes from core."""

    saved = Signal()

    def __init__(self, screens: EligibilityService, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Eligibility screen"), parent)
        self.screens = screens
        self.case_id: int | None = None
        self.setAccessibleName(self.tr("Eligibility screen"))
        self.form = EligibilityForm(self)
        self.save_button = QPushButton(self.tr("Save the &screen"), self)
        self.save_button.setAccessibleName(self.tr("Save the eligibility screen"))
        self.message = message_label(self, self.tr("Eligibility screen problem"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.save_button.clicked.connect(self.save)

    @property
    def problems(self) -> QLabel:
        return self.form.problems

    def load(self, detail: CaseDetail) -> None:
        self.case_id = detail.id
        self.form.show_screen(detail.screen)
        closed = detail.status == "closed"
        self.form.set_editable(not closed)
        self.save_button.setEnabled(not closed)
        show_message(self.message, "")

    def save(self) -> None:
        if self.case_id is None:
            return
        try:
            screen = self.screens.record_for_case(
                self.case_id, self.form.answers(), loaded=self.form.loaded
            )
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        self.form.show_screen(screen)
        self.saved.emit()


class DiversionSection(QGroupBox):
    """Which consequence the restorative route replaced, how much, and whether it came back."""

    saved = Signal()

    def __init__(self, cases: CaseService, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Diversion"), parent)
        self.cases = cases
        self.case_id: int | None = None
        self.version: int | None = None
        self.may_divert = True
        self.setAccessibleName(self.tr("Diversion"))
        self.diverted_from = QComboBox(self)
        self.diverted_from.setAccessibleName(self.tr("Consequence replaced"))
        for value, label in diversion_choices():
            self.diverted_from.addItem(label, value)
        self.amount = QSpinBox(self)
        self.amount.setRange(0, 365)
        self.amount.setSpecialValueText(self.tr("Not counted"))
        self.amount.setSuffix(self.tr(" days"))
        self.amount.setAccessibleName(self.tr("Days of suspension or expulsion avoided"))
        self.reinstated = QCheckBox(self.tr("The original consequence was &reinstated"), self)
        self.reinstated.setAccessibleName(self.tr("The original consequence was reinstated"))
        self.save_button = QPushButton(self.tr("Save &diversion"), self)
        self.save_button.setAccessibleName(self.tr("Save the diversion"))
        self.message = message_label(self, self.tr("Diversion result"))
        self.decided_by = QLabel(self.tr("Recorded by a counselor or an administrator."), self)
        self.decided_by.setWordWrap(True)
        self.decided_by.setAccessibleName(self.tr("Who records the diversion"))
        form = QFormLayout()
        for words, field in (
            (self.tr("Replaced &consequence"), self.diverted_from),
            (self.tr("Amoun&t"), self.amount),
        ):
            buddy = QLabel(words, self)
            buddy.setBuddy(field)
            form.addRow(buddy, field)
        form.addRow("", self.reinstated)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.decided_by)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.diverted_from.currentIndexChanged.connect(self._update)
        self.save_button.clicked.connect(self.save)

    def load(self, detail: CaseDetail) -> None:
        self.case_id = detail.id
        self.version = detail.row_version  # handed back on Save: a stale save is refused
        self.diverted_from.setCurrentIndex(self.diverted_from.findData(detail.diverted_from))
        self.amount.setValue(detail.diversion_amount or 0)
        self.reinstated.setChecked(detail.consequence_reinstated)
        show_message(self.message, "")
        # Offered only to whoever may decide it (the core says who: see allowed_actions).
        self.may_divert = CaseAction.DIVERT in detail.allowed_actions
        self.save_button.setVisible(self.may_divert)
        self.decided_by.setVisible(not self.may_divert)
        self.diverted_from.setEnabled(self.may_divert)
        self._update()

    def _update(self) -> None:
        diverted = self.diverted_from.currentData() != Diversion.NONE.value
        self.amount.setEnabled(diverted and self.may_divert)
        self.reinstated.setEnabled(diverted and self.may_divert)
        if not diverted:
            self.amount.setValue(0)
            self.reinstated.setChecked(False)

    def save(self) -> None:
        if self.case_id is None:
            return
        try:
            self.version = self.cases.set_diversion(
                self.case_id,
                str(self.diverted_from.currentData()),
                self.amount.value() or None,
                consequence_reinstated=self.reinstated.isChecked(),
                loaded_version=self.version,
            )
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        show_message(self.message, self.tr("Saved."))
        self.saved.emit()

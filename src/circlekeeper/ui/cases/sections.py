"""Parts of the case page that edit one thing each: the eligibility screen and the diversion."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.eligibility import Eligibility
from circlekeeper.core.domain.enums import Diversion
from circlekeeper.core.services.cases import CaseDetail, CaseService
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    diversion_choices,
    message_label,
    problem_text,
    show_message,
)

# (field, label) for the matters that must go elsewhere.
_EXCLUSIONS = (
    ("weapons", "A weapon was involved"),
    ("sexual_harm", "The harm is sexual"),
    ("serious_injury", "Someone was seriously injured"),
    ("credible_threat", "There is a credible threat of harm"),
    ("title_ix", "It is a Title IX matter"),
    ("child_protection", "It must go to child protection"),
    ("police_matter", "It is a police matter"),
)


class EligibilitySection(QGroupBox):
    """The eligibility screen as checkboxes, with the problems it finds in plain words."""

    saved = Signal()

    def __init__(self, cases: CaseService, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Eligibility screen"), parent)
        self.cases = cases
        self.case_id: int | None = None
        self.setAccessibleName(self.tr("Eligibility screen"))
        self.admitted = QCheckBox(self.tr("The responsible person admits their &part"), self)
        self.voluntary = QCheckBox(self.tr("Everyone takes part &voluntarily"), self)
        self.consent = QComboBox(self)
        self.consent.setAccessibleName(self.tr("Guardian consent"))
        self.consent.addItem(self.tr("No minor is involved"), None)
        self.consent.addItem(self.tr("Guardians have consented"), True)
        self.consent.addItem(self.tr("Not yet, or refused"), False)
        self.exclusions: dict[str, QCheckBox] = {}
        for name, text in _EXCLUSIONS:
            box = QCheckBox(self.tr(text), self)
            box.setAccessibleName(self.tr(text))
            self.exclusions[name] = box
        for box in (self.admitted, self.voluntary):
            box.setAccessibleName(box.text().replace("&", ""))
        self.notes = QLineEdit(self)
        self.notes.setAccessibleName(self.tr("Screen notes"))
        self.notes.setPlaceholderText(self.tr("Notes on the screen (optional)"))
        self.save_button = QPushButton(self.tr("Save the &screen"), self)
        self.save_button.setAccessibleName(self.tr("Save the eligibility screen"))
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName(self.tr("What the screen found"))
        self.message = message_label(self, self.tr("Eligibility screen problem"))

        consent_row = QHBoxLayout()
        consent_label = QLabel(self.tr("Guardian &consent"), self)
        consent_label.setBuddy(self.consent)
        consent_row.addWidget(consent_label)
        consent_row.addWidget(self.consent, 1)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Matters that must go elsewhere:"), self), 0, 0, 1, 2)
        for index, box in enumerate(self.exclusions.values()):
            grid.addWidget(box, 1 + index // 2, index % 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.admitted)
        layout.addWidget(self.voluntary)
        layout.addLayout(consent_row)
        layout.addLayout(grid)
        layout.addWidget(self.notes)
        row = QHBoxLayout()
        row.addWidget(self.problems, 1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.save_button.clicked.connect(self.save)

    def load(self, detail: CaseDetail) -> None:
        self.case_id = detail.id
        answers = detail.eligibility or Eligibility()
        self.admitted.setChecked(bool(answers.responsibility_admitted))
        self.voluntary.setChecked(bool(answers.participation_voluntary))
        self.consent.setCurrentIndex(self.consent.findData(answers.guardian_consent))
        for name, box in self.exclusions.items():
            box.setChecked(bool(getattr(answers, name)))
        self.notes.setText(answers.notes)
        self._show_problems(detail.eligibility_problems, detail.eligibility is not None)
        closed = detail.status == "closed"
        for widget in (self.save_button, self.admitted, self.voluntary, self.consent, self.notes):
            widget.setEnabled(not closed)
        show_message(self.message, "")

    def answers(self) -> Eligibility:
        return Eligibility(
            responsibility_admitted=self.admitted.isChecked(),
            participation_voluntary=self.voluntary.isChecked(),
            guardian_consent=self.consent.currentData(),
            notes=self.notes.text().strip(),
            **{name: box.isChecked() for name, box in self.exclusions.items()},
        )

    def save(self) -> None:
        if self.case_id is None:
            return
        try:
            problems = self.cases.record_eligibility(self.case_id, self.answers())
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        self._show_problems(problems, True)
        self.saved.emit()

    def _show_problems(self, problems: list[str], done: bool) -> None:
        if not done:
            text = self.tr("Not screened yet.")
        elif problems:
            text = (
                self.tr("Cannot go to a conference:") + "\n" + "\n".join(f"⚠ {p}" for p in problems)
            )
        else:
            text = self.tr("✓ Eligible for a restorative conference.")
        self.problems.setText(text)
        self.problems.setAccessibleDescription(text)


class DiversionSection(QGroupBox):
    """Which consequence the restorative route replaced, how much, and whether it came back."""

    saved = Signal()

    def __init__(self, cases: CaseService, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Diversion"), parent)
        self.cases = cases
        self.case_id: int | None = None
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
        form = QFormLayout()
        for words, field in (
            (self.tr("Replaced &consequence"), self.diverted_from),
            (self.tr("&Amount"), self.amount),
        ):
            buddy = QLabel(words, self)
            buddy.setBuddy(field)
            form.addRow(buddy, field)
        form.addRow("", self.reinstated)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.diverted_from.currentIndexChanged.connect(self._update)
        self.save_button.clicked.connect(self.save)

    def load(self, detail: CaseDetail) -> None:
        self.case_id = detail.id
        self.diverted_from.setCurrentIndex(self.diverted_from.findData(detail.diverted_from))
        self.amount.setValue(detail.diversion_amount or 0)
        self.reinstated.setChecked(detail.consequence_reinstated)
        show_message(self.message, "")
        self._update()

    def _update(self) -> None:
        diverted = self.diverted_from.currentData() != Diversion.NONE.value
        self.amount.setEnabled(diverted)
        self.reinstated.setEnabled(diverted)
        if not diverted:
            self.amount.setValue(0)
            self.reinstated.setChecked(False)

    def save(self) -> None:
        if self.case_id is None:
            return
        try:
            self.cases.set_diversion(
                self.case_id,
                str(self.diverted_from.currentData()),
                self.amount.value() or None,
                consequence_reinstated=self.reinstated.isChecked(),
            )
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        show_message(self.message, self.tr("Saved."))
        self.saved.emit()

"""The eligibility screen as one form, shown on the case page and in a conference's preparation.

Both places show this same form over the same core screen
(:class:`circlekeeper.core.cases.eligibility.EligibilityService`); the verdict shown is the
one core gives back, never worked out here.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.eligibility import Screen
from circlekeeper.core.domain.eligibility import CONSENTS, STAFF_ONLY, Eligibility


class EligibilityForm(QWidget):
    """The answers of the one eligibility screen; ``edited`` after a person changes one."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loaded = Eligibility()
        self._loading = False
        # Alt keys (m, n, e, j) chosen free on both the case page and the plan dialog.
        unknown, yes, no = self.tr("Not known yet"), self.tr("Yes"), self.tr("No")
        consent_choices = {
            "responsibility_admitted": (
                self.tr("The person responsible ad&mits their part"),
                (unknown, yes, no),
            ),
            "participation_voluntary": (
                self.tr("Everyone takes part volu&ntarily"),
                (unknown, yes, no),
            ),
            "guardian_consent": (
                self.tr("A guardian consents for &each minor"),
                (self.tr("Not recorded yet"), self.tr("Yes, every guardian"), self.tr("Refused")),
            ),
        }
        self.consents: dict[str, QComboBox] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for name, (label, choices) in consent_choices.items():
            combo = QComboBox(self)
            for text, value in zip(choices, (None, True, False), strict=True):
                combo.addItem(text, value)
            combo.setAccessibleName(label.replace("&", ""))
            buddy = QLabel(label, self)
            buddy.setBuddy(combo)
            form.addRow(buddy, combo)
            self.consents[name] = combo
            combo.currentIndexChanged.connect(self._changed)
        exclusion_labels = {
            "weapons": self.tr("A weapon was involved"),
            "sexual_harm": self.tr("The harm is sexual"),
            "serious_injury": self.tr("Someone was seriously injured"),
            "credible_threat": self.tr("There is a credible threat of harm"),
            "title_ix": self.tr("It is a Title IX matter"),
            "child_protection": self.tr("It must go to child protection"),
            "police_matter": self.tr("It is a police matter"),
            "referral_unspecified": self.tr(
                "Title IX, child protection or police (an earlier screen did not say which)"
            ),
        }
        self.exclusions: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.addWidget(
            QLabel(self.tr("Any of these means the case goes elsewhere, not to a conference:")),
            0,
            0,
            1,
            2,
        )
        for index, (name, text) in enumerate(exclusion_labels.items()):
            box = QCheckBox(text, self)
            box.setAccessibleName(text)
            self.exclusions[name] = box
            if name == "referral_unspecified":
                grid.addWidget(box, 1 + (index + 1) // 2, 0, 1, 2)
            else:
                grid.addWidget(box, 1 + index // 2, index % 2)
            box.toggled.connect(self._changed)
        self.halted = QCheckBox(
            self.tr("Halt: I, the facilitator, &judge it is not safe to go ahead"), self
        )
        self.halted.setAccessibleName(
            self.tr("Halt: the facilitator judges it is not safe to go ahead")
        )
        self.halted.toggled.connect(self._changed)
        self.notes = QLineEdit(self)
        self.notes.setAccessibleName(self.tr("Notes on the eligibility screen"))
        self.notes.setPlaceholderText(self.tr("Notes on the screen (optional)"))
        self.notes.editingFinished.connect(self._notes_changed)
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName(self.tr("What the screen found"))
        # Shown instead of the notes and the staff-only answers when core left them out.
        self.restricted = QLabel(
            self.tr(
                "The screen's notes and its Title IX and child-protection answers stay with "
                "school staff."
            ),
            self,
        )
        self.restricted.setWordWrap(True)
        self.restricted.setAccessibleName(self.tr("What this profile does not see"))
        self.restricted.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(grid)
        layout.addWidget(self.halted)
        layout.addWidget(self.notes)
        layout.addWidget(self.restricted)
        layout.addWidget(self.problems)

    def show_screen(self, screen: Screen) -> None:
        """Put a stored screen on the form, with core's verdict; it becomes ``loaded``."""
        self._loading = True
        try:
            answers = screen.shown
            self.loaded = answers
            for name, combo in self.consents.items():
                combo.setCurrentIndex(combo.findData(getattr(answers, name)))
            for name, box in self.exclusions.items():
                box.setChecked(bool(getattr(answers, name)))
            self.exclusions["referral_unspecified"].setVisible(answers.referral_unspecified)
            self.halted.setChecked(answers.halted)
            self.notes.setText(answers.notes)
            # What core left out for this viewer is not on the form at all (not shown blank);
            # the earlier screen's box shows only while set, and core clears it when it left
            # it out.
            for name in STAFF_ONLY:
                if name != "referral_unspecified":
                    self.exclusions[name].setVisible(not screen.restricted)
            self.notes.setVisible(not screen.restricted)
            self.restricted.setVisible(screen.restricted)
        finally:
            self._loading = False
        self._show_verdict(screen)

    def answers(self) -> Eligibility:
        """What the form shows now."""
        changes: dict[str, object] = {name: self.consents[name].currentData() for name in CONSENTS}
        changes.update({name: box.isChecked() for name, box in self.exclusions.items()})
        changes["halted"] = self.halted.isChecked()
        changes["notes"] = self.notes.text().strip()
        return Eligibility().with_changes(changes)

    def set_editable(self, editable: bool) -> None:
        for widget in (*self.consents.values(), *self.exclusions.values(), self.halted):
            widget.setEnabled(editable)
        self.notes.setReadOnly(not editable)

    def _changed(self, *_args: object) -> None:
        if not self._loading:
            self.edited.emit()

    def _notes_changed(self) -> None:
        if not self._loading and self.notes.text().strip() != self.loaded.notes:
            self.edited.emit()

    def _show_verdict(self, screen: Screen) -> None:
        verdict = screen.verdict
        if screen.answers is None and not screen.unreadable:
            text = self.tr("Not screened yet.")
        elif verdict.may_go_ahead:
            text = self.tr("✓ Eligible for a restorative conference.")
        else:
            lines = []
            if verdict.blocked:
                lines.append(self.tr("Cannot go to a conference:"))
                lines.extend(f"⚠ {reason}" for reason in verdict.blocked)
            if verdict.missing:
                lines.append(self.tr("Still to find out:"))
                lines.extend(f"• {reason}" for reason in verdict.missing)
            text = "\n".join(lines)
        self.problems.setText(text)
        self.problems.setAccessibleDescription(text)

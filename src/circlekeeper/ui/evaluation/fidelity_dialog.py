"""The fidelity checklist, completed by the keeper in one screen at the end of a circle.

Each item starts from what the live record says (shown beside it in plain words); items only
the keeper can know start unanswered. Tab moves from item to item, Y / N / A (or the arrow
keys) choose the answer, Ctrl+S or Enter saves.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.fidelity import Answer, FidelityItem
from circlekeeper.core.evaluation.fidelity import FidelityDraft, FidelityService
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import PROBLEMS
from circlekeeper.ui.circles.problems import show_problem
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.locale import date_text
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.style import heading, note


def item_text(item: str) -> str:
    tr = QCoreApplication.translate
    return {
        FidelityItem.OPENING.value: tr(
            "Fidelity", "An opening was held (reading, breath, silence)"
        ),
        FidelityItem.CONFIDENTIALITY_LIMITS.value: tr(
            "Fidelity", "The limits of confidentiality were said at the opening"
        ),
        FidelityItem.GUIDELINES.value: tr("Fidelity", "The group named its guidelines"),
        FidelityItem.TALKING_PIECE.value: tr("Fidelity", "The talking piece was introduced"),
        FidelityItem.EVERYONE_INVITED.value: tr(
            "Fidelity", "Everyone present was invited to speak"
        ),
        FidelityItem.EVERY_STAGE.value: tr("Fidelity", "Every stage of the script was reached"),
        FidelityItem.CLOSING.value: tr("Fidelity", "A closing was held"),
        FidelityItem.PARTICIPANTS_PREPARED.value: tr(
            "Fidelity", "Every participant was prepared beforehand"
        ),
    }.get(item, item)


# The order of the choices: their first letters are the keys that pick them.
CHOICES = (None, Answer.YES.value, Answer.NO.value, Answer.NOT_APPLICABLE.value)


class FidelityDialog(QDialog):
    """The checklist of one held circle or conference."""

    def __init__(self, database: Database, circle_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.circle_id = circle_id
        self.service = FidelityService(context_for(database))
        self.setWindowTitle(self.tr("Fidelity checklist"))
        self.setAccessibleName(self.tr("Fidelity checklist"))
        self.answers: dict[str, QComboBox] = {}
        self.reasons: dict[str, QLabel] = {}
        self.draft: FidelityDraft = self.service.draft(circle_id)

        layout = QVBoxLayout(self)
        layout.addWidget(
            heading(self.tr("How did it go? — {title}").format(title=self.draft.title), self)
        )
        layout.addWidget(
            note(
                self.tr(
                    "Answers from the record are filled in; check each one and answer the rest. "
                    "Y yes · N no · A not applicable."
                ),
                self,
            )
        )
        grid = QGridLayout()
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 2)
        for row, item in enumerate(self.draft.items):
            label = QLabel(item_text(item.item), self)
            label.setWordWrap(True)
            combo = QComboBox(self)
            for choice in CHOICES:
                combo.addItem(self._choice_text(choice), choice)
            combo.setAccessibleName(item_text(item.item))
            label.setBuddy(combo)
            start = item.answer
            if start is None and item.prefilled is not None:
                start = Answer.YES.value if item.prefilled else Answer.NO.value
            combo.setCurrentIndex(max(0, combo.findData(start)))
            reason = QLabel(self._reason_text(item.prefilled, item.reason), self)
            reason.setWordWrap(True)
            reason.setAccessibleName(self.tr("What the record says"))
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(reason, row, 2)
            self.answers[item.item] = combo
            self.reasons[item.item] = reason
        layout.addLayout(grid)
        notes_label = QLabel(self.tr("&Anything to remember for next time (optional)"), self)
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setAccessibleName(self.tr("Note for next time"))
        self.note.setPlainText(self.draft.note)
        self.note.setMaximumHeight(self.fontMetrics().height() * 4)
        notes_label.setBuddy(self.note)
        layout.addWidget(notes_label)
        layout.addWidget(self.note)
        self.status = QLabel("", self)
        self.status.setAccessibleName(self.tr("Checklist status"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(
            self.tr("&Save checklist"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setAccessibleName(self.tr("Save the checklist"))
        self.save_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Close without saving"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(self.save)
        if self.draft.completed:
            self.status.setText(
                self.tr("Completed on {day} by {who}. Saving again replaces the answers.").format(
                    day=date_text(self.draft.completed_on),
                    who=self.draft.completed_by or self.tr("the keeper"),
                )
            )
        first = next(iter(self.answers.values()), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        default_size(self, 900, 520)

    def _choice_text(self, choice: str | None) -> str:
        return {
            None: self.tr("— choose —"),
            Answer.YES.value: self.tr("Yes"),
            Answer.NO.value: self.tr("No"),
            Answer.NOT_APPLICABLE.value: self.tr("A — not applicable"),
        }[choice]

    def _reason_text(self, value: bool | None, reason: str) -> str:
        if value is None:
            return self.tr("Only you know: answer from memory.")
        return self.tr("From the record: {reason}").format(reason=reason)

    def chosen(self) -> dict[str, str]:
        return {
            item: combo.currentData() for item, combo in self.answers.items() if combo.currentData()
        }

    def save(self) -> None:
        try:
            self.draft = self.service.complete(
                self.circle_id, self.chosen(), note=self.note.toPlainText()
            )
        except PROBLEMS as problem:
            missing = [item for item, combo in self.answers.items() if not combo.currentData()]
            if missing:
                self.answers[missing[0]].setFocus(Qt.FocusReason.OtherFocusReason)
            self.status.setText(str(problem))
            if not isinstance(problem, ValueError):
                show_problem(self, problem)
            return
        self.accept()

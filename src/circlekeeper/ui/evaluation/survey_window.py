"""The survey window: handed round after a circle, or used to type in printed forms.

It shows no names and nothing of the record: only the four statements in English and Spanish,
three answers each, and how many people have answered so far. Tab moves between statements,
the arrow keys (or 1 / 2 / 3) choose, Enter hands the answers in; then a thank-you page asks
to pass the laptop on, and Enter brings a fresh blank form. Each form has its own one-time
token, so pressing Enter twice never counts one person twice.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.surveys import (
    ANSWERS,
    INTRODUCTION,
    KEYS_HINT,
    QUESTIONS,
    SurveyAnswer,
    SurveyQuestion,
    SurveySource,
)
from circlekeeper.core.evaluation.surveys import SittingRow, SurveyService, new_sheet
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import PROBLEMS, problem_text
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.operations import context_for


class SurveyWindow(QDialog):
    """One round of anonymous surveys for a held circle."""

    finished_round = Signal(int)  # how many answered

    def __init__(
        self,
        database: Database,
        circle_id: int,
        parent: QWidget | None = None,
        *,
        source: str = SurveySource.WINDOW.value,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        # Nothing else of the program can be reached while the laptop goes round.
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.service = SurveyService(context_for(database))
        self.sitting: SittingRow = self.service.open_sitting(circle_id, source)
        self.sheet = new_sheet()
        paper = source == SurveySource.PAPER.value
        self.setWindowTitle(
            self.tr("Enter printed surveys") if paper else self.tr("Survey · Encuesta")
        )
        self.setAccessibleName(self.windowTitle())
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.4)

        self.pages = QStackedWidget(self)
        form = QWidget(self.pages)
        form_layout = QVBoxLayout(form)
        intro = QLabel(f"{INTRODUCTION.en} {KEYS_HINT.en}\n{INTRODUCTION.es} {KEYS_HINT.es}", form)
        intro.setWordWrap(True)
        form_layout.addWidget(intro)
        self.groups: dict[str, QButtonGroup] = {}
        self.boxes: dict[str, QGroupBox] = {}
        for question in SurveyQuestion:
            text = QUESTIONS[question]
            box = QGroupBox(f"{text.en}  ·  {text.es}", form)
            box.setFont(big)
            box.setAccessibleName(f"{text.en} {text.es}")
            row = QHBoxLayout(box)
            group = QButtonGroup(box)
            for number, answer in enumerate(SurveyAnswer, start=1):
                words = ANSWERS[answer]
                label = words.en if words.en == words.es else f"{words.en} · {words.es}"
                button = QRadioButton(f"{number}  {label}", box)
                button.setAccessibleName(f"{text.en}: {words.en}")
                button.setProperty("answer", answer.value)
                group.addButton(button)
                row.addWidget(button)
            row.addStretch(1)
            self.groups[question.value] = group
            self.boxes[question.value] = box
            form_layout.addWidget(box)
        self.message = QLabel("", form)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Message"))
        form_layout.addWidget(self.message)
        self.hand_in = QPushButton(self.tr("Hand in my answers · Entregar mis respuestas"), form)
        self.hand_in.setAccessibleName(self.tr("Hand in my answers"))
        self.hand_in.setFont(big)
        self.hand_in.setDefault(True)
        self.hand_in.clicked.connect(self.submit)
        form_layout.addWidget(self.hand_in)
        form_layout.addStretch(1)

        thanks = QWidget(self.pages)
        thanks_layout = QVBoxLayout(thanks)
        self.thanks_text = QLabel(thanks)
        self.thanks_text.setFont(big)
        self.thanks_text.setWordWrap(True)
        self.thanks_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks_text.setAccessibleName(self.tr("Thank you"))
        self.next_button = QPushButton(self.tr("Next person · Siguiente persona"), thanks)
        self.next_button.setAccessibleName(self.tr("A blank form for the next person"))
        self.next_button.setFont(big)
        self.next_button.clicked.connect(self.next_form)
        thanks_layout.addStretch(1)
        thanks_layout.addWidget(self.thanks_text)
        thanks_layout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignCenter)
        thanks_layout.addStretch(1)
        self.pages.addWidget(form)
        self.pages.addWidget(thanks)

        self.count = QLabel("", self)
        self.count.setAccessibleName(self.tr("How many have answered"))
        self.finish_button = QPushButton(self.tr("&Finish the round (keeper)"), self)
        self.finish_button.setAccessibleName(self.tr("Finish the round of surveys"))
        self.finish_button.setAutoDefault(False)
        self.finish_button.clicked.connect(self.finish)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bottom)
        QShortcut(QKeySequence("Ctrl+W"), self).activated.connect(self.finish)
        self._show_count()
        default_size(self, 1000, 640)
        self._focus_first()

    # -- answering ---------------------------------------------------------------------------

    def chosen(self) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for question, group in self.groups.items():
            button = group.checkedButton()
            found[question] = str(button.property("answer")) if button is not None else None
        return found

    def submit(self) -> None:
        try:
            self.sitting = self.service.answer(self.sitting.id, self.sheet, self.chosen())
        except PROBLEMS as problem:
            self.message.setText(problem_text(problem))
            return
        self.message.clear()
        self._show_count()
        if self.sitting.remaining == 0:
            self.thanks_text.setText(
                self.tr(
                    "Thank you! Everyone present has answered.\n¡Gracias! Todas las personas "
                    "presentes han respondido.\n\nThe laptop now goes back to the keeper.\n"
                    "La computadora vuelve ahora a la persona que guía el círculo."
                )
            )
            self.next_button.setEnabled(False)
            self.pages.setCurrentIndex(1)
            self.finish_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.thanks_text.setText(
            self.tr(
                "Thank you! The laptop now goes to the next person.\n¡Gracias! Ahora la "
                "computadora pasa a la siguiente persona."
            )
        )
        self.pages.setCurrentIndex(1)
        self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def next_form(self) -> None:
        """A blank form with a fresh token; the last person's answers are gone from the screen."""
        self.sheet = new_sheet()
        for group in self.groups.values():
            group.setExclusive(False)
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)
        self.message.clear()
        self.pages.setCurrentIndex(0)
        self._focus_first()

    def finish(self) -> None:
        try:
            self.sitting = self.service.close_sitting(self.sitting.id)
        except PROBLEMS as problem:
            self.message.setText(problem_text(problem))
            return
        self.finished_round.emit(self.sitting.answered)
        self.accept()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        # Enter on the form hands it in wherever the focus is (a radio button eats it otherwise).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.pages.currentIndex() == 0:
                self.submit()
            elif self.next_button.isEnabled():
                self.next_form()
            return
        digit = event.key() - Qt.Key.Key_1
        if self.pages.currentIndex() == 0 and 0 <= digit < len(SurveyAnswer):
            self._choose(digit)
            return
        if event.key() == Qt.Key.Key_Escape:
            return  # a participant must not close the round by accident; the keeper finishes it
        super().keyPressEvent(event)

    def _choose(self, index: int) -> None:
        """Answer the statement that has the focus (the first unanswered one otherwise), then
        move on to the next, so 1, 1, 2, 1, Enter fills a whole form."""
        names = list(self.groups)
        focused = self.focusWidget()
        current = next(
            (n for n in names if focused is not None and self.boxes[n].isAncestorOf(focused)),
            next((n for n in names if self.groups[n].checkedButton() is None), names[-1]),
        )
        buttons = self.groups[current].buttons()
        buttons[index].setChecked(True)
        after = names.index(current) + 1
        target = self.groups[names[after]].buttons()[0] if after < len(names) else self.hand_in
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_count(self) -> None:
        self.count.setText(
            self.tr("{answered} of {expected} have answered").format(
                answered=self.sitting.answered, expected=self.sitting.expected
            )
        )

    def _focus_first(self) -> None:
        first = self.groups[SurveyQuestion.HEARD.value].buttons()[0]
        first.setFocus(Qt.FocusReason.OtherFocusReason)

"""The left half of the facilitator window: what to say and what to ask, in large type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.script import Stage
from circlekeeper.core.facilitation.rows import NoteRow

WORDS_POINTS = 20
QUESTION_POINTS = 24


def _sized(label: QLabel, points: float, *, bold: bool = False) -> QLabel:
    font = QFont(label.font())
    font.setPointSizeF(points)
    font.setBold(bold)
    label.setFont(font)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


class StagePanel(QWidget):
    """The keeper's words, the participants' question, tips and this stage's notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setAccessibleName(self.tr("Stage text"))
        inner = QWidget(scroll)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.setSpacing(10)
        self.say_caption = self._caption(self.tr("Say, in your own words"))
        self.words = _sized(QLabel(inner), WORDS_POINTS)
        self.words.setAccessibleName(self.tr("Facilitator's words"))
        self.ask_caption = self._caption(self.tr("Question for the circle (on the projector)"))
        # The question stays in sight below the keeper's words however long they run (in
        # Spanish they are about a third longer): only the words above it scroll.
        self.question = _sized(QLabel(self), QUESTION_POINTS, bold=True)
        self.question.setAccessibleName(self.tr("Question for the circle"))
        self.question.setObjectName("question")
        self.question.setStyleSheet(
            "QLabel#question { border-left: 6px solid palette(highlight); padding: 6px 12px; }"
        )
        # The school's MOU statement on admissions, read word for word at the opening of a
        # conference an officer takes part in.
        self.read_aloud_caption = self._caption(
            self.tr("Read aloud: the school's agreement with the police")
        )
        self.read_aloud = _sized(QLabel(inner), WORDS_POINTS, bold=True)
        self.read_aloud.setAccessibleName(self.tr("Statement to read aloud"))
        self.read_aloud.setObjectName("readAloud")
        self.read_aloud.setStyleSheet(
            "QLabel#readAloud { border: 2px solid palette(highlight); padding: 8px 12px; }"
        )
        self.read_aloud_caption.setVisible(False)
        self.read_aloud.setVisible(False)
        for widget in (
            self.read_aloud_caption,
            self.read_aloud,
            self.say_caption,
            self.words,
        ):
            layout.addWidget(widget)
        self.tips_button = QPushButton(inner)
        self.tips_button.setCheckable(True)
        self.tips_button.setFlat(True)
        self.tips_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.tips = _sized(QLabel(inner), 12)
        self.tips.setAccessibleName(self.tr("Tips"))
        self.tips.setVisible(False)
        self.tips_button.toggled.connect(self.tips.setVisible)
        self.notes_button = QPushButton(inner)
        self.notes_button.setCheckable(True)
        self.notes_button.setFlat(True)
        self.notes_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.notes_view = _sized(QLabel(inner), 12)
        self.notes_view.setAccessibleName(self.tr("Notes on this stage"))
        self.notes_view.setVisible(False)
        self.notes_button.toggled.connect(self.notes_view.setVisible)
        for part in (self.tips_button, self.tips, self.notes_button, self.notes_view):
            layout.addWidget(part)
        layout.addStretch(1)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        outer.addSpacing(6)
        outer.addWidget(self.ask_caption)
        outer.addWidget(self.question)
        self._stage_index = -1
        self._notes: list[NoteRow] = []

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text, self)
        font = QFont(label.font())
        font.setPointSizeF(11)
        font.setCapitalization(QFont.Capitalization.AllUppercase)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
        label.setFont(font)
        label.setAccessibleName(text)
        return label

    def show_stage(self, index: int, stage: Stage, language: str, read_aloud: str = "") -> None:
        self._stage_index = index
        self.read_aloud.setText(read_aloud.strip())
        self.read_aloud.setVisible(bool(read_aloud.strip()))
        self.read_aloud_caption.setVisible(bool(read_aloud.strip()))
        self.words.setText(stage.words_in(language).strip())
        question = stage.question_in(language)
        self.question.setText(question)
        self.question.setVisible(bool(question))
        self.ask_caption.setVisible(bool(question))
        tips = list(stage.tips_in(language))
        self.tips.setText("\n".join(f"• {tip}" for tip in tips))
        self.tips_button.setVisible(bool(tips))
        self.tips.setVisible(bool(tips) and self.tips_button.isChecked())
        self._set_button(
            self.tips_button,
            self.tr("Tips ({n})").format(n=len(tips)),
            self.tr("Show or hide tips for this stage"),
        )
        self._render_notes()

    def set_notes(self, notes: list[NoteRow], names: dict[int, str]) -> None:
        self._notes = list(notes)
        self._names = names
        self._render_notes()

    def _render_notes(self) -> None:
        here = [n for n in self._notes if n.stage_index == self._stage_index]
        lines = []
        for note in here:
            who = getattr(self, "_names", {}).get(note.participant_id or -1, "")
            kind = self.tr("private") if note.privacy == "private" else self.tr("record")
            prefix = f"[{kind}{', ' + who if who else ''}] "
            lines.append(prefix + note.text)
        self.notes_view.setText("\n".join(lines))
        self.notes_button.setVisible(bool(self._notes))
        self.notes_view.setVisible(bool(here) and self.notes_button.isChecked())
        self._set_button(
            self.notes_button,
            self.tr("Notes on this stage ({n} of {total})").format(
                n=len(here), total=len(self._notes)
            ),
            self.tr("Show or hide the notes taken on this stage"),
        )

    @staticmethod
    def _set_button(button: QPushButton, text: str, tip: str) -> None:
        button.setText(text)
        button.setAccessibleName(text)
        button.setToolTip(tip)

"""Editing one script: its title, kind and purpose, and its stages in order.

The editor works on a copy in memory; nothing is written until Save, and Save writes only a
script that reads back cleanly (the library checks it).
"""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.enums import CircleKind
from circlekeeper.core.domain.script import AddressedTo, Script, ScriptError, Stage, StageType
from circlekeeper.ui.circles.labels import (
    addressed_to_choices,
    kind_choices,
    minutes_text,
    stage_type_choices,
    stage_type_label,
)
from circlekeeper.ui.style import compact_combo, heading

_STAGE_IN_MESSAGE = re.compile(r"^stage (\d+)('s)?\s*")


def _text_box(parent: QWidget, name: str, lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(parent.fontMetrics().height() * lines + 14)
    return box


class ScriptEditor(QWidget):
    """Fields for a script and its stages. ``edited`` is emitted on any change."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.script: Script | None = None
        self.stages: list[Stage] = []
        self.read_only = True
        self._loading = False
        self._stage_row = -1

        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName(self.tr("Script title"))
        self.kind = compact_combo(QComboBox(self))
        self.kind.setAccessibleName(self.tr("Kind of circle the script is for"))
        for value, text in kind_choices():
            self.kind.addItem(text, value)
        self.purpose = _text_box(self, self.tr("Script purpose"), 2)
        self.purpose.setFixedHeight(self.fontMetrics().height() * 3 + 14)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Script length"))

        self.stage_list = QListWidget(self)
        self.stage_list.setAccessibleName(self.tr("Stages"))
        self.stage_list.setToolTip(
            self.tr("Alt+Up / Alt+Down move the selected stage; Delete removes it")
        )
        self.add_button = QPushButton(self.tr("A&dd stage"), self)
        self.add_button.setAccessibleName(self.tr("Add a stage after the selected one"))
        self.remove_button = QPushButton(self.tr("Re&move"), self)
        self.remove_button.setAccessibleName(self.tr("Remove the selected stage"))
        self.up_button = QPushButton(self.tr("Move &up"), self)
        self.up_button.setAccessibleName(self.tr("Move the selected stage up"))
        self.down_button = QPushButton(self.tr("Move do&wn"), self)
        self.down_button.setAccessibleName(self.tr("Move the selected stage down"))

        self.stage_type = compact_combo(QComboBox(self))
        self.stage_type.setAccessibleName(self.tr("Stage type"))
        for value, text in stage_type_choices():
            self.stage_type.addItem(text, value)
        self.stage_title = QLineEdit(self)
        self.stage_title.setAccessibleName(self.tr("Stage title"))
        self.words = _text_box(self, self.tr("What the facilitator says"), 4)
        self.question_en = _text_box(self, self.tr("Question participants see, in English"), 2)
        self.question_es = _text_box(self, self.tr("Question participants see, in Spanish"), 2)
        self.addressed_to = compact_combo(QComboBox(self))
        self.addressed_to.setAccessibleName(self.tr("Question addressed to"))
        for value, text in addressed_to_choices():
            self.addressed_to.addItem(text, value)
        self.minutes = QSpinBox(self)
        self.minutes.setAccessibleName(self.tr("Suggested minutes"))
        self.minutes.setRange(0, 240)
        self.minutes.setSpecialValueText(self.tr("No suggestion"))
        self.minutes.setSuffix(self.tr(" min"))
        self.tips = _text_box(self, self.tr("Tips, one per line"), 2)
        # The facilitator's words are the longest text; the other boxes stay compact.
        for box, lines in ((self.question_en, 2), (self.question_es, 2), (self.tips, 3)):
            box.setFixedHeight(self.fontMetrics().height() * lines + 14)
        self.stage_list.setWordWrap(True)
        self.stage_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        script_form = QFormLayout()
        self._add_rows(
            script_form,
            (
                (self.tr("&Title"), self.title_edit),
                (self.tr("&Kind"), self.kind),
                (self.tr("&Purpose"), self.purpose),
                ("", self.summary),
            ),
        )
        # Two rows of two: the column stays narrow when the words run long (Spanish).
        stage_buttons = QGridLayout()
        for index, button in enumerate(
            (self.add_button, self.remove_button, self.up_button, self.down_button)
        ):
            stage_buttons.addWidget(button, index // 2, index % 2)
        stage_buttons.setColumnStretch(2, 1)
        stages_column = QVBoxLayout()
        stages_column.addWidget(heading(self.tr("Stages"), self, level=2))
        stages_column.addWidget(self.stage_list, 1)
        stages_column.addLayout(stage_buttons)
        stage_form = QFormLayout()
        stage_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._add_rows(
            stage_form,
            (
                (self.tr("T&ype"), self.stage_type),
                (self.tr("Stage t&itle"), self.stage_title),
                (self.tr("Facilitator's wo&rds"), self.words),
                (self.tr("&Question (English)"), self.question_en),
                (self.tr("Question (&Spanish)"), self.question_es),
                (self.tr("Addressed t&o"), self.addressed_to),
                (self.tr("Mi&nutes"), self.minutes),
                (self.tr("Tips"), self.tips),
            ),
        )
        stage_column = QVBoxLayout()
        stage_column.addWidget(heading(self.tr("The selected stage"), self, level=2))
        stage_column.addLayout(stage_form, 1)
        columns = QHBoxLayout()
        columns.addLayout(stages_column, 2)
        columns.addLayout(stage_column, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(script_form)
        layout.addLayout(columns, 1)

        self.stage_list.currentRowChanged.connect(self._stage_selected)
        self.stage_list.installEventFilter(self)
        self.add_button.clicked.connect(self.add_stage)
        self.remove_button.clicked.connect(self.remove_stage)
        self.up_button.clicked.connect(lambda: self.move_stage(-1))
        self.down_button.clicked.connect(lambda: self.move_stage(1))
        for line in (self.title_edit, self.stage_title):
            line.textEdited.connect(self._changed)
        for box in (self.purpose, self.words, self.question_en, self.question_es, self.tips):
            box.textChanged.connect(self._changed)
        for combo in (self.kind, self.stage_type, self.addressed_to):
            combo.currentIndexChanged.connect(self._changed)
        self.minutes.valueChanged.connect(self._changed)
        self._update_enabled()

    def _add_rows(self, form: QFormLayout, rows: tuple[tuple[str, QWidget], ...]) -> None:
        for text, widget in rows:
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)

    # -- loading and reading back ------------------------------------------------------------

    def load(self, script: Script | None, *, read_only: bool) -> None:
        self._loading = True
        self.script = script
        self.read_only = read_only or script is None
        self.stages = list(script.stages) if script else []
        self.title_edit.setText(script.title if script else "")
        self.kind.setCurrentIndex(max(0, self.kind.findData(script.kind.value if script else "")))
        self.purpose.setPlainText(script.purpose if script else "")
        self._stage_row = -1
        self._fill_list()
        self._loading = False
        self.stage_list.setCurrentRow(0 if self.stages else -1)
        self._update_enabled()
        self._show_summary()

    def edited_script(self) -> Script | None:
        """The script as the fields now say (not checked; the library checks on save)."""
        if self.script is None:
            return None
        self._store_stage()
        spanish = any(s.question.get("es") for s in self.stages)
        languages = ("en", "es") if spanish else ("en",)
        return replace(
            self.script,
            title=self.title_edit.text().strip(),
            kind=CircleKind(self.kind.currentData()),
            purpose=self.purpose.toPlainText().strip(),
            stages=tuple(self.stages),
            languages=languages,
        )

    def _fill_list(self) -> None:
        self.stage_list.blockSignals(True)
        self.stage_list.clear()  # leaves no current row, so the next choice always loads
        for number, stage in enumerate(self.stages, start=1):
            self.stage_list.addItem(self._stage_text(number, stage))
        self.stage_list.blockSignals(False)

    def _stage_text(self, number: int, stage: Stage) -> str:
        title = stage.title or self.tr("(untitled)")
        return f"{number}. {title}\n     {stage_type_label(stage.type.value)}"

    def _stage_selected(self, row: int) -> None:
        self._store_stage()
        self._stage_row = row
        self._loading, was = True, self._loading
        stage = self.stages[row] if 0 <= row < len(self.stages) else None
        self.stage_type.setCurrentIndex(
            max(0, self.stage_type.findData(stage.type.value if stage else ""))
        )
        self.stage_title.setText(stage.title if stage else "")
        self.words.setPlainText(stage.words if stage else "")
        self.question_en.setPlainText(stage.question.get("en", "") if stage else "")
        self.question_es.setPlainText(stage.question.get("es", "") if stage else "")
        self.addressed_to.setCurrentIndex(
            max(0, self.addressed_to.findData(stage.addressed_to.value if stage else "all"))
        )
        self.minutes.setValue(stage.suggested_minutes or 0 if stage else 0)
        self.tips.setPlainText("\n".join(stage.tips) if stage else "")
        self._loading = was
        self._update_enabled()

    def _store_stage(self) -> None:
        """Copy the stage fields back into the working list."""
        row = self._stage_row
        if self.read_only or not 0 <= row < len(self.stages):
            return
        question = {
            code: box.toPlainText().strip()
            for code, box in (("en", self.question_en), ("es", self.question_es))
            if box.toPlainText().strip()
        }
        self.stages[row] = replace(
            self.stages[row],
            type=StageType(self.stage_type.currentData()),
            title=self.stage_title.text().strip(),
            words=self.words.toPlainText().strip(),
            question=question,
            addressed_to=AddressedTo(self.addressed_to.currentData()),
            suggested_minutes=self.minutes.value() or None,
            tips=tuple(t.strip() for t in self.tips.toPlainText().splitlines() if t.strip()),
        )
        item = self.stage_list.item(row)
        if item is not None:
            item.setText(self._stage_text(row + 1, self.stages[row]))

    def _changed(self) -> None:
        if self._loading or self.read_only:
            return
        self._store_stage()
        self._show_summary()
        self.edited.emit()

    def _show_summary(self) -> None:
        minutes = sum(s.suggested_minutes or 0 for s in self.stages)
        text = self.tr("{count} stages · {minutes}").format(
            count=len(self.stages), minutes=minutes_text(minutes)
        )
        self.summary.setText(text)
        self.summary.setAccessibleName(text)

    # -- stages ------------------------------------------------------------------------------

    def add_stage(self) -> None:
        if self.read_only:
            return
        self._store_stage()
        row = self.stage_list.currentRow() + 1 if self.stages else 0
        stage = Stage(StageType.ROUND, self.tr("New round"), "", {}, AddressedTo.ALL, 10)
        self.stages.insert(row, stage)
        self._stage_row = -1
        self._fill_list()
        self.stage_list.setCurrentRow(row)
        self.stage_title.setFocus(Qt.FocusReason.OtherFocusReason)
        self.stage_title.selectAll()
        self._after_stage_change()

    def remove_stage(self) -> None:
        row = self.stage_list.currentRow()
        if self.read_only or not 0 <= row < len(self.stages):
            return
        del self.stages[row]
        self._stage_row = -1
        self._fill_list()
        self.stage_list.setCurrentRow(min(row, len(self.stages) - 1))
        self._after_stage_change()

    def move_stage(self, step: int) -> None:
        row = self.stage_list.currentRow()
        target = row + step
        if self.read_only or not (0 <= row < len(self.stages) and 0 <= target < len(self.stages)):
            return
        self._store_stage()
        self.stages.insert(target, self.stages.pop(row))
        self._stage_row = -1
        self._fill_list()
        self.stage_list.setCurrentRow(target)
        self._after_stage_change()

    def _after_stage_change(self) -> None:
        self._show_summary()
        self._update_enabled()
        self.edited.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.stage_list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            if alt and event.key() == Qt.Key.Key_Up:
                self.move_stage(-1)
                return True
            if alt and event.key() == Qt.Key.Key_Down:
                self.move_stage(1)
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.remove_stage()
                return True
            if event.key() == Qt.Key.Key_Insert:
                self.add_stage()
                return True
        return super().eventFilter(watched, event)

    def _update_enabled(self) -> None:
        editable = not self.read_only
        row = self.stage_list.currentRow()
        has_stage = 0 <= row < len(self.stages)
        for line in (self.title_edit, self.stage_title):
            line.setReadOnly(not editable)
        for box in (self.purpose, self.words, self.question_en, self.question_es, self.tips):
            box.setReadOnly(not editable)
        for widget in (self.kind, self.stage_type, self.addressed_to, self.minutes):
            widget.setEnabled(editable and (widget is self.kind or has_stage))
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable and has_stage and len(self.stages) > 1)
        self.up_button.setEnabled(editable and has_stage and row > 0)
        self.down_button.setEnabled(editable and has_stage and row < len(self.stages) - 1)

    # -- errors ------------------------------------------------------------------------------

    def describe(self, error: ScriptError) -> tuple[int | None, str]:
        """An error from checking the edited script, said with the stage it is in."""
        message = error.message
        match = _STAGE_IN_MESSAGE.match(message)
        if not match:
            return None, message[:1].upper() + message[1:]
        row = int(match.group(1)) - 1
        title = self.stages[row].title if 0 <= row < len(self.stages) else ""
        rest = message[match.end() :]
        where = self.tr("Stage {n} “{title}”").format(n=row + 1, title=title or "…")
        joiner = ": " if match.group(2) else ": "
        what = ("the " + rest) if match.group(2) else rest
        return row, where + joiner + what

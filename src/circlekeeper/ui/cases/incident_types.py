"""The school's incident types: what each counts as in SWIS and for the state, and the words
typed at intake that still wait for a counselor to map them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.incidents import (
    SWIS_BEHAVIORS,
    IncidentTypeRow,
    IncidentVocabulary,
)
from circlekeeper.ui.cases.common import PROBLEMS, message_label, problem_text, show_message
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.style import heading


class IncidentTypesDialog(QDialog):
    """List the incident types and map the selected one to a SWIS behaviour and level."""

    def __init__(self, vocabulary: IncidentVocabulary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vocabulary = vocabulary
        self.rows: list[IncidentTypeRow] = []
        self.setWindowTitle(self.tr("Incident types"))
        self.setAccessibleName(self.windowTitle())
        default_size(self, 900, 620)
        intro = QLabel(
            self.tr(
                "Reports count each referral as the SWIS problem behaviour of its type. Types "
                "marked “To map” came from words typed at intake: choose what they count as."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setAccessibleName(self.tr("Incident types"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Type"),
                self.tr("SWIS problem behaviour"),
                self.tr("Level"),
                self.tr("State category"),
                self.tr("Status"),
            ]
        )
        self.table.horizontalHeader().setAccessibleName(self.tr("Incident type columns"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)

        self.behavior = QComboBox(self)
        self.behavior.setEditable(True)
        self.behavior.addItems(list(SWIS_BEHAVIORS))
        self.behavior.setAccessibleName(self.tr("SWIS problem behaviour of the selected type"))
        line = self.behavior.lineEdit()
        assert line is not None
        line.setAccessibleName(self.behavior.accessibleName())
        self.level = QComboBox(self)
        self.level.addItem(self.tr("Major"), "major")
        self.level.addItem(self.tr("Minor"), "minor")
        self.level.setAccessibleName(self.tr("SWIS level of the selected type"))
        self.state_category = QLineEdit(self)
        self.state_category.setPlaceholderText(self.tr("Only if your state asks for one"))
        self.state_category.setAccessibleName(self.tr("State reporting category"))
        self.spanish = QLineEdit(self)
        self.spanish.setAccessibleName(self.tr("Name in Spanish"))
        self.save_button = QPushButton(self.tr("&Save what it counts as"), self)
        self.save_button.setAccessibleName(self.tr("Save the mapping of the selected type"))
        self.message = message_label(self, self.tr("Incident types: last change"))

        form = QFormLayout()
        for text, field in (
            (self.tr("SWIS &behaviour"), self.behavior),
            (self.tr("&Level"), self.level),
            (self.tr("S&tate category"), self.state_category),
            (self.tr("Name in S&panish"), self.spanish),
        ):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self))
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(heading(self.tr("The selected type"), self, level=2))
        layout.addLayout(form)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self.table.currentCellChanged.connect(lambda row, *_rest: self._show(row))
        self.save_button.clicked.connect(self.save)
        self.reload()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def reload(self, select_id: int | None = None) -> None:
        self.rows = self.vocabulary.types()
        # Types waiting to be mapped first: they are what the counselor came for.
        self.rows.sort(key=lambda r: not r.needs_mapping)
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            level = {"major": self.tr("Major"), "minor": self.tr("Minor")}.get(
                row.swis_level or "", ""
            )
            status = self.tr("To map") if row.needs_mapping else self.tr("Mapped")
            cells = (row.label, row.swis_behavior or "", level, row.state_category or "", status)
            for column, text in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(text))
        wanted = next((i for i, r in enumerate(self.rows) if r.id == select_id), 0)
        if self.rows:
            self.table.setCurrentCell(wanted, 0)
            self._show(wanted)

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        self.behavior.setCurrentText(row.swis_behavior or "")
        self.level.setCurrentIndex(max(0, self.level.findData(row.swis_level or "major")))
        self.state_category.setText(row.state_category or "")
        self.spanish.setText(row.label_es or "")

    def save(self) -> None:
        index = self.table.currentRow()
        if not 0 <= index < len(self.rows):
            show_message(self.message, self.tr("Choose a type in the list first."), problem=True)
            return
        row = self.rows[index]
        try:
            saved = self.vocabulary.map(
                row.id,
                swis_behavior=self.behavior.currentText(),
                swis_level=str(self.level.currentData()),
                state_category=self.state_category.text(),
                label_es=self.spanish.text(),
            )
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        self.reload(saved.id)
        show_message(
            self.message,
            self.tr("“{name}” now counts as {behaviour} ({level}).").format(
                name=saved.label, behaviour=saved.swis_behavior, level=self.level.currentText()
            ),
        )

"""Training records and each person's hours against the school's requirement (40 by default).

An SRO records and sees only their own training; counselors and administrators record anyone's
(circle keepers too) and set the required hours. The rules live in core.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.operations import Context
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.sro.training import (
    TrainingEntry,
    TrainingService,
    TrainingTotal,
    required_tenths,
)
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    caption_grid,
    day_text,
    from_qdate,
    message_label,
    problem_text,
    show_message,
    to_qdate,
)
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.sro.labels import category_choices, hours_text, label_of
from circlekeeper.ui.style import compact_combo, heading, list_table, note


class TrainingPage(QWidget):
    """Record a course; see each person's total against the required hours."""

    def __init__(
        self,
        database: Database,
        viewer_of: Callable[[], Viewer],
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.viewer_of = viewer_of
        self.today = today
        self._build()
        self.clear_form()
        self.refresh()

    def context(self) -> Context:
        """The database's operation context, acting as the viewer this page was given."""
        return context_for(self.database).acting_as(lambda: self.viewer_of().name, self.viewer_of)

    def service(self) -> TrainingService:
        return TrainingService(self.context(), today=self.today)

    def _build(self) -> None:
        self.trainee = QLineEdit(self)
        self.trainee.setAccessibleName(self.tr("Who took the training"))
        self.course = QLineEdit(self)
        self.course.setAccessibleName(self.tr("Course"))
        self.category = compact_combo(QComboBox(self))
        self.category.setAccessibleName(self.tr("Category"))
        for value, label in category_choices():
            self.category.addItem(label, value)
        self.hours = QLineEdit(self)
        self.hours.setAccessibleName(self.tr("Hours"))
        self.hours.setPlaceholderText(self.tr("e.g. 8 or 7.5"))
        self.completed = QDateEdit(self)
        self.completed.setCalendarPopup(True)
        self.completed.setAccessibleName(self.tr("Date completed"))
        self.provider = QLineEdit(self)
        self.provider.setAccessibleName(self.tr("Provider"))
        self.save = QPushButton(self.tr("Record training (Ctrl+Enter)"), self)
        self.save.setAccessibleName(self.tr("Record the training"))
        self.required = QLineEdit(self)
        self.required.setAccessibleName(self.tr("Required hours for everyone"))
        self.required.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000000"))
        self.save_required = QPushButton(self.tr("Set required hours"), self)
        self.save_required.setAccessibleName(self.tr("Save the required hours"))
        self.message = message_label(self, self.tr("Training message"))

        pairs = (
            (self.tr("&Name"), self.trainee),
            (self.tr("&Course"), self.course),
            (self.tr("Cate&gory"), self.category),
            (self.tr("&Hours"), self.hours),
            (self.tr("&Completed on"), self.completed),
            (self.tr("&Provider"), self.provider),
        )
        form = caption_grid(self, pairs, 3)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save)
        requirement = QHBoxLayout()
        required_label = QLabel(self.tr("Re&quired hours of youth-focused training:"), self)
        required_label.setBuddy(self.required)
        requirement.addWidget(required_label)
        requirement.addWidget(self.required)
        requirement.addWidget(self.save_required)
        requirement.addStretch(1)

        self.totals = QTableWidget(0, 4, self)
        list_table(self.totals, self.tr("Training hours against the requirement"))
        self.totals.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Hours"), self.tr("Required"), self.tr("Status")]
        )
        self.totals.horizontalHeader().setStretchLastSection(True)
        self.records = QTableWidget(0, 5, self)
        list_table(self.records, self.tr("Training records"))
        self.records.setHorizontalHeaderLabels(
            [
                self.tr("Completed"),
                self.tr("Name"),
                self.tr("Course"),
                self.tr("Category"),
                self.tr("Hours"),
            ]
        )
        self.records.horizontalHeader().setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Training"), self, level=2))
        layout.addWidget(
            note(
                self.tr(
                    "Courses taken by school resource officers and circle keepers, counted "
                    "against the hours of youth-focused training the school requires."
                ),
                self,
            )
        )
        layout.addLayout(requirement)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.totals, 1)
        layout.addWidget(self.records, 2)

        self.save.clicked.connect(self.record_training)
        self.save_required.clicked.connect(self.set_required)
        self.required.returnPressed.connect(self.set_required)
        for field in (self.course, self.hours, self.provider):
            field.returnPressed.connect(self.record_training)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.record_training)
        self.setFocusProxy(self.course)

    def clear_form(self) -> None:
        viewer = self.viewer_of()
        self.trainee.setText(viewer.name)
        # An SRO records only their own training (core refuses anyone else's).
        self.trainee.setReadOnly(viewer.is_sro)
        self.required.setEnabled(not viewer.is_sro)
        self.save_required.setEnabled(not viewer.is_sro)
        self.course.clear()
        self.hours.clear()
        self.provider.clear()
        self.category.setCurrentIndex(0)
        self.completed.setDate(to_qdate(self.today()))

    def record_training(self) -> None:
        entry = TrainingEntry(
            course=self.course.text(),
            category=str(self.category.currentData()),
            hours=self.hours.text(),
            completed_on=from_qdate(self.completed.date()),
            provider=self.provider.text(),
            trainee=self.trainee.text(),
        )
        try:
            row = self.service().record(entry)
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        self.clear_form()
        self.refresh()
        show_message(
            self.message,
            self.tr("Recorded: {course}, {hours} for {name}.").format(
                course=row.course, hours=hours_text(row.tenths, tenths=True), name=row.trainee
            ),
        )
        self.course.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_required(self) -> None:
        try:
            tenths = self.service().set_required_hours(self.required.text())
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        self.refresh()
        show_message(
            self.message,
            self.tr("Everyone now needs {hours} of training.").format(
                hours=hours_text(tenths, tenths=True)
            ),
        )

    def _status(self, total: TrainingTotal) -> str:
        if total.met:
            return self.tr("Requirement met")
        return self.tr("{hours} still to go").format(
            hours=hours_text(total.required_tenths - total.tenths, tenths=True)
        )

    def refresh(self) -> None:
        service = self.service()
        try:
            totals = service.totals()
            records = service.records()
            required = required_tenths(self.database.sessions)
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        if not self.required.hasFocus():
            self.required.setText(f"{required / 10:g}")
        self.totals.setRowCount(len(totals))
        for index, total in enumerate(totals):
            values = (
                total.trainee,
                hours_text(total.tenths, tenths=True),
                hours_text(total.required_tenths, tenths=True),
                self._status(total),
            )
            for column, text in enumerate(values):
                self.totals.setItem(index, column, QTableWidgetItem(text))
        self.totals.resizeColumnsToContents()
        categories = category_choices()
        self.records.setRowCount(len(records))
        for index, record in enumerate(records):
            cells = (
                day_text(record.completed_on),
                record.trainee,
                record.course,
                label_of(categories, record.category),
                hours_text(record.tenths, tenths=True),
            )
            for column, text in enumerate(cells):
                self.records.setItem(index, column, QTableWidgetItem(text))
        self.records.resizeColumnsToContents()

"""The Circles area: the list of circles and conferences, and the way into planning and
running them."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.circles.rows import CircleRow
from circlekeeper.core.domain.enums import CircleStatus
from circlekeeper.core.scripts.scripts import ScriptLibrary
from circlekeeper.core.store.database import Database
from circlekeeper.ui.circles.labels import status_choices
from circlekeeper.ui.circles.model import CirclesTableModel
from circlekeeper.ui.circles.problems import PROBLEMS, show_problem
from circlekeeper.ui.lists import keep_place, open_on_enter, select_row, selected_row
from circlekeeper.ui.operations import Changes, context_for, listen
from circlekeeper.ui.people.labels import count_text
from circlekeeper.ui.style import heading, list_table, size_columns

# A day and time as long as the list can show (for the width of its When column).
LONG_MOMENT = datetime(2026, 9, 30, 16, 30).astimezone()


class CirclesArea(QWidget):
    """Circles and conferences: upcoming first, filtered by status."""

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        library: ScriptLibrary | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.library = library or ScriptLibrary()
        self.planner = CirclePlanner(context_for(database), self.library)
        self.model = CirclesTableModel(self.planner, self)
        self.windows: list[QWidget] = []  # facilitator windows kept alive while open

        self.title = heading(self.tr("Circles"), self)
        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName(self.tr("Show circles that are"))
        self.status_filter.addItem(self.tr("All circles"), None)
        for value, text in status_choices():
            self.status_filter.addItem(text, value)
        filter_label = QLabel(self.tr("S&how"), self)
        filter_label.setBuddy(self.status_filter)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        header = list_table(self.table, self.tr("Circles list"))
        header.setAccessibleName(self.tr("Columns"))
        header.setSectionResizeMode(CirclesTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        size_columns(
            self.table,
            (
                (CirclesTableModel.WHEN, 2),
                (CirclesTableModel.KIND, 15),
                (CirclesTableModel.STATUS, 7),
                (CirclesTableModel.PLACE, 12),
                (CirclesTableModel.PEOPLE, 5),
            ),
            # The time is what a counselor scans for: room for a long one, so it is never cut.
            whole={CirclesTableModel.WHEN: [CirclesTableModel.when_text(LONG_MOMENT)]},
        )

        self.new_button = QPushButton(self.tr("&New circle…"), self)
        self.new_button.setAccessibleName(self.tr("Plan a new circle"))
        self.new_button.setToolTip(self.tr("Plan a new circle (Ctrl+N)"))
        self.open_button = QPushButton(self.tr("&Open plan…"), self)
        self.open_button.setAccessibleName(self.tr("Open the plan of the selected circle"))
        self.open_button.setToolTip(self.tr("Open the plan (Enter)"))
        self.start_button = QPushButton(self.tr("&Start circle…"), self)
        self.start_button.setAccessibleName(self.tr("Start the selected circle"))
        self.cancel_button = QPushButton(self.tr("C&ancel circle…"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancel the selected circle"))
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("How many circles are listed"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Last change"))

        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.status_filter)
        top.addStretch(1)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.start_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status)
        bottom.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(bottom)

        self.status_filter.currentIndexChanged.connect(self.reload)
        self.table.doubleClicked.connect(self.open_selected)
        open_on_enter(self.table, self.open_selected)
        self.new_button.clicked.connect(self.new_circle)
        self.open_button.clicked.connect(self.open_selected)
        self.start_button.clicked.connect(self.start_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        shortcut = QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_N), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.new_circle)

        self.reload()
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()
        listen(self, database, ("circle", "person"), self.on_changes)

    # -- list ------------------------------------------------------------------------------

    def on_changes(self, _changes: Changes) -> None:
        """A circle changed (planned, started, ended, in any window): show it as it is now."""

        def chosen() -> int | None:
            row = self.selected_circle()
            return row.id if row is not None else None

        keep_place(self.table, self.reload, chosen, self.select_circle)

    def reload(self) -> None:
        try:
            self.model.set_status(self.status_filter.currentData())
        except PROBLEMS as problem:
            show_problem(self, problem)
            return
        count = self.model.rowCount()
        text = count_text(count, self.tr("1 circle"), self.tr("{count} circles"))
        self.status.setText(text)
        self.status.setAccessibleName(text)

    def selected_circle(self) -> CircleRow | None:
        row = selected_row(self.table)
        return self.model.circle_at(row) if row is not None else None

    def select_circle(self, circle_id: int) -> None:
        select_row(self.table, self.model.row_of(circle_id))

    def _update_buttons(self) -> None:
        circle = self.selected_circle()
        planned = circle is not None and circle.status == CircleStatus.PLANNED.value
        runnable = circle is not None and circle.status in (
            CircleStatus.PLANNED.value,
            CircleStatus.IN_PROGRESS.value,
        )
        self.open_button.setEnabled(circle is not None)
        self.start_button.setEnabled(runnable)
        if circle is not None and circle.status == CircleStatus.IN_PROGRESS.value:
            self.start_button.setText(self.tr("Re&sume circle…"))
            self.start_button.setAccessibleName(self.tr("Resume the selected circle"))
        else:
            self.start_button.setText(self.tr("&Start circle…"))
            self.start_button.setAccessibleName(self.tr("Start the selected circle"))
        self.cancel_button.setEnabled(planned)

    # -- actions ---------------------------------------------------------------------------

    def new_circle(self) -> None:
        self._plan(None)

    def open_selected(self) -> None:
        circle = self.selected_circle()
        if circle is not None:
            self._plan(circle.id)

    def _plan(self, circle_id: int | None) -> None:
        from circlekeeper.ui.circles.plan import PlanDialog

        try:
            dialog = PlanDialog(self.database, circle_id, self, self.library)
        except PROBLEMS as problem:
            show_problem(self, problem)
            return
        dialog.exec()
        if dialog.started is not None:
            self.windows.append(dialog.started)
        self.reload()
        if dialog.circle_id is not None:
            self.select_circle(dialog.circle_id)
            if circle_id is None:
                self.message.setText(
                    self.tr("Planned “{title}”.").format(title=self._title(dialog.circle_id))
                )
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _title(self, circle_id: int) -> str:
        row = self.model.circle_at(self.model.row_of(circle_id))
        return row.title if row is not None else ""

    def start_selected(self) -> None:
        from circlekeeper.ui.circles.start import start_circle

        circle = self.selected_circle()
        if circle is None:
            return
        window = start_circle(self, self.database, circle.id)
        if window is not None:
            self.windows.append(window)
        self.reload()
        self.select_circle(circle.id)

    def cancel_selected(self) -> None:
        circle = self.selected_circle()
        if circle is None or circle.status != CircleStatus.PLANNED.value:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Cancel this circle?"),
            self.tr(
                "Cancel “{title}”? It stays in the list as cancelled, with its plan; "
                "it cannot be started afterwards."
            ).format(title=circle.title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.planner.cancel(circle.id)
        except PROBLEMS as problem:
            show_problem(self, problem)
            return
        self.reload()
        self.select_circle(circle.id)
        self.message.setText(self.tr("Cancelled “{title}”.").format(title=circle.title))

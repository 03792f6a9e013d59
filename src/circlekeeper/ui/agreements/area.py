"""The Agreements area: every repair agreement, how it is going, and a way to start one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.agreements.listing import AgreementLine, AgreementList, agreement_lines
from circlekeeper.core.cases.queries import CaseQueries
from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.domain.enums import AgreementStatus, CircleStatus
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.agreements.labels import day_text, status_label
from circlekeeper.ui.list_filters import ListFilterBar
from circlekeeper.ui.lists import keep_place, open_on_enter, selected_row
from circlekeeper.ui.operations import Changes, context_for, listen
from circlekeeper.ui.people.labels import count_text
from circlekeeper.ui.style import compact_combo, heading, list_table, note, size_columns

log = logging.getLogger(__name__)

# The list shows the newest agreements; a district's database holds tens of thousands.
LIST_LIMIT = 500


class CirclePicker(QDialog):
    """Choose a held circle or conference to write an agreement for."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New agreement for a circle"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumSize(560, 380)
        planner = CirclePlanner(context_for(database))
        circles = [
            *planner.circles(status=CircleStatus.COMPLETED.value),
            *planner.circles(status=CircleStatus.IN_PROGRESS.value),
        ]
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Circles that were held"))
        from circlekeeper.ui.circles.labels import kind_label

        for row in circles:
            when = row.started_at or row.scheduled_at
            text = "{title} — {kind}{when}".format(
                title=row.title or self.tr("(untitled)"),
                kind=kind_label(row.kind),
                when=f", {when.astimezone():%Y-%m-%d}" if when else "",
            )
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
        explanation = note(
            self.tr("Choose the circle or conference the agreement was made in.")
            if circles
            else self.tr(
                "No circle has been held yet. An agreement is written after a circle or "
                "conference; hold one first."
            ),
            self,
        )
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(
            self.tr("Start agreement"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setAccessibleName(self.tr("Start the agreement"))
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(bool(circles))
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        if circles:
            self.list.setCurrentRow(0)
        self.list.setFocus()

    def circle_id(self) -> int | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, int) else None


class AgreementsArea(QWidget):
    """Repair agreements: open items, overdue ones, and each agreement's life after the circle."""

    COLUMNS = 7

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.service = AgreementService(context_for(database))
        self.lines: list[AgreementLine] = []
        self.windows: list[QDialog] = []
        self.picker: CirclePicker | None = None

        self.title = heading(self.tr("Agreements"), self)
        self.show_earlier = QCheckBox(self.tr("Show &earlier versions"), self)
        self.show_earlier.setAccessibleName(self.tr("Show earlier, replaced versions"))
        self.filter_bar = ListFilterBar(
            self.tr("A person's name, a case number, an incident type or a circle"),
            self.tr("Newest agreement first"),
            self,
        )
        self.filter_bar.search.setAccessibleName(self.tr("Search agreements"))
        self.status_filter = compact_combo(QComboBox(self), 14)
        self.status_filter.setAccessibleName(self.tr("Show agreements with this status"))
        self.status_filter.addItem(self.tr("Every status"), None)
        for value in AgreementStatus:
            self.status_filter.addItem(status_label(value.value), value.value)
        self.table = QTableWidget(0, self.COLUMNS, self)
        list_table(self.table, self.tr("Agreements list"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Circle"),
                self.tr("Version"),
                self.tr("Status"),
                self.tr("Parties"),
                self.tr("Items done"),
                self.tr("Due / overdue"),
                self.tr("Follow-up"),
            ]
        )
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("Agreement columns"))
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        size_columns(self.table, ((0, 14), (1, 5), (2, 11), (4, 7), (5, 11), (6, 8)))
        self.open_button = QPushButton(self.tr("&Open…"), self)
        self.open_button.setAccessibleName(self.tr("Open the selected agreement"))
        self.new_button = QPushButton(self.tr("&New agreement for circle…"), self)
        self.new_button.setAccessibleName(self.tr("New agreement for a circle"))
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("How many agreements are listed"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Last change"))

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.show_earlier)
        self.filter_bar.add_choice(self.tr("Stat&us:"), self.status_filter, beside_search=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status)
        bottom.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(bottom)

        self.show_earlier.toggled.connect(self.reload)
        self.filter_bar.changed.connect(self.reload)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.load_choices()
        self.table.doubleClicked.connect(self.open_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        open_on_enter(self.table, self.open_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.new_button.clicked.connect(self.new_for_circle)
        self.reload()
        listen(self, database, ("agreement", "circle", "case", "person"), self.on_changes)

    def on_changes(self, _changes: Changes) -> None:
        """An agreement changed (signed, ticked off, renegotiated, in any window): show it."""
        self.load_choices()
        keep_place(self.table, self.reload)  # reload keeps the selected agreement itself

    def load_choices(self) -> None:
        """Offer the school years, incident types and schools the records have now."""
        self._guard(
            lambda: self.filter_bar.load_choices(CaseQueries(self.service.ctx).list_choices())
        )

    # -- the list --------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        if select_id is None or isinstance(select_id, bool):
            current = self.selected()
            select_id = current.summary.id if current is not None else None
        today = date.today()
        found: list[AgreementList] = []

        def read() -> None:
            found.append(
                agreement_lines(
                    self.service.ctx,
                    today,
                    include_superseded=self.show_earlier.isChecked(),
                    limit=LIST_LIMIT,
                    filters=self.filter_bar.filters(self.status_filter.currentData()),
                )
            )

        if not self._guard(read):
            return
        listing = found[0]
        lines = listing.lines
        self.lines = lines
        self.table.setRowCount(len(lines))
        for r, line in enumerate(lines):
            due_parts = []
            if line.overdue:
                due_parts.append(self.tr("{count} overdue").format(count=line.overdue))
            if line.open_due:
                due_parts.append(self.tr("{count} due").format(count=line.open_due))
            due = ", ".join(due_parts) or self.tr("none open")
            cells = [
                line.circle_title or self.tr("Case agreement"),
                str(line.summary.version),
                status_label(line.summary.status),
                line.parties,
                self.tr("{done} of {total}").format(done=line.done, total=line.total),
                due if line.summary.status == AgreementStatus.ACTIVE.value else "",
                day_text(line.follow_up_on),
            ]
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if c == 5 and line.overdue and line.summary.status == AgreementStatus.ACTIVE.value:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.table.setItem(r, c, cell)
            if line.summary.id == select_id:
                self.table.selectRow(r)
        if lines and self.selected() is None:
            self.table.selectRow(0)
        text = count_text(len(lines), self.tr("1 agreement"), self.tr("{count} agreements"))
        if listing.total > len(lines):
            text = self.tr("The newest {shown} of {total} agreements").format(
                shown=f"{len(lines):,}", total=f"{listing.total:,}"
            )
        self.status.setText(text)
        self.status.setAccessibleDescription(text)
        self._update_buttons()

    def selected(self) -> AgreementLine | None:
        if not hasattr(self, "table"):
            return None
        row = selected_row(self.table)
        return self.lines[row] if row is not None and row < len(self.lines) else None

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.selected() is not None)

    # -- opening ---------------------------------------------------------------------------

    def open_selected(self) -> None:
        line = self.selected()
        if line is not None:
            self.open_agreement(line.summary.id)

    def open_agreement(self, agreement_id: int) -> QDialog | None:
        """The builder for a draft, the follow-up view for anything signed."""
        from circlekeeper.ui.agreements.builder import AgreementBuilder
        from circlekeeper.ui.agreements.monitor import AgreementMonitor

        window: QDialog
        try:
            status = self.service.get(agreement_id).summary.status
            if status == AgreementStatus.DRAFT.value:
                builder = AgreementBuilder(self.database, agreement_id, self)
                builder.changed.connect(self.reload)
                window = builder
            else:
                monitor = AgreementMonitor(self.database, agreement_id, self)
                monitor.changed.connect(self.reload)
                monitor.renegotiated.connect(self._open_new_version)
                window = monitor
        except (InvalidInput, NotFound) as problem:
            self.message.setText(str(problem))
            self.reload()
            return None
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.finished.connect(lambda _=0, w=window: self._closed(w))
        self.windows.append(window)
        window.show()
        return window

    def _open_new_version(self, agreement_id: int) -> None:
        self.reload(agreement_id)
        self.open_agreement(agreement_id)

    def _closed(self, window: QDialog) -> None:
        if window in self.windows:
            self.windows.remove(window)
        self.reload()
        self.table.setFocus()

    def new_for_circle(self) -> None:
        picker = CirclePicker(self.database, self)
        picker.setWindowModality(Qt.WindowModality.WindowModal)
        picker.accepted.connect(lambda: self._start_for(picker.circle_id()))
        self.picker = picker
        picker.open()

    def _start_for(self, circle_id: int | None) -> QDialog | None:
        if circle_id is None:
            return None
        existing = [
            a
            for a in self.service.list_for(circle_id=circle_id)
            if a.status != AgreementStatus.SUPERSEDED.value
        ]
        if existing:
            self.message.setText(self.tr("That circle already has an agreement; it is open now."))
            agreement_id = existing[-1].id
        else:
            created: list[int] = []
            if not self._guard(
                lambda: created.append(self.service.create_draft(circle_id=circle_id).id)
            ):
                return None
            agreement_id = created[0]
            self.message.setText(self.tr("Started a draft agreement."))
        self.reload(agreement_id)
        return self.open_agreement(agreement_id)

    def _guard(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except (InvalidInput, NotFound) as problem:
            self.message.setText(str(problem))
            return False
        except DatabaseProblem:
            log.exception("Agreements area: database error")
            self.message.setText(
                self.tr(
                    "The records could not be read just now. Nothing already saved was lost. "
                    "Try again; if it keeps happening, restart circlekeeper."
                )
            )
            return False
        return True

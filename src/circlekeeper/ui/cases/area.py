"""The Cases area: the list of referrals, intake of a new one, and each case's page."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseRow
from circlekeeper.core.people.people import PeopleService
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    Clock,
    day_text,
    local_now,
    message_label,
    problem_text,
    show_message,
    status_choices,
)
from circlekeeper.ui.cases.model import CaseTableModel
from circlekeeper.ui.cases.page import CasePage
from circlekeeper.ui.list_filters import ListFilterBar
from circlekeeper.ui.lists import keep_place, open_on_enter, select_row, selected_row
from circlekeeper.ui.operations import Changes, context_for, listen
from circlekeeper.ui.people.labels import count_text
from circlekeeper.ui.style import heading, list_table, size_columns


class CasesArea(QWidget):
    """Referrals and their path to closure; ``open_record`` asks the window to show a record."""

    open_record = Signal(str, int, object)  # kind, id, parent id

    def __init__(
        self, database: Database, parent: QWidget | None = None, *, clock: Clock | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.clock = clock or local_now
        self.service = CaseService(context_for(database))
        self.model = CaseTableModel(self.service, self)
        self.stack = QStackedWidget(self)
        self.stack.setAccessibleName(self.tr("Cases"))

        # The list.
        self.list_page = QWidget(self.stack)
        self.title = heading(self.tr("Cases"), self.list_page)
        self.status_filter = QComboBox(self.list_page)
        self.status_filter.setAccessibleName(self.tr("Show cases at this step"))
        self.status_filter.addItem(self.tr("Every step"), None)
        for value, label in status_choices():
            self.status_filter.addItem(label, value)
        self.open_only = QCheckBox(self.tr("&Open cases only"), self.list_page)
        self.open_only.setChecked(True)
        self.open_only.setAccessibleName(self.tr("Open cases only"))
        self.filter_bar = ListFilterBar(
            self.tr("A person's name, a case number or an incident type"),
            self.tr("Newest referral first"),
            self.list_page,
        )
        self.filter_bar.search.setAccessibleName(self.tr("Search cases"))
        self.table = QTableView(self.list_page)
        self.table.setModel(self.model)
        header = list_table(self.table, self.tr("Case list"))
        header.setAccessibleName(self.tr("Case list columns"))
        header.setSectionResizeMode(CaseTableModel.PEOPLE, QHeaderView.ResizeMode.Stretch)
        size_columns(
            self.table,
            (
                (CaseTableModel.REFERRED, 0),
                (CaseTableModel.INCIDENT, 13),
                (CaseTableModel.STATUS, 12),
                (CaseTableModel.DIVERSION, 8),
                (CaseTableModel.SCHOOL, 14),
            ),
            whole={CaseTableModel.REFERRED: [day_text(date(2026, 12, 30))]},
        )
        self.new_button = QPushButton(self.tr("&New referral…"), self.list_page)
        self.new_button.setAccessibleName(self.tr("New referral"))
        self.new_button.setToolTip(self.tr("Take in a new referral (Ctrl+N)"))
        self.open_button = QPushButton(self.tr("O&pen case"), self.list_page)
        self.open_button.setAccessibleName(self.tr("Open the selected case"))
        self.types_button = QPushButton(self.tr("Incident &types…"), self.list_page)
        self.types_button.setAccessibleName(
            self.tr("Incident types: what each counts as in SWIS and for the state")
        )
        self.calendar_button = QPushButton(self.tr("Export &calendar…"), self.list_page)
        self.calendar_button.setAccessibleName(
            self.tr("Export circles and follow-ups to a calendar file")
        )
        self.count = QLabel(self.list_page)
        self.count.setAccessibleName(self.tr("How many cases are listed"))
        self.message = message_label(self.list_page, self.tr("Last change"))

        self.filter_bar.add_choice(self.tr("&Step:"), self.status_filter, beside_search=True)
        self.filter_bar.add_choice(None, self.open_only, beside_search=True)
        self.filter_bar.choices_row.addWidget(self.count)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.types_button)
        buttons.addWidget(self.calendar_button)
        list_layout = QVBoxLayout(self.list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(10)
        list_layout.addWidget(self.title)
        list_layout.addWidget(self.filter_bar)
        list_layout.addWidget(self.table, 1)
        list_layout.addLayout(buttons)
        list_layout.addWidget(self.message)

        self.page = CasePage(database, self.stack, clock=self.clock)
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.status_filter.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.open_only.toggled.connect(lambda _on: self._filter_changed())
        self.filter_bar.changed.connect(self.reload)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        open_on_enter(self.table, self.open_selected)
        self.new_button.clicked.connect(self.new_referral)
        self.open_button.clicked.connect(self.open_selected)
        self.calendar_button.clicked.connect(self.export_calendar)
        self.types_button.clicked.connect(self.edit_incident_types)
        self.page.back.connect(self.show_list)
        self.page.changed.connect(self._page_changed)
        self.page.open_record.connect(self.open_record)
        shortcut = QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_N), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.new_referral)
        self._dirty = False
        self.load_choices()
        self.reload()
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()
        listen(self.list_page, database, ("case", "person"), self.on_changes)

    # -- list ------------------------------------------------------------------------------

    def on_changes(self, _changes: Changes) -> None:
        """A case (or someone named in one) changed in any window: the list shows it now."""

        def chosen() -> int | None:
            row = self.selected_case()
            return row.id if row is not None else None

        def refresh() -> None:
            self.load_choices()
            try:
                self.model.refresh()
            except PROBLEMS as problem:
                show_message(self.message, problem_text(problem), problem=True)
                return
            text = count_text(self.model.total, self.tr("1 case"), self.tr("{count} cases"))
            self.count.setText(text)
            self.count.setAccessibleName(text)

        keep_place(self.table, refresh, chosen, self.select_case)

    def load_choices(self) -> None:
        """Offer the school years, incident types and schools the records have now."""
        try:
            self.filter_bar.load_choices(self.service.list_choices())
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)

    def _filter_changed(self) -> None:
        # Choosing "Closed" with "open only" ticked would show nothing: untick it.
        if self.status_filter.currentData() == "closed" and self.open_only.isChecked():
            self.open_only.blockSignals(True)
            self.open_only.setChecked(False)
            self.open_only.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        try:
            self.model.set_filter(
                self.status_filter.currentData(),
                open_only=self.open_only.isChecked(),
                filters=self.filter_bar.filters(),
            )
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return
        text = count_text(self.model.total, self.tr("1 case"), self.tr("{count} cases"))
        self.count.setText(text)
        self.count.setAccessibleName(text)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._dirty = False
            self.model.refresh()

    def selected_case(self) -> CaseRow | None:
        row = selected_row(self.table)
        return self.model.case_at(row) if row is not None else None

    def select_case(self, case_id: int) -> bool:
        row = self.model.row_of(case_id)
        if row < 0:
            return False
        select_row(self.table, row)
        return True

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.selected_case() is not None)

    # -- pages -----------------------------------------------------------------------------

    def open_selected(self) -> None:
        case = self.selected_case()
        if case is not None:
            self.open_case(case.id)

    def open_case(self, case_id: int) -> bool:
        """Show a case's page (the search and the Today screen come here)."""
        if not self.page.load(case_id):
            show_message(self.message, self.page.message.text(), problem=True)
            return False
        self.stack.setCurrentWidget(self.page)
        self.page.verticalScrollBar().setValue(0)
        self.page.back_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def show_list(self) -> None:
        current = self.page.detail.id if self.page.detail is not None else None
        self.stack.setCurrentWidget(self.list_page)
        self.model.refresh()
        self.reload_count_only()
        if current is not None:
            self.select_case(current)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def reload_count_only(self) -> None:
        text = count_text(self.model.total, self.tr("1 case"), self.tr("{count} cases"))
        self.count.setText(text)
        self.count.setAccessibleName(text)

    def _page_changed(self) -> None:
        self._dirty = True

    # -- actions ---------------------------------------------------------------------------

    def new_referral(self) -> None:
        from circlekeeper.ui.cases.intake import IntakeDialog

        dialog = IntakeDialog(
            self.service, PeopleService(context_for(self.database)), self.clock().date(), self
        )
        self.intake_dialog = dialog
        if dialog.exec() and dialog.saved is not None:
            self.reload()
            show_message(
                self.message,
                self.tr("Referral recorded as case {number}.").format(number=dialog.saved.id),
            )
            self.open_case(dialog.saved.id)

    def edit_incident_types(self) -> None:
        from circlekeeper.core.cases.incidents import IncidentVocabulary
        from circlekeeper.ui.cases.incident_types import IncidentTypesDialog

        dialog = IncidentTypesDialog(IncidentVocabulary(context_for(self.database)), self)
        self.types_dialog = dialog
        dialog.exec()

    def export_calendar(self) -> None:
        from circlekeeper.ui.cases.calendar_export import export_calendar

        worked, text = export_calendar(self.database, self)
        if text:
            show_message(self.message, text, problem=not worked)

"""The People area: find anyone as you type, add, edit, archive, and import a roster."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.people.people import PeopleService, PersonRow
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.lists import keep_place, open_on_enter, select_row, selected_row
from circlekeeper.ui.looking import screen_context
from circlekeeper.ui.operations import Changes, listen
from circlekeeper.ui.people.labels import count_text, kind_short_label
from circlekeeper.ui.people.model import PeopleTableModel
from circlekeeper.ui.style import heading, list_table, size_columns

if TYPE_CHECKING:
    from circlekeeper.ui.people.story import StudentPage

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 150


class PeopleArea(QWidget):
    """The directory of students, staff, guardians, SROs and community members.

    Opening a person (Enter, a double-click, or from anywhere else) shows their page: their
    story on one page, with Edit as one of its actions. ``open_record`` asks the window to show
    a record that lives in another area (a case, a circle, an agreement).
    """

    open_record = Signal(str, int, object)  # kind, id, parent id

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.stack = QStackedWidget(self)
        self.stack.setAccessibleName(self.tr("People"))
        self.list_page = QWidget(self.stack)
        self._story_page: StudentPage | None = None
        self.service = PeopleService(screen_context(database))
        self.model = PeopleTableModel(self.service, self)

        self.title = heading(self.tr("People"), self)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search by name or ID (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search people"))
        self.search.setAccessibleDescription(
            self.tr("Type part of a name or ID; the list below updates as you type.")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.show_archived = QCheckBox(self.tr("Show a&rchived"), self)
        self.show_archived.setAccessibleName(self.tr("Show archived people"))

        self.table = QTableView(self)
        self.table.setModel(self.model)
        header = list_table(self.table, self.tr("People list"), tall_rows=False)
        header.setSectionResizeMode(PeopleTableModel.SCHOOL, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        size_columns(
            self.table,
            (
                (PeopleTableModel.NAME, 17),
                (PeopleTableModel.EXTERNAL_ID, 7),
                (PeopleTableModel.KIND, 10),
                (PeopleTableModel.GRADE, 4),
                (PeopleTableModel.PRONOUNS, 8),
            ),
            # Every kind's short label whole ("Madre, padre o tutor").
            whole={PeopleTableModel.KIND: [kind_short_label(k.value) for k in PersonKind]},
        )
        # Rows tall enough to hit with a touchpad and to read on a projector.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)

        self.open_button = QPushButton(self.tr("&Open"), self)
        self.open_button.setAccessibleName(self.tr("Open the selected person's page"))
        self.open_button.setToolTip(self.tr("Their cases, circles, agreements and more (Enter)"))
        self.add_button = QPushButton(self.tr("&Add person…"), self)
        self.add_button.setAccessibleName(self.tr("Add person"))
        self.add_button.setToolTip(self.tr("Add a person (Ctrl+N)"))
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.edit_button.setAccessibleName(self.tr("Edit the selected person"))
        self.edit_button.setToolTip(self.tr("Edit the selected person"))
        self.archive_button = QPushButton(self.tr("Ar&chive"), self)
        self.archive_button.setAccessibleName(self.tr("Archive the selected person"))
        self.import_button = QPushButton(self.tr("&Import roster…"), self)
        self.import_button.setAccessibleName(self.tr("Import a roster file"))
        self.year_end_button = QPushButton(self.tr("End of school &year…"), self)
        self.year_end_button.setAccessibleName(
            self.tr("Close the school year: move students up a grade and archive leavers")
        )
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("How many people are listed"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Last change"))

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_archived)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.add_button, self.edit_button, self.archive_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.year_end_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status)
        bottom.addWidget(self.message, 1)
        layout = QVBoxLayout(self.list_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(bottom)
        self.stack.addWidget(self.list_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        for first, second in (
            (self.search, self.show_archived),
            (self.show_archived, self.table),
            (self.table, self.open_button),
            (self.open_button, self.add_button),
            (self.add_button, self.edit_button),
            (self.edit_button, self.archive_button),
            (self.archive_button, self.import_button),
            (self.import_button, self.year_end_button),
        ):
            QWidget.setTabOrder(first, second)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._go_to_list)
        self.search.installEventFilter(self)
        self.show_archived.toggled.connect(self.reload)
        self.table.doubleClicked.connect(self.open_selected)
        open_on_enter(self.table, self.open_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.add_button.clicked.connect(self.add_person)
        self.edit_button.clicked.connect(self.edit_selected)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.import_button.clicked.connect(self.import_roster)
        self.year_end_button.clicked.connect(self.close_school_year)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_F), self.focus_search),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_N), self.add_person),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

        self.reload()
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()
        listen(self, database, ("person",), self.on_changes)

    # -- list ------------------------------------------------------------------------------

    def on_changes(self, _changes: Changes) -> None:
        """Someone was added or edited (here or in another window): the list shows it now."""

        def chosen() -> int | None:
            row = self.selected_person()
            return row.id if row is not None else None

        def refresh() -> None:
            if self._guard(self.model.refresh):
                self._show_count()

        keep_place(self.table, refresh, chosen, self.select_person)

    def reload(self) -> None:
        """Run the current search again from the first page."""
        self._search_timer.stop()
        if not self._guard(
            lambda: self.model.set_query(
                self.search.text(), include_archived=self.show_archived.isChecked()
            )
        ):
            return
        self._show_count()

    def _show_count(self) -> None:
        total = self.model.total
        if self.model.more_than is not None:
            # The count stops at its cap (core/people/people.py PeopleCount): say so, never a
            # number of people that was not counted.
            if self.model.text.strip():
                more = self.tr("More than {count} people found")
            else:
                more = self.tr("More than {count} people")
            text = count_text(self.model.more_than, more, more)
        elif self.model.text.strip():
            text = count_text(total, self.tr("1 person found"), self.tr("{count} people found"))
        else:
            text = count_text(total, self.tr("1 person"), self.tr("{count} people"))
        self.status.setText(text)
        self.status.setAccessibleName(text)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _go_to_list(self) -> None:
        self._search_timer.stop()
        if self.model.text != self.search.text():
            self.reload()
        if self.model.rowCount() > 0:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            if self.selected_person() is None:
                self.select_row(0)

    def select_row(self, row: int) -> None:
        select_row(self.table, row)

    def select_person(self, person_id: int) -> None:
        row = self.model.row_of(person_id)
        if row >= 0:
            self.select_row(row)

    def selected_person(self) -> PersonRow | None:
        row = selected_row(self.table)
        return self.model.person_at(row) if row is not None else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search and key == Qt.Key.Key_Down:
                self._go_to_list()
                return True
        return super().eventFilter(watched, event)

    def _update_buttons(self) -> None:
        person = self.selected_person()
        self.open_button.setEnabled(person is not None)
        self.edit_button.setEnabled(person is not None)
        self.archive_button.setEnabled(person is not None)
        if person is not None and person.archived:
            self.archive_button.setText(self.tr("Re&store"))
            self.archive_button.setAccessibleName(self.tr("Restore the selected person"))
        else:
            self.archive_button.setText(self.tr("Ar&chive"))
            self.archive_button.setAccessibleName(self.tr("Archive the selected person"))

    # -- a person's page --------------------------------------------------------------------

    @property
    def story_page(self) -> StudentPage:
        """The student page (built the first time a person is opened)."""
        from circlekeeper.ui.people.story import StudentPage

        if self._story_page is None:
            page = StudentPage(self.database, self.stack)
            page.back.connect(self.show_list)
            page.open_record.connect(self.open_record)
            page.edited.connect(lambda _id: self.on_changes(Changes.of("person")))
            self.stack.addWidget(page)
            self._story_page = page
        return self._story_page

    def open_selected(self) -> None:
        person = self.selected_person()
        if person is not None:
            self.open_person(person.id)

    def open_person(self, person_id: int) -> bool:
        """Show one person's page (from the list, a search, a case or a circle)."""
        page = self.story_page
        shown = page.show_person(person_id)
        self.stack.setCurrentWidget(page)
        page.back_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return bool(shown)

    def show_list(self) -> None:
        """Back to the directory, on the person whose page was open."""
        page = self._story_page
        self.stack.setCurrentWidget(self.list_page)
        if page is not None and page.person_id is not None:
            self.select_person(page.person_id)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- actions ---------------------------------------------------------------------------

    def add_person(self) -> None:
        from circlekeeper.ui.people.dialog import PersonDialog

        dialog = PersonDialog(self.service, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self._after_change(dialog.saved, self.tr("Added {name}."))

    def edit_selected(self) -> None:
        from circlekeeper.ui.people.dialog import PersonDialog

        person = self.selected_person()
        if person is None:
            return
        try:
            dialog = PersonDialog(self.service, person.id, parent=self)
        except (NotFound, DatabaseProblem) as problem:
            self._show_problem(problem)
            self.reload()
            return
        if dialog.exec() and dialog.saved is not None:
            self._after_change(dialog.saved, self.tr("Saved the changes to {name}."))

    def toggle_archived(self) -> None:
        person = self.selected_person()
        if person is None:
            return
        archive = not person.archived
        if not self._guard(lambda: self.service.set_archived(person.id, archive)):
            return
        if archive:
            text = self.tr(
                "Archived {name}. Their records are kept; tick Show archived to see them."
            )
        else:
            text = self.tr("Restored {name}.")
        self._after_change(person, text)

    def import_roster(self) -> None:
        from circlekeeper.ui.people.import_dialog import RosterImportDialog

        dialog = RosterImportDialog(self.database, parent=self)
        dialog.exec()
        if dialog.result_summary is not None:
            self.reload()
            self.message.setText(dialog.result_summary)

    def close_school_year(self) -> None:
        from circlekeeper.ui.people.year_end_dialog import YearEndDialog

        dialog = YearEndDialog(self.database, parent=self)
        dialog.exec()
        if dialog.result_summary is not None:
            self.reload()
            self.message.setText(dialog.result_summary)

    def _after_change(self, person: PersonRow, text: str) -> None:
        if not self._guard(self.model.refresh):
            return
        self._show_count()
        self.select_person(person.id)
        self.message.setText(text.format(name=person.display_name))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- problems --------------------------------------------------------------------------

    def _guard(self, action: object) -> bool:
        try:
            action()  # type: ignore[operator]
        except (InvalidInput, NotFound, DatabaseProblem) as problem:
            self._show_problem(problem)
            return False
        return True

    def _show_problem(self, problem: Exception) -> None:
        if isinstance(problem, DatabaseProblem):
            log.exception("People area: database error", exc_info=problem)
            text = self.tr(
                "The records could not be read or saved just now. Nothing already saved was "
                "lost. Try again; if it keeps happening, restart circlekeeper."
            )
        else:
            text = str(problem)
        QMessageBox.warning(self, self.tr("That did not work"), text)

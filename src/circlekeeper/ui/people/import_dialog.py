"""Importing a roster (CSV or Excel from the student information system), with a preview first.

The preview says which system the file came from, lets the person change which field each
column fills (kept for that system's next file), and shows what happens to every row: new,
unchanged, or which fields change from what to what; and who the roster no longer lists.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.database import Database
from circlekeeper.ui.background import BackgroundTask
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.looking import screen_context
from circlekeeper.ui.people.labels import count_text
from circlekeeper.ui.people.roster_preview import (
    PREVIEW_FIELDS,
    ColumnChoices,
    RosterPreviewModel,
    field_label,
)
from circlekeeper.ui.style import heading, note

__all__ = ["PREVIEW_FIELDS", "RosterImportDialog", "RosterPreviewModel", "field_label"]

log = logging.getLogger(__name__)


class RosterImportDialog(QDialog):
    """Choose a roster file, check what will happen, then import it all (or nothing)."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.preview: Any = None
        self.comparison: Any = None
        self.result_summary: str | None = None
        self.task: BackgroundTask | None = None
        self.file: Path | None = None
        self.chosen: dict[str, str] = {}  # the person's column choices for this file
        self.use_saved = True  # False once the person asks for the usual columns again
        self.setWindowTitle(self.tr("Import a roster"))
        self.setAccessibleName(self.windowTitle())
        default_size(self, 980, 700)

        self.path = QLineEdit(self)
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(self.tr("No file chosen yet"))
        self.path.setAccessibleName(self.tr("Roster file"))
        self.choose_button = QPushButton(self.tr("&Choose file…"), self)
        self.choose_button.setAccessibleName(self.tr("Choose a roster file"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("File summary"))

        self.sheet_label = QLabel(self.tr("S&heet"), self)
        self.sheet = QComboBox(self)
        self.sheet.setAccessibleName(self.tr("Sheet of the workbook to read"))
        self.sheet_label.setBuddy(self.sheet)
        self.mapping = ColumnChoices(self)
        self.mapping.setTabKeyNavigation(False)
        self.reset_columns = QPushButton(self.tr("Use the &usual columns"), self)
        self.reset_columns.setAccessibleName(
            self.tr("Forget the column choices and use the usual ones for this system")
        )

        self.preview_model = RosterPreviewModel(self)
        self.preview_table = QTableView(self)
        self.preview_table.setModel(self.preview_model)
        self.preview_table.setAccessibleName(self.tr("Rows that will be imported"))
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_table.setTabKeyNavigation(False)
        self.preview_table.setAlternatingRowColors(True)
        self.preview_table.verticalHeader().setVisible(False)
        self.preview_table.horizontalHeader().setStretchLastSection(True)

        self.problems_title = QLabel(self.tr("Problems"), self)
        self.problems = QListWidget(self)
        self.problems.setAccessibleName(self.tr("Problems found in the file"))
        self.problems.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.skip_bad = QCheckBox(self.tr("&Skip rows with problems and import the rest"), self)
        self.skip_bad.setAccessibleName(self.tr("Skip rows with problems"))
        self.missing = QListWidget(self)
        self.missing.setAccessibleName(self.tr("Students this roster no longer lists"))
        self.missing.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.archive_missing = QCheckBox(self)
        self.archive_missing.setAccessibleName(
            self.tr("Archive the students this roster no longer lists")
        )

        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("Import progress"))
        self.progress.hide()
        self.import_button = QPushButton(self.tr("&Import"), self)
        self.import_button.setAccessibleName(self.tr("Import the roster"))
        self.import_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAccessibleName(self.tr("Close"))

        file_row = QHBoxLayout()
        label = QLabel(self.tr("Roster &file"), self)
        label.setBuddy(self.choose_button)
        file_row.addWidget(label)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.sheet_label)
        file_row.addWidget(self.sheet)
        middle = QHBoxLayout()
        mapping_column = QVBoxLayout()
        columns_label = QLabel(self.tr("Colu&mns (choose what each one holds)"), self)
        columns_label.setBuddy(self.mapping)
        mapping_column.addWidget(columns_label)
        mapping_column.addWidget(self.mapping)
        mapping_column.addWidget(self.reset_columns)
        preview_column = QVBoxLayout()
        preview_column.addWidget(QLabel(self.tr("Preview"), self))
        preview_column.addWidget(self.preview_table)
        middle.addLayout(mapping_column, 4)
        middle.addLayout(preview_column, 6)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self))
        layout.addWidget(
            note(
                self.tr(
                    "Choose a CSV or Excel file exported from your student information system. "
                    "Nothing is saved until you press Import, and an import either completes or "
                    "leaves your records as they were. People already listed (same ID) are "
                    "updated."
                ),
                self,
            )
        )
        layout.addLayout(file_row)
        layout.addWidget(self.summary)
        layout.addLayout(middle, 1)
        layout.addWidget(self.problems_title)
        layout.addWidget(self.problems)
        layout.addWidget(self.skip_bad)
        layout.addWidget(self.missing)
        layout.addWidget(self.archive_missing)
        layout.addLayout(buttons)

        self.choose_button.clicked.connect(self.choose_file)
        self.sheet.activated.connect(lambda _i: self._reload())
        self.mapping.chosen.connect(self.choose_column)
        self.reset_columns.clicked.connect(self.use_usual_columns)
        self.skip_bad.toggled.connect(self._update_buttons)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        self._show_preview(None)

    # -- reading ---------------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a roster file"),
            str(Path.home()),
            self.tr("Roster files (*.csv *.txt *.xlsx);;All files (*)"),
        )
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> bool:
        """Read ``path`` and show what an import would do; False when it cannot be used."""
        self.file, self.chosen, self.use_saved = path, {}, True
        self.sheet.clear()
        return self._reload()

    def choose_column(self, column: str, field: str) -> None:
        """The person chose which field a column fills: read the file again with it.

        A choice that cannot work (two columns for one field) is undone, and said why.
        """
        previous = dict(self.chosen)
        self.chosen[column] = field
        if self._reload() or self.preview is not None:
            return
        problem = self.summary.text()
        self.chosen = previous
        if self._reload():
            self.summary.setText(
                self.tr("That choice was not kept: {problem}").format(problem=problem)
            )

    def use_usual_columns(self) -> None:
        """Forget saved and chosen columns: the system's usual columns (saved on import)."""
        self.chosen, self.use_saved = {}, False
        self._reload()

    def _reload(self) -> bool:
        from circlekeeper.core.roster.queries import compare, saved_mappings
        from circlekeeper.core.roster.reading import read_roster
        from circlekeeper.core.roster.sources import SheetChoiceNeeded

        path = self.file
        if path is None:
            return False
        self.path.setText(str(path))
        self.result_summary = None
        context = screen_context(self.database)
        sheet = self.sheet.currentText() or None
        try:
            saved = saved_mappings(context) if self.use_saved else {}
            preview = read_roster(path, mapping=self.chosen, saved=saved, sheet=sheet)
            comparison = compare(context, preview)
        except SheetChoiceNeeded as problem:
            self.sheet.addItems(problem.sheets)
            self._show_sheets(True)
            self._show_preview(
                None, self.tr("This workbook has several sheets: choose the one with the roster.")
            )
            self.sheet.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        except InvalidInput as problem:
            self._show_preview(None, str(problem))
            self.reset_columns.setVisible(bool(self.chosen) or self.use_saved)
            return False
        except (OSError, UnicodeError) as problem:
            log.warning("Reading roster %s failed: %s", path, problem)
            self._show_preview(
                None,
                self.tr("The file could not be read ({problem}). Check it is a CSV file.").format(
                    problem=problem
                ),
            )
            return False
        self._show_sheets(self.sheet.count() > 1)
        self.comparison = comparison
        self._show_preview(preview)
        return True

    def _show_sheets(self, shown: bool) -> None:
        self.sheet_label.setVisible(shown)
        self.sheet.setVisible(shown)

    def _show_preview(self, preview: Any, problem: str | None = None) -> None:
        from circlekeeper.core.roster.presets import FIELDS

        self.preview = preview
        self.problems.clear()
        self.missing.clear()
        self.skip_bad.setChecked(False)
        self.archive_missing.setChecked(False)
        if preview is None:
            self.comparison = None
            self.mapping.setRowCount(0)
            self.preview_model.set_rows([])
            self.summary.setText(problem or self.tr("Choose a file to see what it holds."))
            self.problems_title.setVisible(problem is not None)
            for widget in (self.problems, self.skip_bad, self.missing, self.archive_missing):
                widget.setVisible(False)
            self.reset_columns.setVisible(False)
            self._show_sheets(self.sheet.count() > 1)
            self._update_buttons()
            return
        rows = list(preview.rows)
        errors = list(preview.errors)
        self.preview_model.set_rows(rows)
        self.preview_table.resizeColumnsToContents()
        self.mapping.show_columns(preview.columns, preview.mapping, list(FIELDS))
        self.reset_columns.setVisible(bool(preview.chosen))
        plan = self.comparison
        rows_text = self.tr("{new} new, {updated} changed, {unchanged} unchanged").format(
            new=plan.new, updated=plan.updated, unchanged=plan.unchanged
        )
        problems_text = count_text(
            len(preview.bad_lines),
            self.tr("1 row with a problem"),
            self.tr("{count} rows with problems"),
        )
        text = self.tr("A {system} file, read as {encoding}: {rows}; {problems}.").format(
            system=preview.source_label,
            encoding=preview.encoding,
            rows=rows_text,
            problems=problems_text,
        )
        self.summary.setText(" ".join([text, *preview.notes]))
        for error in errors:
            self.problems.addItem(
                self.tr("Line {line}: {message}").format(
                    line=error.line_number, message=error.message
                )
            )
        for person in plan.missing:
            self.missing.addItem(
                self.tr("{name} ({id}), not on this roster").format(
                    name=person.name, id=person.external_id
                )
            )
        self.archive_missing.setText(
            count_text(
                len(plan.missing),
                self.tr("&Archive the 1 student this roster no longer lists (records are kept)"),
                self.tr(
                    "&Archive the {count} students this roster no longer lists (records are kept)"
                ),
            )
        )
        self.problems_title.setVisible(bool(errors))
        self.problems.setVisible(bool(errors))
        self.skip_bad.setVisible(bool(errors))
        self.missing.setVisible(bool(plan.missing))
        self.archive_missing.setVisible(bool(plan.missing))
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.task is not None
        ready = (
            self.preview is not None
            and self.result_summary is None
            and bool(self.preview.rows)
            and (not self.preview.errors or self.skip_bad.isChecked())
        )
        self.import_button.setEnabled(ready and not busy)
        self.choose_button.setEnabled(not busy)
        self.skip_bad.setEnabled(not busy)
        self.mapping.setEnabled(not busy)
        self.archive_missing.setEnabled(not busy)
        self.close_button.setEnabled(True)
        self.close_button.setText(self.tr("Cancel import") if busy else self.tr("Close"))
        self.close_button.setAccessibleName(self.close_button.text())

    # -- importing -------------------------------------------------------------------------

    def start_import(self) -> None:
        from circlekeeper.core.roster.commands import import_roster

        if self.preview is None or self.task is not None or not self.import_button.isEnabled():
            return
        preview = self.preview
        skip = self.skip_bad.isChecked()
        archive = self.archive_missing.isVisible() and self.archive_missing.isChecked()
        # Who imports is asked here, on the UI thread; the import runs on another thread.
        looking = screen_context(self.database)
        context = looking.acting_as(looking.actor(), looking.viewer())

        def work(progress: Any, cancelled: Any) -> object:
            return import_roster(
                context,
                preview,
                skip_bad_rows=skip,
                archive_missing=archive,
                progress=progress,
                cancelled=cancelled,
            )

        self.task = BackgroundTask(work, self)
        self.task.progressed.connect(self._show_progress)
        self.task.succeeded.connect(self._imported)
        self.task.failed.connect(self._import_failed)
        self.task.finished.connect(self._import_finished)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.summary.setText(self.tr("Importing…"))
        self._update_buttons()
        self.task.start()

    def _show_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _imported(self, result: Any) -> None:
        # Even when Cancel came too late to stop it, the import is complete and saved: say so.
        self.result_summary = self.tr(
            "Roster imported: {created} added, {updated} updated, {skipped} skipped, "
            "{guardians} guardian links made, {archived} archived."
        ).format(
            created=result.created,
            updated=result.updated,
            skipped=result.skipped,
            guardians=result.guardians_linked,
            archived=result.archived,
        )
        self.summary.setText(self.result_summary)

    def _import_failed(self, error: BaseException) -> None:
        if self.task is not None and self.task.cancel_requested:
            self.summary.setText(self.tr("Import cancelled. Nothing was imported."))
        elif isinstance(error, InvalidInput):
            self.summary.setText(
                self.tr("Nothing was imported: {problem}").format(problem=str(error))
            )
        else:
            self.summary.setText(
                self.tr(
                    "Nothing was imported: the records could not be saved just now. "
                    "Your existing records are unchanged; try again."
                )
            )

    def _import_finished(self) -> None:
        self.task = None
        self.progress.hide()
        self._update_buttons()
        if self.result_summary is not None:
            self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.summary.setText(self.tr("Cancelling… nothing will be imported."))
            self.close_button.setEnabled(False)
            return
        super().reject()

    def wait_for_import(self, timeout_ms: int = 30000) -> None:
        """For tests and closing: block until a running import has ended."""
        from PySide6.QtCore import QDeadlineTimer, QThreadPool

        QThreadPool.globalInstance().waitForDone(QDeadlineTimer(timeout_ms))

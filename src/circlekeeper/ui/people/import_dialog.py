"""Importing a roster file (CSV from the student information system), with a preview first."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.people.people import PersonData
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.database import Database
from circlekeeper.ui.background import BackgroundTask
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.looking import screen_context
from circlekeeper.ui.people.labels import count_text, kind_short_label
from circlekeeper.ui.style import heading, note

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex

# Which PersonData fields the preview shows, in order.
PREVIEW_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "kind",
    "grade",
    "external_id",
    "school",
    "pronouns",
)


def field_label(name: str) -> str:
    labels = {
        "first_name": "First name",
        "last_name": "Last name",
        "preferred_name": "Preferred name",
        "pronouns": "Pronouns",
        "kind": "Kind",
        "grade": "Grade",
        "school": "School",
        "external_id": "Student/staff ID",
        "birth_date": "Birth date",
        "email": "Email",
        "phone": "Phone",
        "title": "Job title",
        "gender": "Gender",
        "race_ethnicity": "Race or ethnicity",
        "disability": "Disability",
        "english_learner": "English learner",
        "low_income": "Low income",
        "guardian_name": "Guardian name",
        "guardian_phone": "Guardian phone",
        "guardian_email": "Guardian email",
        "guardian_relationship": "Guardian relationship",
    }
    text = labels.get(name, name.replace("_", " ").capitalize())
    return QCoreApplication.translate("RosterFields", text)


class RosterPreviewModel(QAbstractTableModel):
    """The rows read from the file: file line number, then the main person fields."""

    LINE = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(PREVIEW_FIELDS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == self.LINE:
            return QCoreApplication.translate("RosterPreviewModel", "Line")
        return field_label(PREVIEW_FIELDS[section - 1])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        row = self._rows[index.row()]
        if index.column() == self.LINE:
            return str(row.line_number)
        data: PersonData = row.data
        name = PREVIEW_FIELDS[index.column() - 1]
        value = getattr(data, name, None)
        if name == "kind" and value:
            return kind_short_label(str(value))
        return "" if value is None else str(value)


class RosterImportDialog(QDialog):
    """Choose a roster file, check what will happen, then import it all (or nothing)."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.preview: Any = None
        self.result_summary: str | None = None
        self.task: BackgroundTask | None = None
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

        self.mapping = QTableWidget(0, 2, self)
        self.mapping.setAccessibleName(self.tr("How the file's columns are used"))
        self.mapping.setHorizontalHeaderLabels([self.tr("In the file"), self.tr("Used as")])
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping.setTabKeyNavigation(False)
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

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
        middle = QHBoxLayout()
        mapping_column = QVBoxLayout()
        mapping_column.addWidget(QLabel(self.tr("Columns"), self))
        mapping_column.addWidget(self.mapping)
        preview_column = QVBoxLayout()
        preview_column.addWidget(QLabel(self.tr("Preview"), self))
        preview_column.addWidget(self.preview_table)
        middle.addLayout(mapping_column, 2)
        middle.addLayout(preview_column, 5)
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
                    "Choose a CSV file exported from your student information system. Nothing "
                    "is saved until you press Import, and an import either completes or leaves "
                    "your records as they were. People already listed (same ID) are updated."
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
        layout.addLayout(buttons)

        self.choose_button.clicked.connect(self.choose_file)
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
            self.tr("Roster files (*.csv *.txt);;All files (*)"),
        )
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> bool:
        """Read ``path`` and show what an import would do; False when it cannot be used."""
        from circlekeeper.core.roster.reading import read_roster

        self.path.setText(str(path))
        self.result_summary = None
        try:
            preview = read_roster(path)
        except InvalidInput as problem:
            self._show_preview(None, str(problem))
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
        self._show_preview(preview)
        return True

    def _show_preview(self, preview: Any, problem: str | None = None) -> None:
        self.preview = preview
        self.mapping.setRowCount(0)
        self.problems.clear()
        self.skip_bad.setChecked(False)
        if preview is None:
            self.preview_model.set_rows([])
            self.summary.setText(problem or self.tr("Choose a file to see what it holds."))
            self.problems_title.setVisible(problem is not None)
            self.problems.setVisible(False)
            self.skip_bad.setVisible(False)
            self._update_buttons()
            return
        rows = list(preview.rows)
        errors = list(preview.errors)
        self.preview_model.set_rows(rows)
        self.preview_table.resizeColumnsToContents()
        mapped = list(preview.mapping.items())
        unmapped = list(preview.unmapped)
        self.mapping.setRowCount(len(mapped) + len(unmapped))
        for row, (column, field) in enumerate(mapped):
            self.mapping.setItem(row, 0, QTableWidgetItem(column))
            self.mapping.setItem(row, 1, QTableWidgetItem(field_label(field)))
        for row, column in enumerate(unmapped, start=len(mapped)):
            self.mapping.setItem(row, 0, QTableWidgetItem(column))
            self.mapping.setItem(row, 1, QTableWidgetItem(self.tr("Not used")))
        rows_text = count_text(len(rows), self.tr("1 row ready"), self.tr("{count} rows ready"))
        problems_text = count_text(
            len(errors), self.tr("1 row with a problem"), self.tr("{count} rows with problems")
        )
        self.summary.setText(
            self.tr("Read as {encoding}. {rows}; {problems}.").format(
                encoding=preview.encoding, rows=rows_text, problems=problems_text
            )
        )
        for error in errors:
            self.problems.addItem(
                self.tr("Line {line}: {message}").format(
                    line=error.line_number, message=error.message
                )
            )
        self.problems_title.setVisible(bool(errors))
        self.problems.setVisible(bool(errors))
        self.skip_bad.setVisible(bool(errors))
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
        # Who imports is asked here, on the UI thread; the import runs on another thread.
        looking = screen_context(self.database)
        context = looking.acting_as(looking.actor(), looking.viewer())

        def work(progress: Any, cancelled: Any) -> object:
            return import_roster(
                context,
                preview,
                skip_bad_rows=skip,
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
            "{guardians} guardian links made."
        ).format(
            created=result.created,
            updated=result.updated,
            skipped=result.skipped,
            guardians=result.guardians_linked,
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

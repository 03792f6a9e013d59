"""The Reports area: pick a report, its period, school and smallest group, build, read, save.

The report is built by the core engine (the same one as ``circlekeeper report``) off the UI
thread; what is on show is exactly what is saved, in any format. Changing a choice after
building asks for a new build before saving, so a file never holds figures nobody looked at.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtGui import (
    QKeySequence,
    QPagedPaintDevice,
    QShortcut,
    QShowEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.export.report_files import check_shareable
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.reports.model import Report
from circlekeeper.core.store.database import Database
from circlekeeper.ui.agreements.labels import language_choices
from circlekeeper.ui.background import BackgroundTask
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    from_qdate,
    message_label,
    problem_text,
    show_message,
    to_qdate,
)
from circlekeeper.ui.locale import format_edit, language
from circlekeeper.ui.reports.labels import FORMATS, format_accessible_name, format_button_text
from circlekeeper.ui.reports.report_view import ReportView
from circlekeeper.ui.style import compact_combo, heading, note

log = logging.getLogger(__name__)

DEFAULT_MIN_CELL = 10


@dataclass(frozen=True)
class ReportRequest:
    """What the person asked for: everything the engine needs to build one report."""

    name: str
    start: date
    end: date
    school: str | None
    min_cell: int
    unsuppressed: bool
    by_school: bool = False


Build = Callable[[ReportRequest], Report]


def school_year_start(today: date) -> date:
    """The first of August of the school year ``today`` falls in."""
    return date(today.year if today.month >= 8 else today.year - 1, 8, 1)


def last_month(today: date) -> tuple[date, date]:
    """The first and last day of the calendar month before ``today``'s."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class ReportsArea(QWidget):
    """Choices on top, the report in the middle, saving at the bottom."""

    built = Signal()  # a new report is on show
    build_failed = Signal(str)

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        *,
        build: Build | None = None,
        names: Sequence[str] | None = None,
        schools: Sequence[str] | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self._build = build or self._build_with_engine
        self.report: Report | None = None
        self.built_request: ReportRequest | None = None
        self.task: BackgroundTask | None = None
        self.last_saved: Path | None = None
        today = today or date.today()

        self.title = heading(self.tr("Reports"), self)
        self.report_choice = compact_combo(QComboBox(self), 24)
        self.report_choice.setAccessibleName(self.tr("Report"))
        for name in names if names is not None else self._engine_names():
            self.report_choice.addItem(self._title(name), name)
        self.description = note("", self)
        self.description.setAccessibleName(self.tr("What the report shows"))
        self.start_date = QDateEdit(to_qdate(school_year_start(today)), self)
        self.start_date.setAccessibleName(self.tr("First day of the period"))
        self.end_date = QDateEdit(to_qdate(today), self)
        self.end_date.setAccessibleName(self.tr("Last day of the period"))
        for edit in (self.start_date, self.end_date):
            edit.setCalendarPopup(True)
            format_edit(edit)
        self.today = today
        self.school_year_button = QPushButton(self.tr("School &year"), self)
        self.school_year_button.setAccessibleName(self.tr("Period: this school year so far"))
        self.school_year_button.clicked.connect(
            lambda: self.set_period(school_year_start(self.today), self.today)
        )
        self.last_month_button = QPushButton(self.tr("Last &month"), self)
        self.last_month_button.setAccessibleName(self.tr("Period: last month"))
        self.last_month_button.clicked.connect(lambda: self.set_period(*last_month(self.today)))
        self.school = compact_combo(QComboBox(self))
        self.school.setAccessibleName(self.tr("School"))
        self._fixed_schools = schools
        self._shown_once = False
        self.school.addItem(self.tr("All schools"), None)
        self.load_schools()
        self.min_cell = QSpinBox(self)
        self.min_cell.setRange(1, 1000)
        self.min_cell.setValue(self._school_min_cell())
        self.min_cell.setSuffix(self.tr(" students"))
        self.min_cell.setAccessibleName(self.tr("Smallest group shown"))
        self.min_cell.setToolTip(
            self.tr(
                "Any figure about fewer students than this is hidden, and so is any figure that "
                "would let a hidden one be worked out. 10 is common; never go below your "
                "district's rule."
            )
        )
        self.keep_min_cell = QPushButton(self.tr("&Use this smallest group for every report"), self)
        self.keep_min_cell.setAccessibleName(
            self.tr("Make this smallest group the school's rule for every report")
        )
        self.keep_min_cell.setToolTip(
            self.tr("Reports here and on the command line start from this number from now on.")
        )
        self.language = compact_combo(QComboBox(self), 12)
        for value, text in language_choices():
            self.language.addItem(text, value)
        self.language.setAccessibleName(self.tr("Language of the report"))
        # A report starts in the language of the screens; English is one choice away.
        self.language.setCurrentIndex(max(self.language.findData(language()), 0))
        self.internal = QCheckBox(self.tr("&Internal view: show every figure (never share it)"))
        self.internal.setParent(self)
        self.internal.setAccessibleName(self.tr("Internal view, nothing hidden"))
        self.internal.setVisible(self._may_see_unsuppressed())
        self.by_school = QCheckBox(self.tr("A row for each sc&hool and the district total"))
        self.by_school.setParent(self)
        self.by_school.setAccessibleName(self.tr("A row for each school and the district total"))
        self.by_school.setToolTip(
            self.tr(
                "For all schools: adds a table comparing the schools, with small numbers "
                "hidden for each school."
            )
        )
        self.build_button = QPushButton(self.tr("&Build report"), self)
        self.build_button.setAccessibleName(self.tr("Build the report"))
        self.build_button.setToolTip(self.tr("Build the report (Ctrl+Enter)"))
        self.build_button.setDefault(True)
        self.message = message_label(self, self.tr("Report messages"))
        self.view = ReportView(self)
        self.export_buttons: dict[str, QPushButton] = {}
        exports = QHBoxLayout()
        self.export_label = QLabel(self.tr("Save what is shown:"), self)
        exports.addWidget(self.export_label)
        for key, _text, _suffix, _pattern in FORMATS:
            button = QPushButton(format_button_text(key), self)
            button.setAccessibleName(format_accessible_name(key))
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, k=key: self.export(k))
            self.export_buttons[key] = button
            exports.addWidget(button)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.print_button.setAccessibleName(self.tr("Print the report with a preview"))
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_preview)
        exports.addWidget(self.print_button)
        exports.addStretch(1)

        grid = QGridLayout()
        self._labelled(grid, 0, 0, self.tr("&Report:"), self.report_choice, span=3)
        self._labelled(grid, 0, 4, self.tr("&Language:"), self.language)
        self._labelled(grid, 1, 0, self.tr("&From:"), self.start_date)
        self._labelled(grid, 1, 2, self.tr("&To:"), self.end_date)
        periods = QHBoxLayout()
        periods.addWidget(self.school_year_button)
        periods.addWidget(self.last_month_button)
        periods.addStretch(1)
        grid.addLayout(periods, 2, 1, 1, 3)
        self._labelled(grid, 1, 4, self.tr("S&chool:"), self.school)
        self._labelled(grid, 2, 4, self.tr("Smallest &group:"), self.min_cell)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 1)
        # The internal view on a line of its own: with longer words (Spanish) one line of all
        # three pushed the window past a laptop's screen.
        actions = QVBoxLayout()
        actions.addWidget(self.by_school)
        actions.addWidget(self.internal)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_min_cell)
        buttons.addWidget(self.build_button)
        actions.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(self.description)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        layout.addLayout(exports)

        self.build_shortcuts = []
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self.build_report)
            self.build_shortcuts.append(shortcut)
        self.build_button.clicked.connect(self.build_report)
        self.keep_min_cell.clicked.connect(self.keep_min_cell_for_school)
        self.report_choice.currentIndexChanged.connect(self._describe)
        self.language.currentIndexChanged.connect(self._language_changed)
        for signal in (
            self.report_choice.currentIndexChanged,
            self.start_date.dateChanged,
            self.end_date.dateChanged,
            self.school.currentIndexChanged,
            self.min_cell.valueChanged,
            self.internal.toggled,
            self.by_school.toggled,
        ):
            signal.connect(self._choices_changed)
        self.report_choice.currentIndexChanged.connect(self._update_by_school)
        self.school.currentIndexChanged.connect(self._update_by_school)
        self._describe()
        self._update_by_school()

    def _labelled(
        self, grid: QGridLayout, row: int, column: int, text: str, field: QWidget, span: int = 1
    ) -> None:
        label = QLabel(text, self)
        label.setBuddy(field)
        grid.addWidget(label, row, column)
        grid.addWidget(field, row, column + 1, 1, span)

    # -- what the engine offers ------------------------------------------------------------

    def _engine_names(self) -> Sequence[str]:
        from circlekeeper.core.reports.engine import REPORT_NAMES

        names: Sequence[str] = REPORT_NAMES
        return names

    def load_schools(self) -> None:
        """Offer every school the records name (a school added since is there on return)."""
        names = self._fixed_schools if self._fixed_schools is not None else self._known_schools()
        chosen = self.school.currentData()
        self.school.blockSignals(True)
        while self.school.count() > 1:
            self.school.removeItem(1)
        for school in names:
            self.school.addItem(school, school)
        index = self.school.findData(chosen) if chosen is not None else 0
        self.school.setCurrentIndex(max(0, index))
        self.school.blockSignals(False)
        if chosen is not None and index < 0:
            self._choices_changed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._shown_once:
            self.load_schools()
        self._shown_once = True

    def set_period(self, start: date, end: date) -> None:
        """Show a period in the two date fields (the quick choices use this)."""
        self.start_date.setDate(to_qdate(start))
        self.end_date.setDate(to_qdate(end))

    def _title(self, name: str) -> str:
        from circlekeeper.core.reports.engine import title

        try:
            return title(name).in_lang(language())
        except InvalidInput:
            return name

    def _known_schools(self) -> list[str]:
        from circlekeeper.core.reports.facts import known_schools

        try:
            with self.database.sessions() as session:
                return known_schools(session)
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return []

    def _school_min_cell(self) -> int:
        from circlekeeper.core.reports.engine import configured_min_cell

        try:
            return configured_min_cell(self.database.sessions)
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return DEFAULT_MIN_CELL

    def keep_min_cell_for_school(self) -> bool:
        """Save the smallest group shown as the school's rule for every report from now on."""
        from circlekeeper.core.reports.engine import set_min_cell

        value = self.min_cell.value()
        try:
            set_min_cell(self.database.sessions, value)
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return False
        show_message(
            self.message,
            self.tr("From now on every report starts from {n} students.").format(n=value),
        )
        return True

    def _may_see_unsuppressed(self) -> bool:
        from circlekeeper.core.reports.engine import may_see_unsuppressed
        from circlekeeper.ui.profiles import current_viewer

        return may_see_unsuppressed(current_viewer(self.database))

    def _describe(self) -> None:
        name = self.report_choice.currentData()
        text = ""
        if name:
            from circlekeeper.core.reports.engine import describe

            try:
                text = describe(name).in_lang(language())
            except InvalidInput:
                text = ""
        self.description.setText(text)
        self.description.setVisible(bool(text))

    def _build_with_engine(self, request: ReportRequest) -> Report:
        from circlekeeper.core.reports.engine import build_report
        from circlekeeper.ui.profiles import current_viewer

        report: Report = build_report(
            request.name,
            self.database.sessions,
            start=request.start,
            end=request.end,
            school=request.school,
            min_cell=request.min_cell,
            viewer=current_viewer(self.database),
            unsuppressed=request.unsuppressed,
            by_school=request.by_school,
        )
        return report

    # -- building --------------------------------------------------------------------------

    def _lang(self) -> str:
        return str(self.language.currentData() or "en")

    def request(self) -> ReportRequest:
        """The report the choices on screen ask for."""
        return ReportRequest(
            name=str(self.report_choice.currentData() or ""),
            start=from_qdate(self.start_date.date()),
            end=from_qdate(self.end_date.date()),
            school=self.school.currentData(),
            min_cell=self.min_cell.value(),
            unsuppressed=self.internal.isVisible() and self.internal.isChecked(),
            by_school=self.by_school.isEnabled() and self.by_school.isChecked(),
        )

    def _update_by_school(self) -> None:
        """A row per school is offered for all schools, in the reports that compare them."""
        from circlekeeper.core.reports.rollup import ROLLUP_REPORTS

        self.by_school.setEnabled(
            self.school.currentData() is None and self.report_choice.currentData() in ROLLUP_REPORTS
        )

    def build_report(self) -> None:
        """Build the chosen report off the UI thread; ``built`` is emitted when it shows."""
        if self.task is not None and self.task.running:
            return
        request = self.request()
        show_message(self.message, self.tr("Building the report…"))
        self.build_button.setEnabled(False)
        task = BackgroundTask(lambda _progress, _cancelled: self._build(request), self)
        task.succeeded.connect(lambda report: self._show(request, report))
        task.failed.connect(self._failed)
        self.task = task
        task.start()

    def _show(self, request: ReportRequest, report: object) -> None:
        self.build_button.setEnabled(True)
        if not isinstance(report, Report):
            return
        self.report = report
        self.built_request = request
        self.view.show_report(report, self._lang())
        show_message(self.message, "")
        self._choices_changed()
        self.built.emit()

    def _failed(self, problem: object) -> None:
        self.build_button.setEnabled(True)
        if isinstance(problem, PROBLEMS):
            text = problem_text(problem)
        else:
            log.error("Building a report failed", exc_info=problem)  # type: ignore[arg-type]
            text = self.tr(
                "The report could not be built. Nothing was changed. Try again; if it keeps "
                "happening, the details are in the log file."
            )
        show_message(self.message, text, problem=True)
        self.build_failed.emit(text)

    def _language_changed(self) -> None:
        self._describe()
        if self.report is not None:
            self.view.show_report(self.report, self._lang())

    def _choices_changed(self) -> None:
        current = self.report is not None and self.request() == self.built_request
        # The internal view is for the screen only (report_files.check_shareable).
        internal = self.report is not None and self.report.unsuppressed
        for button in (*self.export_buttons.values(), self.print_button):
            button.setEnabled(current and not internal)
        if self.report is not None and not current:
            show_message(
                self.message, self.tr("Your choices changed: build the report again to save it.")
            )
        elif current and internal:
            show_message(
                self.message,
                self.tr(
                    "The internal view is for this screen only: build the report without it "
                    "to save or print it."
                ),
            )
        elif current and not self.message.text().startswith("⚠"):
            show_message(self.message, "")

    # -- saving ----------------------------------------------------------------------------

    def _file_stem(self, report: Report) -> str:
        school = re.sub(r"[^\w-]+", "-", report.school or "").strip("-")[:30]
        parts = [report.name, report.period_start.isoformat(), report.period_end.isoformat()]
        if school:
            parts.insert(1, school)
        return "-".join(parts)

    def ask_path(self, key: str) -> Path | None:
        """Where to save (a file dialog); tests replace this."""
        _, text, suffix, pattern = next(f for f in FORMATS if f[0] == key)
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        assert self.report is not None
        suggested = str(Path(folder or Path.home()) / f"{self._file_stem(self.report)}{suffix}")
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the report"), suggested, self.tr(pattern)
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    def export(self, key: str) -> bool:
        """Save the report on show in one format; a problem is said in place."""
        report = self.report
        if report is None or self.request() != self.built_request:
            return False
        path = self.ask_path(key)
        if path is None:
            return False
        lang = self._lang()
        try:
            check_shareable(report)
            if key == "pdf":
                from circlekeeper.report_pdf import write_report_pdf

                write_report_pdf(report, lang, path)
            elif key == "html":
                from circlekeeper.report_pdf import write_report_html

                write_report_html(report, lang, path)
            elif key == "xlsx":
                from circlekeeper.core.export.report_xlsx import write_xlsx

                write_xlsx(report, lang, path)
            else:
                from circlekeeper.core.export.report_csv import write_csv

                write_csv(report, path)
        except PROBLEMS as problem:
            show_message(self.message, problem_text(problem), problem=True)
            return False
        self.last_saved = path
        show_message(self.message, self.tr("Saved {file}.").format(file=path))
        return True

    # -- printing --------------------------------------------------------------------------

    def print_on(self, printer: QPagedPaintDevice) -> int:
        """Lay the report on show out on a printer's pages (charts drawn); return the pages."""
        from circlekeeper.pdf import print_html
        from circlekeeper.report_pdf import draw_charts_in, report_page_title, report_pdf_html

        report = self.report
        if report is None:
            return 0
        check_shareable(report)
        lang = self._lang()

        def prepare(doc: QTextDocument) -> None:
            draw_charts_in(doc, report, lang.split("+")[0])

        return print_html(
            report_pdf_html(report, lang),
            printer,
            title=report_page_title(report, lang),
            prepare=prepare,
        )

    def print_preview(self) -> None:
        """Show the print preview of the report on show (its Print button prints)."""
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from circlekeeper.report_pdf import report_page_title

        if self.report is None or self.request() != self.built_request:
            return
        if self.report.unsuppressed:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(report_page_title(self.report, self._lang()))
        preview = QPrintPreviewDialog(printer, self)
        preview.setWindowTitle(self.tr("Print preview — {title}").format(title=printer.docName()))
        preview.paintRequested.connect(self.print_on)
        self.preview = preview
        preview.open()

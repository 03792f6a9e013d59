"""A student's record of disclosures: every hand-off and copy for sharing, to view, save as PDF
or print in English, Spanish or both when a parent asks to see it."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.cases.handoffs import DisclosureRow, HandOffService
from circlekeeper.core.domain.handoffs import basis_label, kind_label
from circlekeeper.core.problems import NotPermitted
from circlekeeper.ui.cases.common import (
    PROBLEMS,
    day_text,
    inert_item_flags,
    message_label,
    problem_text,
    show_message,
)
from circlekeeper.ui.geometry import default_size
from circlekeeper.ui.style import heading, note

log = logging.getLogger(__name__)


class DisclosuresDialog(QDialog):
    """The record of disclosures of one of the students given (id, name)."""

    def __init__(
        self,
        service: HandOffService,
        students: list[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.rows: list[DisclosureRow] = []
        self.last_saved: Path | None = None
        self.setWindowTitle(self.tr("Record of disclosures"))
        self.setAccessibleName(self.windowTitle())
        self.student = QComboBox(self)
        self.student.setAccessibleName(self.tr("Student"))
        for person_id, name in students:
            self.student.addItem(name, person_id)
        self.language = QComboBox(self)
        self.language.setAccessibleName(self.tr("Language of the printed record"))
        for value, label in (
            ("en", self.tr("English")),
            ("es", self.tr("Spanish")),
            ("en+es", self.tr("English and Spanish")),
        ):
            self.language.addItem(label, value)
        self.table = QTableWidget(0, 5, self)
        self.table.setAccessibleName(self.tr("Disclosures of this student"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("What"), self.tr("Received by"), self.tr("What was shared"),
             self.tr("Basis")]
        )  # fmt: skip
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.pdf_button = QPushButton(self.tr("Save as &PDF…"), self)
        self.pdf_button.setAccessibleName(self.tr("Save the record of disclosures as PDF"))
        self.print_button = QPushButton(self.tr("P&rint…"), self)
        self.print_button.setAccessibleName(self.tr("Print the record of disclosures"))
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAccessibleName(self.tr("Close the record of disclosures"))
        self.message = message_label(self, self.tr("Record of disclosures message"))
        form = QFormLayout()
        for words, field in ((self.tr("&Student"), self.student),
                             (self.tr("&Language"), self.language)):  # fmt: skip
            buddy = QLabel(words, self)
            buddy.setBuddy(field)
            form.addRow(buddy, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle(), self, level=2))
        layout.addWidget(
            note(
                self.tr(
                    "Each time information from the student's record left the school's staff: "
                    "who received it, when, what and why. A parent or guardian may ask to see it."
                ),
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        default_size(self, 900, 460)
        self.student.currentIndexChanged.connect(self.load)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_record)
        self.close_button.clicked.connect(self.reject)
        self.load()

    def person_id(self) -> int | None:
        value = self.student.currentData()
        return int(value) if value is not None else None

    def load(self) -> None:
        person_id = self.person_id()
        self.rows = []
        if person_id is not None:
            try:
                self.rows = self.service.disclosures(person_id=person_id)
            except (NotPermitted, *PROBLEMS) as problem:
                show_message(self.message, problem_text(problem), problem=True)
        elif not self.student.count():
            show_message(self.message, self.tr("No student is named in this case."))
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = [
                day_text(row.disclosed_on),
                kind_label(row.kind),
                row.recipient or self.tr("not stated"),
                row.shared,
                basis_label(row.basis),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(inert_item_flags())
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.resizeRowsToContents()
        enabled = person_id is not None
        self.pdf_button.setEnabled(enabled)
        self.print_button.setEnabled(enabled)

    def _document(self) -> tuple[str, str] | None:
        from circlekeeper.core.export.disclosures import (
            disclosures_page_title,
            record_view,
            render_disclosures,
        )

        if self.person_id() is None:
            return None
        lang = str(self.language.currentData())
        view = record_view(
            self.service.sessions, self.student.currentText(), self.rows, date.today()
        )
        return render_disclosures(view, lang), disclosures_page_title(view, lang)

    def save_pdf(self) -> None:
        from circlekeeper.pdf import PdfProblem, html_to_pdf

        document = self._document()
        if document is None:
            return
        html, title = document
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder or Path.home()) / "record-of-disclosures.pdf")
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the record of disclosures"), suggested, "PDF (*.pdf)"
        )
        if not name:
            return
        path = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
        try:
            html_to_pdf(html, path, title=title)
        except PdfProblem as problem:
            show_message(self.message, str(problem), problem=True)
            return
        self.last_saved = path
        show_message(self.message, self.tr("Saved {file}.").format(file=path))

    def print_record(self) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from circlekeeper.pdf import print_html

        document = self._document()
        if document is None:
            return
        html, title = document
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        self.preview = QPrintPreviewDialog(printer, self)
        self.preview.setWindowTitle(self.tr("Print preview — {title}").format(title=title))
        self.preview.paintRequested.connect(lambda device: print_html(html, device, title=title))
        self.preview.open()

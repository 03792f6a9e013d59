"""Save an agreement as PDF or HTML, or print it with a preview, in the chosen language and copy.

The template renders on the thread pool (a school's own template may take its full time limit
before falling back), so the window keeps answering and shows that it is working meanwhile.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.agreements.commands import AgreementService
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.profiles.viewer import SHARING_COPY, Viewer
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.agreements.item_dialog import database_problem_text, problem_label
from circlekeeper.ui.agreements.labels import audience_choices, language_choices
from circlekeeper.ui.background import BackgroundTask

log = logging.getLogger(__name__)


class ExportBar(QWidget):
    """Language and copy choices with Save PDF…, Save HTML… and Print… buttons.

    ``before`` runs first (the builder saves the header there) and may return False to stop.
    Template warnings (a missing logo, a school template that fell back) go in a quiet line.
    """

    def __init__(
        self,
        service: AgreementService,
        agreement_id: int,
        parent: QWidget | None = None,
        *,
        before: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.agreement_id = agreement_id
        self._before = before
        self.last_saved: Path | None = None
        # Which copies this viewer may have is decided in core (an SRO: the sharing copy only).
        self.viewer: Viewer = service.ctx.viewer()

        self.language = QComboBox(self)
        for value, label in language_choices():
            self.language.addItem(label, value)
        self.language.setAccessibleName(self.tr("Language of the printed agreement"))
        self.audience = QComboBox(self)
        for value, label in audience_choices():
            if value in self.viewer.audiences:
                self.audience.addItem(label, value)
        self.audience.setAccessibleName(self.tr("Which copy"))
        self.audience.setToolTip(
            self.tr(
                "The copy for sharing leaves out private notes and demographic fields and is "
                "marked as an education record that may not be passed on."
            )
        )
        if self.audience.count() == 1:
            self.audience.setToolTip(
                self.tr(
                    "A school resource officer's profile exports only the copy for sharing: no "
                    "private notes, no demographic fields, marked as an education record."
                )
            )
        for combo in (self.language, self.audience):
            combo.setMinimumContentsLength(16)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
        self.draft_copy = QCheckBox(self.tr("Draft copy (not for s&igning)"), self)
        self.draft_copy.setAccessibleName(self.tr("Draft copy, marked DRAFT on every page"))
        self.draft_copy.setToolTip(
            self.tr(
                "An agreement with blanks still to fill in, such as [amount], prints only as a "
                "draft copy, marked DRAFT on every page, that is not for signing."
            )
        )
        self.spanish_warning: QMessageBox | None = None
        self._spanish_confirmed = False
        self._mark = ""
        self.pdf_button = QPushButton(self.tr("Save &PDF…"), self)
        self.pdf_button.setAccessibleName(self.tr("Save as PDF"))
        self.html_button = QPushButton(self.tr("Sa&ve HTML…"), self)
        self.html_button.setAccessibleName(self.tr("Save as HTML"))
        self.print_button = QPushButton(self.tr("P&rint…"), self)
        self.print_button.setAccessibleName(self.tr("Print with a preview"))
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setAccessibleName(self.tr("Export notes"))
        self.info.setStyleSheet("QLabel { color: #3d4a57; }")
        self.problem = problem_label(self, self.tr("Export problem"))
        self.busy = QLabel(self.tr("Preparing the agreement…"), self)
        self.busy.setAccessibleName(self.tr("Export status"))
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)  # moving without a percentage: the length is not known
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.setAccessibleName(self.tr("Preparing the agreement"))
        self._task: BackgroundTask | None = None
        self._then: tuple[str, Callable[[str, str], None]] = ("", lambda _html, _title: None)
        self._focused: QPushButton | None = None

        # One row, so the window's bottom bar keeps printing in sight on a small screen.
        language_label = QLabel(self.tr("&Language:"), self)
        language_label.setBuddy(self.language)
        audience_label = QLabel(self.tr("C&opy:"), self)
        audience_label.setBuddy(self.audience)
        buttons = QHBoxLayout()
        buttons.addWidget(language_label)
        buttons.addWidget(self.language)
        buttons.addSpacing(8)
        buttons.addWidget(audience_label)
        buttons.addWidget(self.audience)
        buttons.addSpacing(8)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.html_button)
        buttons.addWidget(self.print_button)
        buttons.addSpacing(8)
        buttons.addWidget(self.busy_bar)
        buttons.addWidget(self.busy)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.draft_copy)
        layout.addWidget(self.problem)
        layout.addWidget(self.info)
        self.info.hide()
        self.busy.hide()
        self.busy_bar.hide()

        self.pdf_button.clicked.connect(self.save_pdf)
        self.html_button.clicked.connect(self.save_html)
        self.print_button.clicked.connect(self.print_preview)

    # -- rendering -------------------------------------------------------------------------

    @property
    def rendering(self) -> bool:
        """True while a document is being prepared (the buttons wait meanwhile)."""
        return self._task is not None

    def _render(self, then: Callable[[str, str], None]) -> None:
        """Prepare the HTML off the UI thread, then call ``then(html, title)``.

        An agreement with blanks to fill in is refused here, on the UI thread, in the core's
        words (unless a draft copy is asked for); a Spanish copy with items that have no
        Spanish wording asks first."""
        from circlekeeper.core.agreements.placeholders import refuse_printing
        from circlekeeper.core.export import templates
        from circlekeeper.core.export.views import without_spanish

        if self._task is not None:
            return
        self.problem.hide()
        if self._before is not None and not self._before():
            return
        draft = self.draft_copy.isChecked()
        try:
            audience = self.viewer.export_audience(str(self.audience.currentData()))
            view = self.service.view(self.agreement_id)
            if not draft:
                refuse_printing([(i.number, i.texts) for i in view.items])
        except (InvalidInput, NotFound) as problem:
            self._show_problem(str(problem))
            return
        except DatabaseProblem:
            log.exception("Agreement export: database error")
            self._show_problem(database_problem_text())
            return
        language = self.language.currentData()
        missing = without_spanish(view.items) if "es" in str(language).split("+") else []
        if missing and not self._spanish_confirmed:
            self._ask_about_spanish(missing, then)
            return
        self._spanish_confirmed = False
        self._audience = audience
        title = templates.agreement_page_title(view, language, audience)
        self._mark = templates.draft_mark(language) if draft else ""
        self._file_stem = self._stem(view.circle_title or "", view.version) + (
            "-draft" if draft else ""
        )

        def work(_progress: Any, _cancelled: Any) -> templates.RenderResult:
            return templates.render_agreement(view, language, audience, draft=draft)

        task = BackgroundTask(work)
        # Bound methods of this widget, so the results arrive on the UI thread (and not at all
        # once the window is gone).
        self._then = (title, then)
        task.succeeded.connect(self._rendered)
        task.failed.connect(self._render_failed)
        self._set_busy(task)
        task.start()

    def _ask_about_spanish(self, missing: list[int], then: Callable[[str, str], None]) -> None:
        """Say which items have no Spanish wording before a Spanish copy is made."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Items with no Spanish wording"))
        box.setText(
            self.tr(
                "Item {items} has no Spanish wording yet. The Spanish copy will print the "
                "English words for it and say so. Make the copy anyway?"
            ).format(items=", ".join(str(n) for n in missing))
        )
        box.setInformativeText(
            self.tr("To add the Spanish wording, edit the item and fill in the Spanish fields.")
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAccessibleName(box.windowTitle())

        def answered(_result: int) -> None:
            self.spanish_warning = None
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                self._spanish_confirmed = True
                self._render(then)

        box.finished.connect(answered)
        self.spanish_warning = box
        box.open()

    def _set_busy(self, task: BackgroundTask | None) -> None:
        buttons = (self.pdf_button, self.html_button, self.print_button)
        if task is not None:
            # Disabling the pressed button moves the keyboard focus away; give it back after.
            self._focused = next((b for b in buttons if b.hasFocus()), None)
        self._task = task
        for button in buttons:
            button.setEnabled(task is None)
        self.busy.setVisible(task is not None)
        self.busy_bar.setVisible(task is not None)
        focused, self._focused = self._focused, (self._focused if task is not None else None)
        if task is None and focused is not None:
            focused.setFocus()

    def _rendered(self, result: Any) -> None:
        title, then = self._then
        self._set_busy(None)
        if result.warnings:
            self.info.setText(" ".join(result.warnings))
            self.info.show()
        else:
            self.info.hide()
        then(result.html, title)

    def _render_failed(self, _error: BaseException) -> None:
        self._set_busy(None)  # the task logged the details
        self._show_problem(
            self.tr(
                "The agreement could not be prepared for printing. Nothing was saved; "
                "try again, and if it keeps happening, tell your IT staff."
            )
        )

    def _stem(self, circle_title: str, version: int) -> str:
        words = re.sub(r"[^\w\- ]+", "", circle_title).strip().replace(" ", "-")[:40]
        stem = f"repair-agreement-{words}-v{version}" if words else f"repair-agreement-v{version}"
        if self.audience.currentData() == "sharing":
            stem += "-sharing"
        return stem

    def _ask_path(self, caption: str, suffix: str, pattern: str) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder or Path.home()) / f"{self._file_stem}{suffix}")
        name, _ = QFileDialog.getSaveFileName(self, caption, suggested, pattern)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setAccessibleDescription(text)
        self.problem.show()

    def _record_sharing(self) -> str:
        """A copy for sharing left the program: write it in the students' record of
        disclosures. Returns words to add to the message (empty for the school's copy)."""
        if getattr(self, "_audience", None) != SHARING_COPY:
            return ""
        from datetime import date

        from circlekeeper.core.cases.handoffs import HandOffService
        from circlekeeper.core.store.problems import DatabaseProblem

        try:
            HandOffService(self.service.ctx).record_sharing_copy(self.agreement_id, on=date.today())
        except DatabaseProblem:
            log.exception("Agreement export: recording the disclosure failed")
            return self.tr(
                "It could not be written in the record of disclosures: note by hand who "
                "received it, and tell your IT staff."
            )
        return self.tr("It was written in each student's record of disclosures.")

    def _saved(self, path: Path) -> None:
        self.last_saved = path
        text = self.tr("Saved {file}.").format(file=path)
        recorded = self._record_sharing()
        if recorded:
            text = f"{text} {recorded}"
        extra = self.info.text() if self.info.isVisible() else ""
        self.info.setText(f"{text} {extra}".strip())
        self.info.show()

    # -- actions ---------------------------------------------------------------------------

    def save_pdf(self) -> None:
        self._render(self._write_pdf)

    def _write_pdf(self, html: str, title: str) -> None:
        from circlekeeper.pdf import PdfProblem, html_to_pdf

        path = self._ask_path(self.tr("Save the agreement as PDF"), ".pdf", "PDF (*.pdf)")
        if path is None:
            return
        try:
            html_to_pdf(html, path, title=title, mark=self._mark)
        except PdfProblem as problem:
            self._show_problem(str(problem))
            return
        self._saved(path)

    def save_html(self) -> None:
        self._render(self._write_html)

    def _write_html(self, html: str, _title: str) -> None:
        path = self._ask_path(self.tr("Save the agreement as HTML"), ".html", "HTML (*.html)")
        if path is None:
            return
        temp = path.with_name(f".{path.name}.partial")
        try:
            temp.write_text(html, encoding="utf-8")
            temp.replace(path)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            self._show_problem(
                self.tr(
                    "Cannot write {file} ({reason}). Nothing was saved; choose a place you can "
                    "write to."
                ).format(file=path, reason=exc.strerror or exc)
            )
            return
        self._saved(path)

    def print_preview(self) -> None:
        self._render(self._preview)

    def _preview(self, html: str, title: str) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from circlekeeper.pdf import print_html

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        preview = QPrintPreviewDialog(printer, self)
        preview.setWindowTitle(self.tr("Print preview — {title}").format(title=title))
        mark = self._mark
        preview.paintRequested.connect(
            lambda device: print_html(html, device, title=title, mark=mark)
        )
        preview.accepted.connect(self._record_sharing)
        self.preview = preview
        preview.open()

"""Saving the family letter (from the case page), the circle summary and the consent form
(from the circle plan).

A small window asks the language (and, for a letter, which student it is about; for a consent
form, whose) and saves a PDF. The document itself comes from ``core/export/documents.py``, the
same functions the command line's ``export letter|summary|consent`` calls, so the viewer's
limits are the core's.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from circlekeeper.core.export.documents import Document
from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.agreements.item_dialog import database_problem_text, problem_label
from circlekeeper.ui.agreements.labels import language_choices
from circlekeeper.ui.operations import context_for
from circlekeeper.ui.style import heading, note

log = logging.getLogger(__name__)

Make = Callable[[Context, str, int | None], Document]


class DocumentDialog(QDialog):
    """Choose the language (and the student, for a letter), then save the document as PDF."""

    def __init__(
        self,
        database: Database,
        make: Make,
        *,
        title: str,
        explanation: str,
        file_stem: str,
        students: list[tuple[int, str]] | None = None,
        parent: QWidget | None = None,
        choice_label: str | None = None,
        choice_name: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context_for(database)
        self._make = make
        self._file_stem = file_stem
        self.last_saved: Path | None = None
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(520)

        self.language = QComboBox(self)
        for value, label in language_choices():
            self.language.addItem(label, value)
        self.language.setAccessibleName(self.tr("Language of the document"))
        self.student = QComboBox(self)
        self.student.setAccessibleName(choice_name or self.tr("Student the letter is about"))
        for person_id, name in students or []:
            self.student.addItem(name, person_id)
        self.problem = problem_label(self, self.tr("Problem"))
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Last change"))
        self.notice.hide()
        self.save_button = QPushButton(self.tr("Save &PDF…"), self)
        self.save_button.setAccessibleName(self.tr("Save as PDF"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_pdf)

        form = QFormLayout()
        language_label = QLabel(self.tr("&Language:"), self)
        language_label.setBuddy(self.language)
        form.addRow(language_label, self.language)
        if students is not None:
            student_label = QLabel(choice_label or self.tr("&Student:"), self)
            student_label.setBuddy(self.student)
            form.addRow(student_label, self.student)
        else:
            self.student.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title, self, level=2))
        layout.addWidget(note(explanation, self))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        self.language.setFocus()

    def _show_problem(self, text: str) -> None:
        self.notice.hide()
        self.problem.setText(text)
        self.problem.setAccessibleDescription(text)
        self.problem.show()

    def save_pdf(self) -> Path | None:
        """Make the document, ask where to save it, and write the PDF; None if not saved."""
        from circlekeeper.pdf import PdfProblem, html_to_pdf

        self.problem.hide()
        language = str(self.language.currentData())
        try:
            document = self._make(self.context, language, self.student.currentData())
        except (InvalidInput, NotFound) as problem:
            self._show_problem(str(problem))
            return None
        except DatabaseProblem:
            log.exception("Document export: database error")
            self._show_problem(database_problem_text())
            return None
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suffix = "" if language == "en" else "-" + language.replace("+", "-")
        suggested = Path(folder or Path.home()) / f"{self._file_stem}{suffix}.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save as PDF"), str(suggested), "PDF (*.pdf)"
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            html_to_pdf(document.html, path, title=document.title)
        except PdfProblem as problem:
            self._show_problem(str(problem))
            return None
        self.last_saved = path
        text = " ".join([self.tr("Saved {file}.").format(file=path), *document.warnings])
        self.notice.setText(text)
        self.notice.setAccessibleDescription(text)
        self.notice.show()
        return path


def _stem(words: str) -> str:
    return re.sub(r"[^\w\- ]+", "", words).strip().replace(" ", "-")[:40]


def open_family_letter(
    parent: QWidget, database: Database, agreement_id: int, *, stem: str = ""
) -> DocumentDialog | None:
    """The window that saves the letter home about an agreement (None if refused: it says)."""
    from circlekeeper.core.export.documents import family_letter, letter_students
    from circlekeeper.ui.circles.problems import show_problem

    context = context_for(database)
    try:
        context.viewer().check_writes_family_letter()
        students = letter_students(context, agreement_id)
    except (InvalidInput, NotFound, DatabaseProblem) as problem:
        show_problem(parent, problem)
        return None

    def make(ctx: Context, language: str, student: int | None) -> Document:
        if student is None:
            raise InvalidInput(
                QCoreApplication.translate(
                    "DocumentDialog",
                    "This agreement names no student, so there is no family to write to.",
                )
            )
        return family_letter(ctx, agreement_id, student, language)

    dialog = DocumentDialog(
        database,
        make,
        title=QCoreApplication.translate("DocumentDialog", "Letter to the family"),
        explanation=QCoreApplication.translate(
            "DocumentDialog",
            "A letter to the student's guardians about what was agreed and who will check in, "
            "with a line for them to sign. It leaves out private notes and demographic fields.",
        ),
        file_stem="family-letter" + (f"-{_stem(stem)}" if _stem(stem) else ""),
        students=students,
        parent=parent,
    )
    dialog.open()
    return dialog


def open_circle_summary(
    parent: QWidget, database: Database, circle_id: int, *, stem: str = ""
) -> DocumentDialog:
    """The window that saves a circle's summary for the file."""
    from circlekeeper.core.export.documents import circle_summary

    dialog = DocumentDialog(
        database,
        lambda ctx, language, _student: circle_summary(ctx, circle_id, language),
        title=QCoreApplication.translate("DocumentDialog", "Circle summary"),
        explanation=QCoreApplication.translate(
            "DocumentDialog",
            "Who took part, the notes kept for the file and the agreement made. Private notes "
            "are included only on their author's own copy.",
        ),
        file_stem="circle-summary" + (f"-{_stem(stem)}" if _stem(stem) else ""),
        parent=parent,
    )
    dialog.open()
    return dialog


def open_consent_form(parent: QWidget, database: Database, circle_id: int) -> DocumentDialog | None:
    """The window that saves a circle's consent form, for everyone or one person (None if
    refused, as for an officer's profile: it says why)."""
    from circlekeeper.core.circles.consent_form import consent_form_people
    from circlekeeper.core.export.documents import consent_form
    from circlekeeper.ui.circles.problems import show_problem

    context = context_for(database)
    try:
        context.viewer().check_writes_consent_form()
        people = consent_form_people(context, circle_id)
    except (InvalidInput, NotFound, DatabaseProblem) as problem:
        show_problem(parent, problem)
        return None
    everyone = QCoreApplication.translate("DocumentDialog", "Everyone taking part (a page each)")
    dialog = DocumentDialog(
        database,
        lambda ctx, language, person: consent_form(ctx, circle_id, language, person or None),
        title=QCoreApplication.translate("DocumentDialog", "Consent form"),
        explanation=QCoreApplication.translate(
            "DocumentDialog",
            "What the circle is, that taking part is voluntary and that consent can be "
            "withdrawn at any time, with a line for the person to sign and, for a minor, one "
            "for a parent or guardian.",
        ),
        file_stem=f"consent-form-circle-{circle_id}",
        students=[(0, everyone), *people],
        parent=parent,
        choice_label=QCoreApplication.translate("DocumentDialog", "F&or:"),
        choice_name=QCoreApplication.translate("DocumentDialog", "Whose consent form"),
    )
    dialog.open()
    return dialog

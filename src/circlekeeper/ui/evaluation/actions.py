"""Opening the fidelity checklist and the survey window from wherever a held circle is shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from circlekeeper.core.domain.surveys import SurveySource
from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import PROBLEMS
from circlekeeper.ui.circles.problems import show_problem


def open_fidelity(parent: QWidget, database: Database, circle_id: int) -> QWidget | None:
    from circlekeeper.ui.evaluation.fidelity_dialog import FidelityDialog

    try:
        dialog = FidelityDialog(database, circle_id, parent)
    except PROBLEMS as problem:
        show_problem(parent, problem)
        return None
    dialog.open()
    return dialog


def open_survey(
    parent: QWidget, database: Database, circle_id: int, source: str = SurveySource.WINDOW.value
) -> QWidget | None:
    from circlekeeper.ui.evaluation.survey_window import SurveyWindow

    try:
        window = SurveyWindow(database, circle_id, parent, source=source)
    except PROBLEMS as problem:
        show_problem(parent, problem)
        return None
    window.show()
    return window


def save_survey_forms(parent: QWidget, database: Database, circle_id: int) -> Path | None:
    """Ask where to save the printable survey forms (EN and ES), then write the PDF."""
    from circlekeeper.core.export.survey_form import (
        render_survey_form,
        survey_form_title,
        survey_form_view,
    )
    from circlekeeper.pdf import PdfProblem, html_to_pdf

    tr = QCoreApplication.translate
    try:
        view = survey_form_view(database.sessions, circle_id)
    except PROBLEMS as problem:
        show_problem(parent, problem)
        return None
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        tr("Evaluation", "Save the survey forms"),
        str(Path.home() / f"survey-forms-{view.reference}.pdf"),
        tr("Evaluation", "PDF files (*.pdf)"),
    )
    if not name:
        return None
    path = Path(name)
    result = render_survey_form(view, "en+es")
    try:
        html_to_pdf(result.html, path, title=survey_form_title(view))
    except PdfProblem as problem:
        QMessageBox.warning(parent, tr("Evaluation", "The forms were not saved"), str(problem))
        return None
    return path


def evaluation_buttons(parent: QWidget, database: Database, circle_id: int) -> list[QPushButton]:
    """Buttons for a held circle: the fidelity checklist, the survey window, the forms to print
    (property ``before_held`` true: also for a planned circle) and typing printed forms in."""
    tr = QCoreApplication.translate

    def keep(widget: QWidget | None) -> None:
        # Kept on the parent: a window with no other owner would be collected at once.
        if widget is not None:
            parent.__dict__["evaluation_window"] = widget

    specs = (
        (
            tr("Evaluation", "Fidelity chec&klist…"),
            tr("Evaluation", "Complete the fidelity checklist"),
            lambda: keep(open_fidelity(parent, database, circle_id)),
        ),
        (
            tr("Evaluation", "Hand round the surve&y…"),
            tr("Evaluation", "Hand round the anonymous survey"),
            lambda: keep(open_survey(parent, database, circle_id)),
        ),
        (
            tr("Evaluation", "Survey forms to print (P&DF)…"),
            tr("Evaluation", "Save survey forms to print"),
            lambda: save_survey_forms(parent, database, circle_id),
        ),
        (
            tr("Evaluation", "Enter pri&nted surveys…"),
            tr("Evaluation", "Enter answers from printed surveys"),
            lambda: keep(open_survey(parent, database, circle_id, SurveySource.PAPER.value)),
        ),
    )
    buttons = []
    for number, (text, name, action) in enumerate(specs):
        button = QPushButton(text, parent)
        # Forms can be printed before the circle is held; the rest needs a held circle.
        button.setProperty("before_held", number == 2)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(action)
        buttons.append(button)
    return buttons

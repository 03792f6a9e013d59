"""Opening the fidelity checklist and the survey window from wherever a held circle is shown."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPushButton, QWidget

from circlekeeper.core.domain.surveys import SurveySource
from circlekeeper.core.store.database import Database
from circlekeeper.ui.circles.problems import PROBLEMS, show_problem


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


def evaluation_buttons(parent: QWidget, database: Database, circle_id: int) -> list[QPushButton]:
    """Buttons for a held circle: the fidelity checklist, the survey window, printed surveys."""
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
            tr("Evaluation", "Enter pri&nted surveys…"),
            tr("Evaluation", "Enter answers from printed surveys"),
            lambda: keep(open_survey(parent, database, circle_id, SurveySource.PAPER.value)),
        ),
    )
    buttons = []
    for text, name, action in specs:
        button = QPushButton(text, parent)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(action)
        buttons.append(button)
    return buttons

"""Showing what went wrong in words a counselor can act on (the traceback goes to the log)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

# One list of problems and one way to word them, for every screen.
from circlekeeper.ui.cases.common import PROBLEMS, problem_text

__all__ = ["PROBLEMS", "problem_text", "show_problem"]


def show_problem(parent: QWidget, problem: Exception) -> None:
    QMessageBox.warning(
        parent,
        QCoreApplication.translate("Problems", "That did not work"),
        problem_text(problem),
    )

"""Showing what went wrong in words a counselor can act on (the traceback goes to the log)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.problems import DatabaseProblem

log = logging.getLogger(__name__)

# What a service call may raise that a person should see; anything else is a bug.
PROBLEMS = (InvalidInput, NotFound, DatabaseProblem)


def problem_text(problem: Exception) -> str:
    if isinstance(problem, DatabaseProblem):
        # Already in plain words (what happened, what is safe, what to do); the cause is logged.
        log.warning("Database problem shown: %s", problem)
    return str(problem)


def show_problem(parent: QWidget, problem: Exception) -> None:
    QMessageBox.warning(
        parent,
        QCoreApplication.translate("Problems", "That did not work"),
        problem_text(problem),
    )

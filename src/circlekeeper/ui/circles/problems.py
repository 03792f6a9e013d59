"""Showing what went wrong in words a counselor can act on (the traceback goes to the log)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError

from circlekeeper.core.problems import InvalidInput, NotFound

log = logging.getLogger(__name__)

# What a service call may raise that a person should see; anything else is a bug.
PROBLEMS = (InvalidInput, NotFound, SQLAlchemyError)


def problem_text(problem: Exception) -> str:
    if isinstance(problem, SQLAlchemyError):
        log.exception("Database error", exc_info=problem)
        return QCoreApplication.translate(
            "Problems",
            "The records could not be read or saved just now. Nothing already saved was lost. "
            "Try again; if it keeps happening, restart circlekeeper.",
        )
    return str(problem)


def show_problem(parent: QWidget, problem: Exception) -> None:
    QMessageBox.warning(
        parent,
        QCoreApplication.translate("Problems", "That did not work"),
        problem_text(problem),
    )

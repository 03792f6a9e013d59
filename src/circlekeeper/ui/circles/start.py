"""Starting a circle: explain what is missing, then open the facilitator view."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from circlekeeper.core.circles.commands import CirclePlanner
from circlekeeper.core.store.database import Database
from circlekeeper.ui.circles.problems import PROBLEMS, show_problem
from circlekeeper.ui.operations import context_for


def _tr(text: str) -> str:
    return QCoreApplication.translate("StartCircle", text)


def start_circle(parent: QWidget, database: Database, circle_id: int) -> QWidget | None:
    """Open the facilitator view for a circle. The readiness list is shown and the keeper may
    start anyway, except when the eligibility screen blocks a conference."""
    try:
        missing = CirclePlanner(context_for(database)).readiness(circle_id)
    except PROBLEMS as problem:
        show_problem(parent, problem)
        return None
    missing = [m for m in missing if m.code != "status"]
    blocking = [m for m in missing if m.blocking]
    if blocking:
        # The eligibility rule: this is not the keeper's call to override.
        lines = "\n".join(f"⚠ {m.message}" for m in blocking)
        if all(m.code == "withdrawn" for m in blocking):
            text = _tr(
                "Consent to this circle was withdrawn:\n\n{lines}\n\nNothing was started "
                "and nothing was changed. When consent is given again, tick it again in the "
                "Preparation tab."
            )
        else:
            text = _tr(
                "The eligibility screen stops this circle:\n\n{lines}\n\nNothing was "
                "started and nothing was changed. Change the screen on the case page if it "
                "was answered by mistake."
            )
        QMessageBox.warning(parent, _tr("This circle cannot be held"), text.format(lines=lines))
        return None
    if missing:
        lines = "\n".join(f"• {m.message}" for m in missing)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _tr("Start this circle?"),
            _tr(
                "Some things are not done yet:\n\n{lines}\n\nYou know the situation best; you "
                "can start anyway."
            ).format(lines=lines),
            QMessageBox.StandardButton.NoButton,
            parent,
        )
        start = box.addButton(_tr("Start anyway"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_tr("Not yet"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not start:
            return None
    try:
        from circlekeeper.ui.live.facilitator import FacilitatorWindow
    except ImportError:
        QMessageBox.information(
            parent,
            _tr("Facilitator view not available"),
            _tr("This copy of circlekeeper has no facilitator view yet."),
        )
        return None
    try:
        window = FacilitatorWindow(database, circle_id, parent)
    except PROBLEMS as problem:
        show_problem(parent, problem)
        return None
    window.show()
    return window

"""Writing planned circles and open follow-ups to an .ics file for Outlook or Google Calendar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import PROBLEMS, problem_text


def export_calendar(
    database: Database, parent: QWidget, path: Path | None = None
) -> tuple[bool, str]:
    """Ask for a file (unless ``path`` is given) and write the calendar; (worked, message)."""
    from circlekeeper.core.export.calendar import write_calendar

    if path is None:
        chosen, _filter = QFileDialog.getSaveFileName(
            parent,
            parent.tr("Export calendar"),
            str(Path.home() / "circlekeeper.ics"),
            parent.tr("Calendar files (*.ics)"),
        )
        if not chosen:
            return False, ""
        path = Path(chosen)
    if path.suffix.lower() != ".ics":
        path = path.with_name(path.name + ".ics")
    try:
        result = write_calendar(database.sessions, path)
    except PROBLEMS as problem:
        return False, problem_text(problem)
    return True, parent.tr(
        "Wrote {circles} circle(s) and {follow_ups} follow-up(s) to {file}. Import it in Outlook "
        "or Google Calendar; importing again updates the same events. Only first names of "
        "students appear in it."
    ).format(circles=result.circles, follow_ups=result.follow_ups, file=result.path)

"""Writing planned circles and open follow-ups to an .ics file for Outlook or Google Calendar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from circlekeeper.core.store.database import Database
from circlekeeper.ui.cases.common import PROBLEMS, problem_text
from circlekeeper.ui.operations import context_for


def export_calendar(
    database: Database, parent: QWidget, path: Path | None = None
) -> tuple[bool, str]:
    """Ask for a file (unless ``path`` is given) and write the calendar; (worked, message)."""
    from circlekeeper.core.export.calendar import write_calendar
    from circlekeeper.core.settings.settings import SettingsService

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
        first_names = SettingsService(context_for(database)).load().calendar_names
        result = write_calendar(database.sessions, path, first_names=first_names)
    except PROBLEMS as problem:
        return False, problem_text(problem)
    names = (
        parent.tr("Events show the kind of circle, the place, the time and first names only.")
        if first_names
        else parent.tr("Events show the kind of circle, the place and the time; no names.")
    )
    return True, parent.tr(
        "Wrote {circles} circle(s) and {follow_ups} follow-up(s) to {file}. Import it in Outlook "
        "or Google Calendar; importing again updates the same events and removes cancelled ones. "
        "{names}"
    ).format(circles=result.circles, follow_ups=result.follow_ups, file=result.path, names=names)

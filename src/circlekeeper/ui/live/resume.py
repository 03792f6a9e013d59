"""Offering, at start-up, to resume a circle the app was closed or killed in the middle of."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from circlekeeper.core.circles.queries import find_interrupted
from circlekeeper.core.circles.rows import CircleRow
from circlekeeper.core.facilitation.commands import FacilitationService
from circlekeeper.core.facilitation.offline import send_waiting
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.problems import DatabaseProblem
from circlekeeper.ui.locale import datetime_text, language
from circlekeeper.ui.operations import context_for

log = logging.getLogger(__name__)


def interrupted_circles(database: Database) -> list[CircleRow]:
    return find_interrupted(context_for(database))


def send_kept(database: Database) -> list[str]:
    """On a server: send what a circle kept on this laptop when the program was stopped
    offline (a crash, a kill, a closed lid); plain sentences saying what was sent."""
    if not database.on_server:
        return []
    try:
        return send_waiting(context_for(database))
    except DatabaseProblem:
        log.exception("The circles kept on this laptop could not be sent yet")
        return []


def resume_point(database: Database, circle_id: int, parent: QWidget) -> str:
    """Where a circle resumes, in words: "Stage 4, Check-in, Sofía holds the piece"."""
    try:
        live = FacilitationService(context_for(database), circle_id).resume()
    except (InvalidInput, NotFound, DatabaseProblem):
        return ""
    state = live.state
    stage = live.script.stages[state.stage_index]
    home = "es" if language() == "es" and "es" in live.script.languages else "en"
    title = stage.title_in(home)
    holder = live.participants.get(state.speaker) if state.speaker is not None else None
    if holder is not None:
        return parent.tr("Stage {n}, {title}, {name} holds the piece").format(
            n=state.stage_index + 1, title=title, name=holder.name
        )
    return parent.tr("Stage {n}, {title}").format(n=state.stage_index + 1, title=title)


def resume_offer(database: Database, parent: QWidget) -> QMessageBox | None:
    """A question (not yet shown) offering to resume the latest interrupted circle, or None.

    Yes opens the facilitator window on it, where the circle stopped; the window is kept on
    ``parent.live_window``.
    """
    sent = send_kept(database)
    circles = interrupted_circles(database)
    if not circles:
        return None
    row = circles[0]
    when = (
        datetime_text(row.started_at.astimezone())
        if row.started_at is not None
        else parent.tr("earlier")
    )
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(parent.tr("Resume the circle?"))
    text = parent.tr(
        "A circle was interrupted: “{title}”, started {when}.\n\n"
        "Resume it where it stopped? The same stage, the same speaker and all notes are kept."
    ).format(title=row.title, when=when)
    where = resume_point(database, row.id, parent)
    if where:
        text += "\n\n" + parent.tr("It resumes at: {where}.").format(where=where)
    if len(circles) > 1:
        text += "\n\n" + parent.tr(
            "{n} other circles were also left running; they stay as they are."
        ).format(n=len(circles) - 1)
    if sent:
        text += "\n\n" + " ".join(sent)
    box.setText(text)
    box.setAccessibleName(parent.tr("Resume the circle?"))
    yes = box.addButton(parent.tr("&Resume"), QMessageBox.ButtonRole.YesRole)
    yes.setAccessibleName(parent.tr("Resume"))
    later = box.addButton(parent.tr("&Not now"), QMessageBox.ButtonRole.NoRole)
    later.setAccessibleName(parent.tr("Not now"))
    box.setDefaultButton(yes)
    box.setEscapeButton(later)

    def answered() -> None:
        if box.clickedButton() is yes:
            open_live(database, row.id, parent)

    box.finished.connect(lambda _code: answered())
    return box


def open_live(database: Database, circle_id: int, parent: QWidget) -> QWidget:
    """Open the facilitator window on a circle, kept on ``parent.live_window``."""
    from circlekeeper.ui.live.facilitator import FacilitatorWindow

    window = FacilitatorWindow(database, circle_id)
    parent.live_window = window  # type: ignore[attr-defined]
    window.show()
    window.activateWindow()
    return window

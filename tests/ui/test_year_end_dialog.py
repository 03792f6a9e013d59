"""The end-of-year window: who moves up and who leaves, then one step, never twice by accident."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from circlekeeper.core.operations import Context
from circlekeeper.core.roster.commands import import_roster
from circlekeeper.core.roster.reading import read_roster
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Person
from circlekeeper.ui.people.year_end_dialog import YearEndDialog

from .conftest import activate


def grades(db: Database) -> dict[str, tuple[str | None, bool]]:
    with db.sessions() as session:
        return {
            p.first_name: (p.grade, p.archived_at is not None)
            for p in session.scalars(select(Person))
        }


def test_the_year_is_reviewed_then_closed_once(qtbot: QtBot, db: Database, tmp_path: Path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Student ID,First Name,Last Name,Grade\n1,Ana,Ruiz,TK\n2,Bo,Lee,12\n3,Cy,Ng,K\n",
        encoding="utf-8",
    )
    import_roster(Context(db.sessions, actor="test"), read_roster(roster))
    dialog = YearEndDialog(db)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)

    # The plan shows each grade and where it goes, and who leaves; nothing changed yet
    shown = [
        tuple(dialog.grades.item(r, c).text() for c in range(3))
        for r in range(dialog.grades.rowCount())
    ]
    assert shown == [("TK", "K", "1"), ("K", "1", "1"), ("12", "Leaves (archived)", "1")]
    assert dialog.leavers.item(0).text() == "Bo Lee"
    assert grades(db) == {"Ana": ("TK", False), "Bo": ("12", False), "Cy": ("K", False)}

    # When the counselor closes the year
    qtbot.keyClick(dialog, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.result_summary is not None)
    assert grades(db) == {"Ana": ("K", False), "Bo": ("12", True), "Cy": ("1", False)}
    assert not dialog.close_year.isEnabled()

    # A second window the same year refuses unless the person says a new year began
    again = YearEndDialog(db)
    qtbot.addWidget(again)
    assert again.again.isVisible() or not again.isVisible()
    again.apply()
    assert "already closed" in again.summary.text()
    assert grades(db)["Ana"] == ("K", False)
